/**
 * R5 memory: one million calls through an 8-layer stack and 100,000 Lambda HTTP events through the
 * adapter leave the heap, after GC, within 5 MB of where it started (and no timer behind). GC needs
 * `--expose-gc`, so the work runs in a child `node --expose-gc --import tsx memory-script.ts`.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..')
// tsx is a dependency of @turret/dev; resolve it from there, whatever the root hoists.
const tsx = pathToFileURL(createRequire(join(repo, 'packages/dev/package.json')).resolve('tsx')).href

interface Phase {
  readonly done: number
  readonly failed: number
  readonly beforeMB: number
  readonly afterMB: number
  readonly growthMB: number
  readonly timersLeft: number
  readonly ms: number
}

function runScript(): Promise<{ stack: Phase; adapter: Phase }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=512', '--import', tsx, join(here, 'memory-script.ts')],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    let err = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? ''
      if (code !== 0) return reject(new Error(`memory script exited ${code}: ${err.slice(-2000)}`))
      try {
        resolve(JSON.parse(line))
      } catch {
        reject(new Error(`memory script printed no result: ${out.slice(-500)} ${err.slice(-1000)}`))
      }
    })
  })
}

describe('R5 memory: heap after GC within 5 MB of where it started', () => {
  it('1,000,000 calls through an 8-layer stack and 100,000 Lambda HTTP events through the adapter', async () => {
    const { stack, adapter } = await runScript()
    // Reported for the closing note (visible with --reporter=verbose).
    console.log(`R5 stack: ${JSON.stringify(stack)}\nR5 adapter: ${JSON.stringify(adapter)}`)
    expect(stack.done).toBe(1_000_000)
    expect(stack.failed).toBe(0)
    expect(stack.growthMB).toBeLessThan(5)
    expect(stack.timersLeft).toBeLessThanOrEqual(0)
    expect(adapter.done).toBe(100_000)
    expect(adapter.failed).toBe(0)
    expect(adapter.growthMB).toBeLessThan(5)
    expect(adapter.timersLeft).toBeLessThanOrEqual(0)
  }, 180_000)
})

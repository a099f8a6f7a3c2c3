/**
 * Issue #17: a small compressed body that inflates to 1 GiB must cost neither memory (decoding
 * only as the service reads, with backpressure) nor an unbounded read (`maxDecodedBytes`, 413).
 * RSS is measured in a child process (bomb-script.ts) so that it is that process's alone.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..', '..', '..')
const tsx = pathToFileURL(createRequire(join(repo, 'packages/dev/package.json')).resolve('tsx')).href

interface Phase {
  readonly status: number
  readonly growthMB: number
}

function runBomb(coding: 'br' | 'gzip'): Promise<{ bombBytes: number; ignored: Phase; read: Phase }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=256', '--import', tsx, join(here, 'bomb-script.ts'), coding],
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
      if (code !== 0) return reject(new Error(`bomb script exited ${code}: ${err.slice(-2000)}`))
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? ''))
      } catch {
        reject(new Error(`bomb script printed no result: ${out.slice(-500)} ${err.slice(-1000)}`))
      }
    })
  })
}

describe('decompression bombs (1 GiB of zeros)', () => {
  for (const coding of ['br', 'gzip'] as const) {
    it(`${coding}: RSS grows by less than 64 MB, and a service that reads the body gets 413`, async () => {
      const { bombBytes, ignored, read } = await runBomb(coding)
      console.log(`${coding} bomb of ${bombBytes} bytes: ${JSON.stringify({ ignored, read })}`)
      expect(ignored.status).toBe(200)
      expect(ignored.growthMB).toBeLessThan(64)
      expect(read.status).toBe(413)
      expect(read.growthMB).toBeLessThan(64)
    }, 120_000)
  }
})

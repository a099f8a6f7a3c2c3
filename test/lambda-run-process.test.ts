/**
 * `run()` of @turret/lambda in a real child process, with its defaults: AWS_LAMBDA_RUNTIME_API from
 * the environment, `process.exit`, and SIGTERM from the OS.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type RuntimeApiServer, startRuntimeApiServer } from '@turret/lambda/testing'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const tsx = pathToFileURL(createRequire(join(root, 'packages/dev/package.json')).resolve('tsx')).href
const bootstrap = join(root, 'test/fixtures/lambda-run-bootstrap.ts')

function start(api: RuntimeApiServer, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', tsx, bootstrap], {
    cwd: root,
    env: { ...process.env, AWS_LAMBDA_RUNTIME_API: api.endpoint, AWS_LAMBDA_FUNCTION_NAME: 'proc', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exited, output: () => output }
}

async function cleanup(child: ChildProcess, api: RuntimeApiServer) {
  if (child.exitCode === null) child.kill('SIGKILL')
  await api.close()
}

// Each test starts its own process and server, so they run concurrently (process start-up dominates).
describe.concurrent('run() in a child process', () => {
  it('serves invocations, and on SIGTERM finishes the in-flight one, then exits 0', async () => {
    const api = await startRuntimeApiServer()
    const proc = start(api)
    try {
      expect((await api.invoke({ value: 'first' })).json()).toBe('first')
      const slow = api.invoke({ value: 'slow', waitMs: 300 })
      await new Promise((r) => setTimeout(r, 100))
      proc.child.kill('SIGTERM')
      expect((await slow).json()).toBe('slow')
      expect(await proc.exited).toBe(0)
      expect(proc.output()).not.toContain('run() returned')
    } finally {
      await cleanup(proc.child, api)
    }
  }, 20_000)

  it('reports an init failure to /runtime/init/error and exits 1', async () => {
    const api = await startRuntimeApiServer()
    const proc = start(api, { MODE: 'init' })
    try {
      expect((await api.initError).json()).toMatchObject({ errorType: 'Error', errorMessage: 'missing configuration' })
      expect(await proc.exited).toBe(1)
    } finally {
      await cleanup(proc.child, api)
    }
  }, 20_000)

  it('exits 1 when /next answers 500', async () => {
    const api = await startRuntimeApiServer()
    api.failNext(500)
    const proc = start(api)
    try {
      expect(await proc.exited).toBe(1)
      expect(proc.output()).toContain('500')
    } finally {
      await cleanup(proc.child, api)
    }
  }, 20_000)
})

/**
 * Smoke test of the README's main job: `pnpm dev` (hono-on-lambda through `turret dev`) starts,
 * answers `/`, and stops; and the same for `pnpm dev` in examples/router-api (the router through
 * `turret dev`). Runs the real command on a free port (DEV_PORT=0).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

function waitForUrl(child: ChildProcess, output: { text: string }, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pnpm dev did not listen within ${ms} ms:\n${output.text}`)), ms)
    const onData = (chunk: Buffer) => {
      output.text += chunk.toString('utf8')
      const match = /serving \S+ on (http:\/\/[^\s]+)/.exec(output.text)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      output.text += chunk.toString('utf8')
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`pnpm dev exited early (${code ?? signal}):\n${output.text}`))
    })
  })
}

function stop(child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve()
    const kill = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL')
      } catch {}
    }, ms)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    try {
      process.kill(-child.pid, 'SIGTERM') // the whole group: pnpm, turret dev, the function's runtime
    } catch {
      clearTimeout(kill)
      resolve()
    }
  })
}

/** Starts `pnpm <args>` in `cwd` in its own process group (so the test can stop everything it started). */
function startDev(cwd: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn('pnpm', args, {
    cwd,
    env: { ...process.env, DEV_PORT: '0', FORCE_COLOR: '0', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

describe('pnpm dev', () => {
  let child: ChildProcess | undefined
  afterAll(async () => {
    if (child) await stop(child, 5_000)
  })

  it('serves hono-on-lambda through turret dev, answers /, and prints how to call it', async () => {
    child = startDev(root, ['dev'])
    const output = { text: '' }
    const url = await waitForUrl(child, output, 60_000)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(output.text).toContain('curl http://localhost:')

    const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(60_000) })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(await res.text()).toBe('Hello from Hono, wrapped by turret!')

    await stop(child, 5_000)
    expect(child.exitCode !== null || child.signalCode !== null).toBe(true)
  }, 150_000)
})

describe('pnpm dev in examples/router-api', () => {
  let child: ChildProcess | undefined
  afterAll(async () => {
    if (child) await stop(child, 5_000)
  })

  it('serves the router through the emulator: reads, an authorized write, a 401 and a 404', async () => {
    child = startDev(join(root, 'examples/router-api'), ['run', 'dev'], { API_TOKEN: 'dev-token' })
    const output = { text: '' }
    const url = await waitForUrl(child, output, 60_000)
    const signal = AbortSignal.timeout(60_000)

    const created = await fetch(`${url}/items`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-token', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'tea' }),
      signal,
    })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    const read = await fetch(`${url}/items/${id}`, { signal })
    expect(read.status).toBe(200)
    expect(read.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(await read.json()).toEqual({ id, name: 'tea' })
    expect((await fetch(`${url}/items/${id}`, { method: 'DELETE', signal })).status).toBe(401)
    expect((await fetch(`${url}/nope`, { signal })).status).toBe(404)

    await stop(child, 5_000)
    expect(child.exitCode !== null || child.signalCode !== null).toBe(true)
  }, 150_000)
})

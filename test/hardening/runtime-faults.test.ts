/**
 * R2 runtime faults: `run()` against the Lambda emulator (`startEmulator`), through a
 * fault-injecting proxy that also records every Runtime API call. Handlers that throw anything,
 * reject after the deadline, never settle or leave an unhandled rejection behind; a Runtime API
 * that answers /next with 500, resets connections mid-invocation, or refuses /response with 413.
 * Every invocation gets exactly one outcome and at most one accepted /response or /error; the loop
 * survives handler faults and exits 1 on Runtime API faults, as the spec requires.
 */
import { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type Emulator, type EmulatorInvokeResult, startEmulator } from '@turret/dev'
import { run } from '@turret/lambda'
import { afterEach, describe, expect, it } from 'vitest'
import { type FaultProxy, startFaultProxy } from './fault-proxy'
import { type FaultEvent, type FaultResult, faultyService, type Mode } from './fixtures/faulty-service'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..')

const cleanups: (() => Promise<unknown> | unknown)[] = []
afterEach(async () => {
  // Each step is bounded: a cleanup that hangs must not hide the test's own result.
  for (const c of cleanups.splice(0).reverse()) {
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([
      Promise.resolve(c()),
      new Promise((resolve) => {
        timer = setTimeout(resolve, 8_000)
      }),
    ])
    clearTimeout(timer)
  }
}, 40_000)

interface Setup {
  readonly emu: Emulator
  readonly proxy: FaultProxy
  readonly output: string[]
}

/** An emulator whose runtime talks to it through a fault proxy. */
async function setup(options: { timeoutMs: number; child?: boolean }): Promise<Setup> {
  const proxy = await startFaultProxy()
  cleanups.push(() => proxy.close())
  const output: string[] = []
  const command = options.child
    ? [
        process.execPath,
        '--import',
        pathToFileURL(createRequire(join(repo, 'packages/dev/package.json')).resolve('tsx')).href,
        join(here, 'fixtures', 'faulty-runtime.ts'),
      ]
    : undefined
  const emu = await startEmulator({
    functionName: 'faulty',
    timeoutMs: options.timeoutMs,
    env: { AWS_LAMBDA_RUNTIME_API: proxy.endpoint },
    command,
    cwd: repo,
    onOutput: (text) => output.push(text),
  })
  proxy.setTarget(emu.runtimeApi)
  cleanups.push(() => emu.close())
  return { emu, proxy, output }
}

interface Loop {
  readonly exits: number[]
  readonly logs: string[]
  /** Resolves when run() returns. */
  readonly done: Promise<void>
  stop(): Promise<void>
}

/** Starts `run(faultyService)` in this process against the proxy. */
function startLoop(s: Setup): Loop {
  const exits: number[] = []
  const logs: string[] = []
  const controller = new AbortController()
  const done = run(faultyService, {
    runtimeApi: s.proxy.endpoint,
    env: { ...s.emu.env, AWS_LAMBDA_RUNTIME_API: s.proxy.endpoint },
    exit: (code) => exits.push(code),
    signal: controller.signal,
    signals: new EventEmitter() as unknown as NonNullable<Parameters<typeof run>[1]>['signals'],
    logger: { error: (message: string, ...details: unknown[]) => logs.push(`${message} ${details.map(String)}`) },
  })
  const loop: Loop = {
    exits,
    logs,
    done,
    stop: async () => {
      controller.abort()
      await done
    },
  }
  cleanups.push(() => loop.stop())
  return loop
}

let counter = 0
function invoke(emu: Emulator, mode: Mode): Promise<EmulatorInvokeResult> {
  const event: FaultEvent = { mode, n: ++counter }
  return emu.invoke(event)
}

/**
 * The bookkeeping every scenario ends with: each invocation was delivered by /next at most once,
 * and the emulator accepted at most one /response or /error for it (exactly one when `answered`).
 */
async function expectNoLossNoDouble(
  proxy: FaultProxy,
  results: EmulatorInvokeResult[],
  answered: (r: EmulatorInvokeResult) => boolean,
): Promise<void> {
  await proxy.settled()
  const ids = results.map((r) => r.requestId)
  expect(new Set(ids).size).toBe(ids.length)
  for (const r of results) {
    const deliveries = proxy.records.filter((x) => x.kind === 'next' && x.requestId === r.requestId)
    expect(deliveries.length, `${r.requestId} delivered`).toBeLessThanOrEqual(1)
    const accepted = proxy.accepted(r.requestId)
    const trail = proxy.records
      .filter((x) => x.requestId === r.requestId)
      .map((x) => `${x.kind}:${x.client}/${x.upstream}`)
      .join(' ')
    expect(accepted.length, `${r.requestId} (${r.error?.errorType ?? 'ok'}) accepted posts: ${trail}`).toBe(
      answered(r) ? 1 : 0,
    )
    // The runtime itself posts once per invocation; only a /response refused with 413 is
    // followed by one /error.
    const posts = proxy.records.filter((x) => x.requestId === r.requestId && x.kind !== 'next')
    const allowed = posts[0]?.kind === 'response' && posts[0].client === 413 ? 2 : 1
    expect(posts.length, `${r.requestId} posts: ${trail}`).toBeLessThanOrEqual(allowed)
    if (posts.length === 2) expect(posts[1]?.kind).toBe('error')
  }
  // Nothing was delivered that nobody asked for.
  for (const x of proxy.records) if (x.kind === 'next' && x.requestId) expect(ids).toContain(x.requestId)
}

function okOf(r: EmulatorInvokeResult): FaultResult {
  expect(r.functionError, r.text().slice(0, 300)).toBeUndefined()
  return r.json() as FaultResult
}

describe('R2 handler faults, run() in-process against the emulator', () => {
  it('throws of every kind and a rejection after the deadline: one /error each, the loop keeps going', async () => {
    const s = await setup({ timeoutMs: 1_000 })
    const loop = startLoop(s)
    const results: EmulatorInvokeResult[] = []
    const go = async (mode: Mode) => {
      const r = await invoke(s.emu, mode)
      results.push(r)
      return r
    }

    expect(okOf(await go('ok')).ok).toBe(true)

    const typed = await go('throwError')
    expect(typed.error).toMatchObject({ errorType: 'TypeError', errorMessage: expect.stringMatching(/^typed failure/) })
    expect(Array.isArray(typed.error?.stackTrace)).toBe(true)

    const str = await go('throwString')
    expect(str.error).toMatchObject({ errorType: 'string', errorMessage: expect.stringMatching(/^a string/) })

    const undef = await go('throwUndefined')
    expect(undef.error).toMatchObject({ errorType: 'undefined', errorMessage: 'undefined' })

    const cyclic = await go('throwCyclic')
    expect(cyclic.error?.errorType).toBe('object')
    expect(cyclic.error?.errorMessage).toContain('[Circular]')
    expect(cyclic.error?.errorMessage).toContain('"kind":"cyclic"')

    const cause = await go('throwCyclicCause')
    expect(cause.error).toMatchObject({ errorType: 'Error', errorMessage: expect.stringMatching(/^cyclic cause/) })

    expect(okOf(await go('ok')).ok).toBe(true)

    // Rejects 50 ms after its deadline: Lambda has already timed the invocation out; the late
    // /error is refused (410) and the loop goes on.
    const late = await go('rejectAfterDeadline')
    expect(late.error?.errorType).toBe('Sandbox.Timedout')
    const after = await go('ok')
    expect(okOf(after).ok).toBe(true)
    const lateError = s.proxy.records.find((x) => x.kind === 'error' && x.requestId === late.requestId)
    expect(lateError?.upstream).toBe(410)

    expect(loop.exits).toEqual([])
    await loop.stop()
    expect(loop.exits).toEqual([])
    await expectNoLossNoDouble(s.proxy, results, (r) => r.error?.errorType !== 'Sandbox.Timedout')
  }, 30_000)

  it('a response the emulator refuses as too large (413): reported once, the loop keeps going', async () => {
    const s = await setup({ timeoutMs: 5_000 })
    const loop = startLoop(s)
    const big = await invoke(s.emu, 'big')
    expect(big.error?.errorType).toBe('Function.ResponseSizeTooLarge')
    const next = await invoke(s.emu, 'ok')
    expect(okOf(next).ok).toBe(true)
    const posts = s.proxy.records.filter((x) => x.requestId === big.requestId && x.kind !== 'next')
    expect(posts[0]?.kind).toBe('response')
    expect(posts[0]?.upstream).toBe(413)
    expect(loop.exits).toEqual([])
    await expectNoLossNoDouble(s.proxy, [big, next], (r) => r !== big)
  }, 30_000)
})

describe('R2 Runtime API faults (fault proxy in front of the emulator)', () => {
  it('/next answers 500: run() exits 1 without posting; the queued invocation is served by the next runtime', async () => {
    const s = await setup({ timeoutMs: 2_000 })
    s.proxy.inject('next', { kind: 'status', status: 500, body: '{"errorType":"Runtime.ContainerError"}' })
    const pending = invoke(s.emu, 'ok')
    const first = startLoop(s)
    await first.done
    expect(first.exits).toEqual([1])
    expect(s.proxy.records.filter((x) => x.kind !== 'next')).toEqual([])

    const second = startLoop(s)
    const result = await pending
    expect(okOf(result).n).toBeGreaterThan(0)
    await second.stop()
    expect(second.exits).toEqual([])
    await expectNoLossNoDouble(s.proxy, [result], () => true)
  }, 30_000)

  it('connection reset while /next delivers an invocation: run() exits 1, the invocation times out once', async () => {
    const s = await setup({ timeoutMs: 800 })
    s.proxy.inject('next', { kind: 'reset-after' })
    const lost = invoke(s.emu, 'ok')
    const first = startLoop(s)
    await first.done
    expect(first.exits).toEqual([1])
    const result = await lost
    expect(result.error?.errorType).toBe('Sandbox.Timedout')

    const second = startLoop(s)
    const next = await invoke(s.emu, 'ok')
    expect(okOf(next).ok).toBe(true)
    await second.stop()
    await expectNoLossNoDouble(s.proxy, [result, next], (r) => r === next)
  }, 30_000)

  it('connection reset on /response after the emulator took it: the answer stands once, run() exits 1', async () => {
    const s = await setup({ timeoutMs: 2_000 })
    s.proxy.inject('response', { kind: 'reset-after' })
    const first = startLoop(s)
    const result = await invoke(s.emu, 'ok')
    expect(okOf(result).ok).toBe(true)
    await first.done
    expect(first.exits).toEqual([1])

    const second = startLoop(s)
    const next = await invoke(s.emu, 'ok')
    expect(okOf(next).ok).toBe(true)
    await second.stop()
    await expectNoLossNoDouble(s.proxy, [result, next], () => true)
  }, 30_000)

  it('connection reset on /response before the emulator saw it: run() exits 1, the invocation times out once', async () => {
    const s = await setup({ timeoutMs: 800 })
    s.proxy.inject('response', { kind: 'reset-before' })
    const first = startLoop(s)
    const result = await invoke(s.emu, 'ok')
    expect(result.error?.errorType).toBe('Sandbox.Timedout')
    await first.done
    expect(first.exits).toEqual([1])
    await expectNoLossNoDouble(s.proxy, [result], () => false)
  }, 30_000)

  it('/response answered 413: the runtime reports the error to /error once and keeps going', async () => {
    const s = await setup({ timeoutMs: 2_000 })
    s.proxy.inject('response', { kind: 'status', status: 413, body: '{"errorType":"RequestEntityTooLarge"}' })
    const loop = startLoop(s)
    const refused = await invoke(s.emu, 'ok')
    expect(refused.error?.errorType).toBe('Runtime.ResponseTooLarge')
    const next = await invoke(s.emu, 'ok')
    expect(okOf(next).ok).toBe(true)
    expect(loop.exits).toEqual([])
    await loop.stop()
    await expectNoLossNoDouble(s.proxy, [refused, next], () => true)
    const posts = s.proxy.records.filter((x) => x.requestId === refused.requestId && x.kind !== 'next')
    expect(posts.map((p) => [p.kind, p.client])).toEqual([
      ['response', 413],
      ['error', 202],
    ])
  }, 30_000)
})

describe('R2 handler faults that take the process down, run() as a child process of the emulator', () => {
  it('never settles, leaves an unhandled rejection: each invocation ends once, a fresh runtime serves the next', async () => {
    const s = await setup({ timeoutMs: 1_500, child: true })
    const results: EmulatorInvokeResult[] = []
    const go = async (mode: Mode) => {
      const r = await invoke(s.emu, mode)
      results.push(r)
      return r
    }
    const pid1 = okOf(await go('ok')).pid

    // Never settles: Lambda times it out and tears the environment down.
    const hung = await go('neverSettle')
    expect(hung.error?.errorType).toBe('Sandbox.Timedout')
    const pid2 = okOf(await go('ok')).pid
    expect(pid2).not.toBe(pid1)

    // Never settles with an idle event loop: the process may run out of work and exit (Node ends
    // a process with nothing left to do) or be timed out; either way the invocation ends once.
    const idle = await go('neverSettleIdle')
    expect(['Sandbox.Timedout', 'Runtime.ExitError']).toContain(idle.error?.errorType)
    const pid2b = okOf(await go('ok')).pid
    expect(pid2b).not.toBe(pid2)

    // Leaves a rejection nobody handles: Node's default is to crash the process. The invocation
    // still ends exactly once (its response if it was posted first, else Runtime.ExitError).
    const unhandled = await go('unhandled')
    if (unhandled.functionError) expect(unhandled.error?.errorType).toBe('Runtime.ExitError')
    else expect(okOf(unhandled).ok).toBe(true)
    const pid3 = okOf(await go('ok')).pid
    expect(pid3).not.toBe(pid2b)

    // A plain throw in the child: the same process keeps serving.
    const thrown = await go('throwCyclicCause')
    expect(thrown.error?.errorType).toBe('Error')
    expect(okOf(await go('ok')).pid).toBe(pid3)

    await expectNoLossNoDouble(s.proxy, results, (r) => !r.functionError || r.error?.errorType === 'Error')
  }, 60_000)
})

import { TestClock } from '@turret/core/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { type Emulator, startEmulator } from './index'

const emulators: Emulator[] = []
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()))
})

async function start(clock: TestClock, timeoutMs = 1_000): Promise<Emulator> {
  const emu = await startEmulator({ functionName: 'fn', clock, timeoutMs })
  emulators.push(emu)
  return emu
}

async function next(emu: Emulator): Promise<Headers> {
  const res = await fetch(`${emu.url}/2018-06-01/runtime/invocation/next`)
  await res.arrayBuffer()
  return res.headers
}

describe('invocations: durations and deadlines on the injected clock', () => {
  it('durationMs and the REPORT line measure clock time, not wall time', async () => {
    const clock = new TestClock()
    const emu = await start(clock)
    const result = emu.invoke({})
    const id = (await next(emu)).get('lambda-runtime-aws-request-id') as string
    await clock.advance(250)
    await fetch(`${emu.url}/2018-06-01/runtime/invocation/${id}/response`, { method: 'POST', body: '"ok"' })
    const out = await result
    expect(out.durationMs).toBe(250)
    expect(out.logs).toContain('Duration: 250.00 ms\tBilled Duration: 250 ms')
  })

  it('the deadline it sends moves with the clock (epoch read once at start)', async () => {
    const clock = new TestClock()
    const emu = await start(clock, 3_000)
    const before = Date.now()
    await clock.advance(3_600_000)
    void emu.invoke({}).catch(() => {})
    const deadline = Number((await next(emu)).get('lambda-runtime-deadline-ms'))
    // An hour of clock time later: the deadline is an hour (and the timeout) past the wall time of the start.
    expect(deadline).toBeGreaterThanOrEqual(before + 3_600_000 + 3_000 - 5_000)
    expect(deadline).toBeLessThanOrEqual(Date.now() + 3_600_000 + 3_000)
  })
})

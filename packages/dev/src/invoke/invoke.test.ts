import { fileURLToPath } from 'node:url'
import { TestClock } from '@turret/core/testing'
import { describe, expect, it } from 'vitest'
import { invoke } from './index'

const handlers = fileURLToPath(new URL('../../test/fixtures/handlers.mjs', import.meta.url))

describe('invoke: in process, on the injected clock', () => {
  it('the function timeout runs on the clock: an hour-long timeout fires when the clock says so', async () => {
    const clock = new TestClock()
    const pending = invoke(handlers, {}, { exportName: 'slow', timeoutMs: 3_600_000, clock })
    // Let the module load and the handler start before time moves.
    while (clock.pending === 0) await new Promise((r) => setImmediate(r))
    await clock.advance(3_600_000)
    const out = await pending
    expect(out.ok).toBe(false)
    if (!out.ok) expect(out.error.errorType).toBe('Sandbox.Timedout')
    expect(out.durationMs).toBe(3_600_000)
  })

  it("callback handlers and the managed context work through lambda's fromManagedHandler", async () => {
    const callback = await invoke(handlers, { n: 1 }, { exportName: 'callback' })
    expect(callback.ok && callback.result).toEqual({ viaCallback: { n: 1 } })
    const out = await invoke(handlers, {}, { functionName: 'fn', requestId: 'r-1', memory: 256 })
    expect(out.ok && out.result).toMatchObject({
      requestId: 'r-1',
      functionName: 'fn',
      memory: '256',
      remainingPositive: true,
      envName: 'fn',
    })
  })
})

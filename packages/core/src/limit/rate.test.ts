import { describe, expect, it } from 'vitest'
import { NotReadyError } from '../errors'
import { track } from '../internal/track'
import { oneshot, serviceFn } from '../service'
import { flush, mockService, TestClock } from '../testing'
import { rateLimit } from './index'

describe('rateLimit (tower limit/rate.rs)', () => {
  it('reaching_capacity: pending once the window is used up, ready again when it ends', async () => {
    const clock = new TestClock()
    const { service, handle } = mockService<string, string>()
    const svc = rateLimit(1, 100, { clock })(service)
    expect(svc.ready()).toBeUndefined()
    const r1 = svc.call('hello')
    ;(await handle.nextRequest()).respond('world')
    expect(await r1).toBe('world')

    const ready = track(svc.ready())
    await flush()
    expect(ready.done).toBe(false)
    expect(handle.pollRequest()).toBeUndefined() // no request leaks through
    await clock.advance(101)
    expect(ready.ok).toBe(true)
    const r2 = svc.call('two')
    const req2 = await handle.nextRequest()
    expect(req2.request).toBe('two')
    req2.respond('done')
    expect(await r2).toBe('done')
  })

  it('remaining_gets_reset: a new window restores the whole budget', async () => {
    const clock = new TestClock()
    const svc = rateLimit(3, 100, { clock })(serviceFn((s: string) => s))
    expect(await oneshot(svc, 'a')).toBe('a')
    await clock.advance(100)
    expect(svc.ready()).toBeUndefined()
    await svc.call('b')
    expect(svc.ready()).toBeUndefined()
    await svc.call('c')
    expect(svc.ready()).toBeUndefined()
  })

  it('serves waiters FIFO across windows and clears its timer', async () => {
    const clock = new TestClock()
    const svc = rateLimit(2, 100, { clock })(serviceFn((n: number) => n))
    const results = [1, 2, 3, 4, 5].map((n) => track(oneshot(svc, n)))
    await flush()
    expect(results.map((r) => r.done)).toEqual([true, true, false, false, false])
    await clock.advance(100)
    expect(results.map((r) => r.done)).toEqual([true, true, true, true, false])
    await clock.advance(100)
    expect(results.map((r) => r.value)).toEqual([1, 2, 3, 4, 5])
    expect(clock.pending).toBe(0)
  })

  it('an aborted wait leaves the queue', async () => {
    const clock = new TestClock()
    const svc = rateLimit(1, 100, { clock })(serviceFn((n: number) => n))
    expect(svc.ready()).toBeUndefined()
    const controller = new AbortController()
    const aborted = track(svc.ready(controller.signal))
    const next = track(svc.ready())
    expect(svc.waiting).toBe(2)
    controller.abort('bye')
    await flush()
    expect(aborted.error).toBe('bye')
    expect(svc.waiting).toBe(1)
    await svc.call(1)
    await clock.advance(100)
    expect(next.ok).toBe(true)
    expect(svc.reserved).toBe(1)
  })

  it('rejects a call without a reservation and validates its arguments', async () => {
    const svc = rateLimit(1, 100)(serviceFn((n: number) => n))
    await expect(svc.call(1)).rejects.toBeInstanceOf(NotReadyError)
    expect(() => rateLimit(0, 100)).toThrow(RangeError)
    expect(() => rateLimit(1, 0)).toThrow(RangeError)
  })
})

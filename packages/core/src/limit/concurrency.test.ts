import { describe, expect, it } from 'vitest'
import { NotReadyError } from '../errors'
import { track } from '../internal/track'
import { describeStack, oneshot, serviceFn } from '../service'
import { flush, mockService } from '../testing'
import { concurrencyLimit, globalConcurrencyLimit, Semaphore } from './index'

describe('concurrencyLimit (tower limit/concurrency.rs)', () => {
  it('basic_service_limit_functionality_with_poll_ready: the third caller waits until a call completes', async () => {
    const { service, handle } = mockService<string, string>()
    const svc = concurrencyLimit(2)(service)
    expect(svc.ready()).toBeUndefined()
    const r1 = svc.call('hello 1')
    expect(svc.ready()).toBeUndefined()
    const r2 = svc.call('hello 2')
    const ready3 = track(svc.ready())
    await flush()
    expect(ready3.done).toBe(false)
    const req1 = await handle.nextRequest()
    expect(req1.request).toBe('hello 1')
    await flush()
    expect(ready3.done).toBe(false) // not woken by the inner receiving
    req1.respond('world 1')
    expect(await r1).toBe('world 1')
    await flush()
    expect(ready3.done && ready3.ok).toBe(true)
    const r3 = svc.call('hello 3')
    const req2 = await handle.nextRequest()
    const req3 = await handle.nextRequest()
    expect([req2.request, req3.request]).toEqual(['hello 2', 'hello 3'])
    req2.respond('world 2')
    req3.respond('world 3')
    expect(await r2).toBe('world 2')
    expect(await r3).toBe('world 3')
    expect(svc.semaphore.available).toBe(2)
  })

  it('basic_service_limit_functionality_without_poll_ready: waiters are woken only when a response completes', async () => {
    const { service, handle } = mockService<string, string>()
    const svc = concurrencyLimit(2)(service)
    const r1 = oneshot(svc, 'hello 1')
    const r2 = oneshot(svc, 'hello 2')
    const r3 = track(oneshot(svc, 'hello 3'))
    const req1 = await handle.nextRequest()
    const req2 = await handle.nextRequest()
    await flush()
    expect(handle.pollRequest()).toBeUndefined()
    req1.respond('world 1')
    expect(await r1).toBe('world 1')
    const req3 = await handle.nextRequest()
    expect(req3.request).toBe('hello 3')
    req2.respond('world 2')
    req3.respond('world 3')
    expect(await r2).toBe('world 2')
    await flush()
    expect(r3.value).toBe('world 3')
  })

  it('request_without_capacity: a limit of 0 stays pending', async () => {
    const { service } = mockService<string, string>()
    const svc = concurrencyLimit(0)(service)
    const ready = track(svc.ready())
    await flush()
    expect(ready.done).toBe(false)
  })

  it('reserve_capacity_without_sending_request: a reservation holds the permit until its call settles', async () => {
    const { service, handle } = mockService<string, string>()
    const svc = concurrencyLimit(1)(service)
    expect(svc.ready()).toBeUndefined() // caller 1 reserves
    const ready2 = track(svc.ready()) // caller 2 waits
    await flush()
    expect(ready2.done).toBe(false)
    const r1 = svc.call('hello')
    const req = await handle.nextRequest()
    await flush()
    expect(ready2.done).toBe(false)
    req.respond('world')
    expect(await r1).toBe('world')
    await flush()
    expect(ready2.ok).toBe(true)
  })

  it('service_drop_frees_capacity: abandoning a wait that holds the permit frees it for the next caller', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0) // the permit is taken, then the inner pends
    const svc = concurrencyLimit(1)(service)
    const controller = new AbortController()
    const ready1 = track(svc.ready(controller.signal))
    const ready2 = track(svc.ready())
    await flush()
    expect(svc.semaphore.available).toBe(0)
    expect(ready1.done || ready2.done).toBe(false)
    controller.abort(new Error('gone'))
    await flush()
    expect((ready1.error as Error).message).toBe('gone')
    handle.allow(1)
    await flush()
    expect(ready2.ok).toBe(true)
    expect(svc.reserved).toBe(1)
  })

  it('response_error_releases_capacity', async () => {
    const { service, handle } = mockService<string, string>()
    const svc = concurrencyLimit(1)(service)
    const r1 = oneshot(svc, 'hello')
    ;(await handle.nextRequest()).fail(new Error('boom'))
    await expect(r1).rejects.toThrow('boom')
    expect(svc.semaphore.available).toBe(1)
    expect(svc.ready()).toBeUndefined()
  })

  it('response_future_drop_releases_capacity (JS: a call that throws before returning releases its permit)', async () => {
    const svc = concurrencyLimit(1)({
      ready: () => undefined,
      call: (): Promise<string> => {
        throw new Error('sync throw')
      },
    })
    expect(svc.ready()).toBeUndefined()
    await expect(svc.call('x')).rejects.toThrow('sync throw')
    expect(svc.semaphore.available).toBe(1)
  })

  it('multi_waiters: waiters are served in FIFO order, one per freed permit', async () => {
    const { service, handle } = mockService<string, string>()
    const svc = concurrencyLimit(1)(service)
    const r1 = oneshot(svc, '1')
    const ready2 = track(svc.ready())
    const ready3 = track(svc.ready())
    ;(await handle.nextRequest()).respond('a')
    await r1
    await flush()
    expect(ready2.ok).toBe(true)
    expect(ready3.done).toBe(false)
    const r2 = svc.call('2')
    ;(await handle.nextRequest()).respond('b')
    await r2
    await flush()
    expect(ready3.ok).toBe(true)
  })

  it('rejects a call made without a reservation (never over-admits)', async () => {
    const svc = concurrencyLimit(1)(serviceFn((n: number) => n))
    await expect(svc.call(1)).rejects.toBeInstanceOf(NotReadyError)
    expect(svc.semaphore.available).toBe(1)
  })

  it('releases the permit when the inner readiness fails', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = concurrencyLimit(1)(service)
    const ready = svc.ready()
    handle.sendError(new Error('inner failed'))
    await expect(ready).rejects.toThrow('inner failed')
    expect(svc.semaphore.available).toBe(1)
  })

  it('an aborted wait for a permit takes no permit and leaves the queue', async () => {
    const svc = concurrencyLimit(1)(serviceFn((n: number) => n))
    expect(svc.ready()).toBeUndefined()
    const controller = new AbortController()
    const waiting = track(svc.ready(controller.signal))
    expect(svc.semaphore.waiting).toBe(1)
    controller.abort('stop')
    await flush()
    expect(waiting.error).toBe('stop')
    expect(svc.semaphore.waiting).toBe(0)
    expect(await svc.call(5)).toBe(5)
    expect(svc.semaphore.available).toBe(1)
  })

  it('an inner reservation that arrives after an abort is kept and reused, not leaked', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = concurrencyLimit(1)(service)
    const controller = new AbortController()
    const first = track(svc.ready(controller.signal))
    controller.abort('stop')
    await flush()
    expect(first.error).toBe('stop')
    expect(svc.semaphore.available).toBe(1)
    handle.allow(1) // the mock's pending readiness now reserves
    await flush()
    expect(handle.reserved).toBe(1)
    expect(svc.ready()).toBeUndefined() // uses the spare inner reservation
    const res = svc.call('again')
    ;(await handle.nextRequest()).respond('ok')
    expect(await res).toBe('ok')
    expect(handle.reserved).toBe(0)
  })

  it('concurrencyLimit makes a new limit per service; globalConcurrencyLimit shares one', async () => {
    const layer = concurrencyLimit(1)
    const a = layer(serviceFn((n: number) => n))
    const b = layer(serviceFn((n: number) => n))
    expect(a.ready()).toBeUndefined()
    expect(b.ready()).toBeUndefined()
    expect(a.semaphore).not.toBe(b.semaphore)

    const shared = new Semaphore(1)
    const g = globalConcurrencyLimit(shared)
    const c = g(serviceFn((n: number) => n))
    const d = g(serviceFn((n: number) => n))
    expect(c.ready()).toBeUndefined()
    const waiting = track(d.ready())
    await flush()
    expect(waiting.done).toBe(false)
    expect(await c.call(1)).toBe(1)
    await flush()
    expect(waiting.ok).toBe(true)
    expect(describeStack(d)).toEqual(['globalConcurrencyLimit', 'serviceFn'])
    expect(describeStack(a)).toEqual(['concurrencyLimit', 'serviceFn'])
  })

  it('validates its arguments', () => {
    expect(() => concurrencyLimit(-1)).toThrow(RangeError)
    expect(() => concurrencyLimit(1.5)).toThrow(RangeError)
    expect(() => new Semaphore(-1)).toThrow(RangeError)
  })
})

describe('concurrencyLimit abort races', () => {
  it('a caller that aborts right after its permit was granted gets no reservation and the permit returns', async () => {
    const shared = new Semaphore(1)
    expect(shared.tryAcquire()).toBe(true) // someone else holds the only permit
    const svc = globalConcurrencyLimit(shared)(serviceFn((n: number) => n))
    const controller = new AbortController()
    const waiting = track(svc.ready(controller.signal))
    shared.release() // granted to the waiter...
    controller.abort('late abort') // ...which gives up in the same tick
    await flush()
    expect(waiting.error).toBe('late abort')
    expect(svc.reserved).toBe(0)
    expect(shared.available).toBe(1)
  })
})

describe('abort signals through a stack', () => {
  it("turret's pass-through layers forward the signal, so an outer abort frees the wait below", async () => {
    const { timeout } = await import('../timeout')
    const { readyWith } = await import('../internal/wait')
    const limited = concurrencyLimit(1)(serviceFn((n: number) => n))
    const svc = timeout(1_000)(limited)
    expect(svc.ready()).toBeUndefined()
    const controller = new AbortController()
    const waiting = track(readyWith(svc, controller.signal))
    expect(limited.semaphore.waiting).toBe(1)
    controller.abort('client went away')
    await flush()
    expect(waiting.error).toBe('client went away')
    expect(limited.semaphore.waiting).toBe(0)
    expect(await svc.call(1)).toBe(1)
    expect(limited.semaphore.available).toBe(1)
  })
})

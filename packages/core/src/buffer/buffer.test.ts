import { describe, expect, it } from 'vitest'
import { ClosedError, NotReadyError } from '../errors'
import { track } from '../internal/track'
import { concurrencyLimit } from '../limit'
import { describeStack, oneshot, serviceFn } from '../service'
import { flush, mockService } from '../testing'
import { buffer, ServiceFailedError } from './index'

interface Req {
  readonly body: string
  readonly signal?: AbortSignal
}

describe('buffer (tower buffer/main.rs)', () => {
  it('req_and_res', async () => {
    const { service, handle } = mockService<string, string>()
    const svc = buffer(10)(service)
    expect(svc.ready()).toBeUndefined()
    const res = svc.call('hello')
    const req = await handle.nextRequest()
    expect(req.request).toBe('hello')
    req.respond('world')
    expect(await res).toBe('world')
    expect(describeStack(svc)).toEqual(['buffer', 'mock'])
  })

  it('clears_canceled_requests: a request aborted in the queue is skipped and its slot freed', async () => {
    const { service, handle } = mockService<Req, string>()
    handle.allow(1)
    const svc = buffer(10)(service)
    const res1 = oneshot(svc, { body: 'hello' })
    const req1 = await handle.nextRequest()
    expect(req1.request.body).toBe('hello')
    const controller = new AbortController()
    const res2 = track(oneshot(svc, { body: 'hello2', signal: controller.signal }))
    await flush()
    expect(handle.pollRequest()).toBeUndefined()
    const res3 = oneshot(svc, { body: 'hello3' })
    controller.abort(new Error('canceled'))
    await flush()
    expect((res2.error as Error).message).toBe('canceled')
    req1.respond('world')
    expect(await res1).toBe('world')
    handle.allow(1)
    const req3 = await handle.nextRequest()
    expect(req3.request.body).toBe('hello3')
    req3.respond('world3')
    expect(await res3).toBe('world3')
    expect(svc.available).toBe(10)
  })

  it('when_inner_is_not_ready: the buffer stays ready and the request waits in the worker', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = buffer(10)(service)
    expect(svc.ready()).toBeUndefined()
    const res = track(svc.call('hello'))
    await flush()
    expect(res.done).toBe(false)
    expect(handle.pollRequest()).toBeUndefined()
    handle.allow(1)
    const req = await handle.nextRequest()
    expect(req.request).toBe('hello')
    req.respond('world')
    await flush()
    expect(res.value).toBe('world')
  })

  it('when_inner_fails: the request fails with ServiceFailedError whose cause is the inner error', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    handle.sendError(new Error('foobar'))
    const svc = buffer(10)(service)
    expect(svc.ready()).toBeUndefined()
    const error = await svc.call('hello').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ServiceFailedError)
    expect((error as ServiceFailedError).code).toBe('ERR_SERVICE_FAILED')
    expect(((error as Error).cause as Error).message).toBe('foobar')
    expect((error as Error).message).toBe('buffered service failed: foobar')
    expect(() => svc.ready()).toThrow(ServiceFailedError) // and for good
  })

  it('poll_ready_when_worker_is_dropped_early: ready() fails with ClosedError after close()', () => {
    const { service } = mockService<string, string>()
    const svc = buffer(1)(service)
    svc.close()
    expect(() => svc.ready()).toThrow(ClosedError)
  })

  it('response_future_when_worker_is_dropped_early: a queued request fails with ClosedError', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = buffer(1)(service)
    expect(svc.ready()).toBeUndefined()
    const res = svc.call('hello')
    await flush()
    svc.close()
    await expect(res).rejects.toBeInstanceOf(ClosedError)
    expect(handle.pollRequest()).toBeUndefined()
  })

  it('waits_for_channel_capacity (bound 2): the worker holds one, the queue two; then FIFO', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = buffer(2)(service)
    const responses: Promise<string>[] = []
    for (const n of [1, 2, 3]) {
      expect(svc.ready()).toBeUndefined()
      responses.push(svc.call(`hello ${n}`))
      await flush()
    }
    expect(svc.queued).toBe(2)
    const ready4 = track(svc.ready())
    await flush()
    expect(ready4.done).toBe(false)

    handle.allow(1)
    const req1 = await handle.nextRequest()
    expect(req1.request).toBe('hello 1')
    await flush()
    expect(ready4.ok).toBe(true) // request 2 moved to the worker: a slot is free
    req1.respond('world 1')
    expect(await responses[0]).toBe('world 1')
    responses.push(svc.call('hello 4'))

    handle.allow(3)
    for (const n of [2, 3, 4]) {
      const req = await handle.nextRequest()
      expect(req.request).toBe(`hello ${n}`)
      req.respond(`world ${n}`)
      expect(await responses[n - 1]).toBe(`world ${n}`)
    }
    expect(svc.available).toBe(2)
  })

  it('wakes_pending_waiters_on_close: queued requests and waiters get ClosedError', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = buffer(1)(service)
    const res1 = track(oneshot(svc, 'in worker'))
    await flush()
    const res2 = track(oneshot(svc, 'in queue'))
    const waiter1 = track(svc.ready())
    const waiter2 = track(svc.ready())
    await flush()
    expect([res1.done, res2.done, waiter1.done, waiter2.done]).toEqual([false, false, false, false])
    svc.close()
    await flush()
    for (const t of [res1, res2, waiter1, waiter2]) expect(t.error).toBeInstanceOf(ClosedError)
    expect(svc.waiting).toBe(0)
  })

  it('wakes_pending_waiters_on_failure: queued requests and waiters get ServiceFailedError', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = buffer(1)(service)
    const res1 = track(oneshot(svc, 'in worker'))
    await flush()
    const res2 = track(oneshot(svc, 'in queue'))
    const waiter1 = track(svc.ready())
    const waiter2 = track(svc.ready())
    await flush()
    handle.sendError(new Error('foobar'))
    await flush()
    for (const t of [res1, res2, waiter1, waiter2]) {
      expect(t.error).toBeInstanceOf(ServiceFailedError)
      expect(((t.error as Error).cause as Error).message).toBe('foobar')
    }
  })

  it('doesnt_leak_permits (bound 2): each reservation holds exactly one slot, freed when its request is taken', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = buffer(2)(service)
    expect(svc.ready()).toBeUndefined() // caller 1
    expect(svc.ready()).toBeUndefined() // caller 2
    expect(svc.available).toBe(0)
    expect(svc.reserved).toBe(2)
    const ready3 = track(svc.ready())
    await flush()
    expect(ready3.done).toBe(false)
    const res1 = svc.call('one')
    await flush()
    expect(ready3.ok).toBe(true) // the worker took request 1: its slot went to caller 3
    handle.allow(1)
    ;(await handle.nextRequest()).respond('done')
    expect(await res1).toBe('done')
    expect(svc.reserved).toBe(2)
    expect(svc.available).toBe(0)
  })

  it('an aborted wait for a slot takes none; a call without a reservation is refused', async () => {
    const svc = buffer(1)(serviceFn((n: number) => n))
    expect(svc.ready()).toBeUndefined()
    const controller = new AbortController()
    const waiting = track(svc.ready(controller.signal))
    controller.abort('stop')
    await flush()
    expect(waiting.error).toBe('stop')
    expect(svc.waiting).toBe(0)
    expect(await svc.call(1)).toBe(1)
    await expect(svc.call(2)).rejects.toBeInstanceOf(NotReadyError)
    expect(svc.available).toBe(1)
  })

  it('a request canceled while the worker waits for readiness keeps the inner reservation for the next', async () => {
    const { service, handle } = mockService<Req, string>()
    handle.allow(0)
    const svc = buffer(2)(service)
    const controller = new AbortController()
    const res1 = track(oneshot(svc, { body: 'one', signal: controller.signal }))
    await flush()
    controller.abort('gone')
    handle.allow(1)
    await flush()
    expect(res1.error).toBe('gone')
    const res2 = oneshot(svc, { body: 'two' })
    const req = await handle.nextRequest()
    expect(req.request.body).toBe('two')
    req.respond('ok')
    expect(await res2).toBe('ok')
    expect(handle.reserved).toBe(0)
  })

  it('buffer over concurrencyLimit accepts bound + limit requests (tower builder docs)', async () => {
    const { service, handle } = mockService<number, number>()
    const svc = buffer(3)(concurrencyLimit(2)(service))
    const results = [1, 2, 3, 4, 5, 6, 7].map((n) => track(oneshot(svc, n)))
    await flush()
    expect(handle.outstanding).toBe(2) // 2 in flight, 1 held by the worker, 3 queued, 1 waiting
    expect(svc.queued).toBe(3)
    expect(svc.waiting).toBe(1)
    for (let i = 0; i < 7; i++) (await handle.nextRequest()).respond(i)
    await flush()
    expect(results.every((r) => r.ok)).toBe(true)
  })

  it('validates its bound', () => {
    expect(() => buffer(0)).toThrow(RangeError)
  })
})

describe('buffer abort races', () => {
  it('a waiter that aborts in the tick its slot was granted gives the slot back', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = buffer(1)(service)
    expect(svc.ready()).toBeUndefined()
    const controller = new AbortController()
    const waiting = track(svc.ready(controller.signal))
    svc.call('x') // the worker takes it at once: its slot goes to the waiter
    controller.abort('late')
    await flush()
    expect(waiting.error).toBe('late')
    expect(svc.reserved).toBe(0)
    expect(svc.available).toBe(1)
  })
})

describe('buffer context propagation', () => {
  it('propagates_trace_spans (JS: AsyncLocalStorage): the inner call runs in the caller’s async context', async () => {
    const { AsyncLocalStorage } = await import('node:async_hooks')
    const span = new AsyncLocalStorage<string>()
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const seen: Array<string | undefined> = []
    const svc = buffer(4)({
      ready: () => service.ready(),
      call: (req: string) => {
        seen.push(span.getStore())
        return service.call(req)
      },
    })
    // The first caller starts the worker; the second is dispatched by that worker later.
    const a = span.run('span-a', () => oneshot(svc, 'a'))
    const b = span.run('span-b', () => oneshot(svc, 'b'))
    await flush()
    handle.allow(2)
    ;(await handle.nextRequest()).respond('A')
    ;(await handle.nextRequest()).respond('B')
    expect([await a, await b]).toEqual(['A', 'B'])
    expect(seen).toEqual(['span-a', 'span-b'])
  })
})

import { describe, expect, it } from 'vitest'
import { concurrencyLimit } from '../limit'
import { describeStack, oneshot, serviceFn } from '../service'
import { flush, mockService } from '../testing'
import { loadShed, OverloadedError } from './index'

describe('loadShed (tower load_shed)', () => {
  it('when_ready: reports ready and passes the request', async () => {
    const { service, handle } = mockService<string, string>()
    const svc = loadShed()(service)
    expect(svc.ready()).toBeUndefined()
    const res = svc.call('hello')
    const req = await handle.nextRequest()
    expect(req.request).toBe('hello')
    req.respond('world')
    expect(await res).toBe('world')
    expect(describeStack(svc)).toEqual(['loadShed', 'mock'])
  })

  it('when_not_ready: still reports ready, and the call fails at once with OverloadedError', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = loadShed()(service)
    expect(svc.ready()).toBeUndefined()
    const error = await svc.call('hello').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OverloadedError)
    expect((error as OverloadedError).code).toBe('ERR_OVERLOADED')
    expect((error as OverloadedError).message).toBe('service overloaded')
    expect(handle.pollRequest()).toBeUndefined()
  })

  it('keeps a reservation that the inner grants later for the next call (no leak)', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = loadShed()(service)
    svc.ready()
    await expect(svc.call('a')).rejects.toBeInstanceOf(OverloadedError)
    handle.allow(1)
    await flush()
    expect(svc.held).toBe(1)
    expect(handle.reserved).toBe(1)
    expect(svc.ready()).toBeUndefined()
    const res = svc.call('b')
    ;(await handle.nextRequest()).respond('ok')
    expect(await res).toBe('ok')
    expect(handle.reserved).toBe(0)
    expect(svc.held).toBe(0)
  })

  it('sheds above a concurrency limit without holding a permit', async () => {
    const { service, handle } = mockService<string, string>()
    const limited = concurrencyLimit(1)(service)
    const svc = loadShed()(limited)
    const first = oneshot(svc, 'first')
    await expect(oneshot(svc, 'second')).rejects.toBeInstanceOf(OverloadedError)
    await flush()
    expect(limited.semaphore.waiting).toBe(0) // the abandoned permit wait left the queue
    ;(await handle.nextRequest()).respond('done')
    expect(await first).toBe('done')
    expect(limited.semaphore.available).toBe(1)
    const third = oneshot(svc, 'third') // capacity is back: not shed
    ;(await handle.nextRequest()).respond('again')
    expect(await third).toBe('again')
  })

  it('propagates an inner readiness failure', async () => {
    const { service, handle } = mockService<string, string>()
    handle.sendError(new Error('broken'))
    const svc = loadShed()(service)
    expect(() => svc.ready()).toThrow('broken')
    expect(await oneshot(loadShed()(serviceFn((n: number) => n + 1)), 1)).toBe(2)
  })
})

import { describe, expect, it } from 'vitest'
import { track } from '../internal/track'
import { flush, mockService } from '../testing'
import { spawnReady } from './index'

describe('spawnReady (tower spawn_ready/main.rs)', () => {
  it('when_inner_is_not_ready: pending until the inner is ready', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = spawnReady()(service)
    const ready = track(svc.ready())
    await flush()
    expect(ready.done).toBe(false)
    handle.allow(1)
    await flush()
    expect(ready.ok).toBe(true)
    const res = svc.call('hello')
    ;(await handle.nextRequest()).respond('world')
    expect(await res).toBe('world')
  })

  it('when_inner_fails: the readiness error surfaces, for good', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    handle.sendError(new Error('foobar'))
    const svc = spawnReady()(service)
    expect(() => svc.ready()).toThrow('foobar')
    const { service: s2, handle: h2 } = mockService<string, string>()
    h2.allow(0)
    const svc2 = spawnReady()(s2)
    const ready = track(svc2.ready())
    h2.sendError(new Error('later'))
    await flush()
    expect((ready.error as Error).message).toBe('later')
    expect(() => svc2.ready()).toThrow('later')
  })

  it('abort_on_drop (JS: abandoning the wait): nothing reaches the inner and the reservation is kept', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = spawnReady()(service)
    const controller = new AbortController()
    const ready = track(svc.ready(controller.signal))
    controller.abort('gone')
    await flush()
    expect(ready.error).toBe('gone')
    handle.allow(1)
    await flush()
    expect(handle.pollRequest()).toBeUndefined()
    expect(svc.spare).toBe(1)
    expect(svc.ready()).toBeUndefined()
    expect(svc.spare).toBe(0)
  })

  it('serves several waiters in order from one background task at a time', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = spawnReady()(service)
    const a = track(svc.ready())
    const b = track(svc.ready())
    handle.allow(1)
    await flush()
    expect([a.ok, b.done]).toEqual([true, false])
    const res = svc.call('a')
    ;(await handle.nextRequest()).respond('A')
    await res
    handle.allow(1)
    await flush()
    expect(b.ok).toBe(true)
  })
})

describe('spawnReady context propagation', () => {
  it('propagates_trace_spans (JS: AsyncLocalStorage): readiness and the call run in the caller’s context', async () => {
    const { AsyncLocalStorage } = await import('node:async_hooks')
    const span = new AsyncLocalStorage<string>()
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const seen: Array<string | undefined> = []
    const svc = spawnReady()({
      ready: () => {
        seen.push(`ready:${span.getStore()}`)
        return service.ready()
      },
      call: (req: string) => {
        seen.push(`call:${span.getStore()}`)
        return service.call(req)
      },
    })
    const res = span.run('span-a', async () => {
      await svc.ready()
      return svc.call('x')
    })
    await flush()
    handle.allow(1)
    ;(await handle.nextRequest()).respond('y')
    expect(await res).toBe('y')
    expect(seen).toEqual(['ready:span-a', 'call:span-a'])
  })
})

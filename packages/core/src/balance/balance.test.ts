import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { discoverChannel, serviceList } from '../discover'
import { NotReadyError } from '../errors'
import { track } from '../internal/track'
import { type LoadService, pendingRequests } from '../load'
import { type Service, serviceFn } from '../service'
import { flush, type MockHandle, mockService } from '../testing'
import { balance, DiscoverError } from './index'

describe('balance (tower balance/p2c/test.rs)', () => {
  it('empty: no endpoints → pending, not an error', async () => {
    const lb = balance(serviceList<Service<string, string>>([]))
    const ready = track(lb.ready())
    await flush()
    expect(ready.done).toBe(false)
    expect(lb.len).toBe(0)
  })

  it('single_endpoint: discovered while pending, routed when ready, dropped when failed', async () => {
    const { service, handle } = mockService<string, number>()
    handle.allow(0)
    const endpoints = discoverChannel<number, Service<string, number>>()
    endpoints.insert(0, service)
    const lb = balance(endpoints.discover)
    const ready = track(lb.ready())
    await flush()
    expect(ready.done).toBe(false)
    expect(lb.len).toBe(1) // balancer must have discovered endpoint
    handle.allow(1)
    await flush()
    expect(ready.ok).toBe(true)
    const res = lb.call('hello')
    const req = await handle.nextRequest()
    expect(req.request).toBe('hello')
    req.respond(1)
    expect(await res).toBe(1)
    handle.sendError(new Error('endpoint lost'))
    await flush()
    const again = track(lb.ready())
    await flush()
    expect(again.done).toBe(false)
    expect(lb.len).toBe(0) // balancer must drop failed endpoints
  })

  it('two_endpoints_with_equal_load: requests go to whichever is ready; a failed one is dropped', async () => {
    const a = mockService<string, string>()
    const b = mockService<string, string>()
    a.handle.allow(0)
    b.handle.allow(0)
    const lb = balance(serviceList([a.service, b.service]))
    const first = track(lb.ready())
    await flush()
    expect(first.done).toBe(false)
    expect(lb.len).toBe(2)

    a.handle.allow(1)
    await flush()
    expect(first.ok).toBe(true)
    const ra = lb.call('to a')
    expect((await a.handle.nextRequest()).request).toBe('to a')

    const second = track(lb.ready())
    b.handle.allow(1)
    await flush()
    expect(second.ok).toBe(true)
    lb.call('to b')
    expect((await b.handle.nextRequest()).request).toBe('to b')

    a.handle.allow(1)
    b.handle.allow(1)
    await flush()
    expect(lb.ready()).toBeUndefined()
    lb.call('one')
    expect(lb.ready()).toBeUndefined()
    lb.call('two')
    await flush()
    const served = [a.handle.pollRequest(), b.handle.pollRequest()].map((r) => r?.request)
    expect(served.sort()).toEqual(['one', 'two'])
    expect(ra).toBeInstanceOf(Promise)

    b.handle.allow(0)
    a.handle.sendError(new Error('a failed'))
    await flush()
    const third = track(lb.ready())
    await flush()
    expect(third.done).toBe(false)
    expect(lb.len).toBe(1) // balancer must drop failed endpoints
  })

  it('prefers the less loaded of two endpoints', async () => {
    const busy = mockService<number, string>()
    const idle = mockService<number, string>()
    const busyLoaded = pendingRequests()(busy.service)
    for (let i = 0; i < 5; i++) {
      busyLoaded.ready()
      busyLoaded.call(0) // busy now has load 5
    }
    const services: LoadService<number, string>[] = [busyLoaded, pendingRequests()(idle.service)]
    const lb = balance(serviceList(services), { random: () => 0 })
    await flush()
    for (let i = 1; i <= 3; i++) {
      const ready = lb.ready()
      if (ready) await ready
      lb.call(i)
    }
    await flush()
    expect(idle.handle.outstanding).toBe(3)
    expect(busy.handle.outstanding).toBe(5)
  })

  it('fails with DiscoverError when discovery fails; refuses calls without readiness', async () => {
    const endpoints = discoverChannel<number, Service<number, number>>()
    const lb = balance(endpoints.discover)
    await expect(lb.call(1)).rejects.toBeInstanceOf(NotReadyError)
    const waiting = track(lb.ready())
    endpoints.fail(new Error('registry down'))
    await flush()
    expect(waiting.error).toBeInstanceOf(DiscoverError)
    expect(((waiting.error as Error).cause as Error).message).toBe('registry down')
    expect(() => lb.ready()).toThrow(DiscoverError)
  })

  it('removal stops routing to an endpoint; an aborted wait leaves the queue', async () => {
    const endpoints = discoverChannel<string, Service<number, string>>()
    const lb = balance(endpoints.discover)
    endpoints.insert(
      'a',
      serviceFn((n: number) => `a${n}`),
    )
    await flush()
    expect(lb.ready()).toBeUndefined()
    expect(await lb.call(1)).toBe('a1')
    endpoints.remove('a')
    await flush()
    const controller = new AbortController()
    const waiting = track(lb.ready(controller.signal))
    controller.abort('stop')
    await flush()
    expect(waiting.error).toBe('stop')
    endpoints.insert(
      'b',
      serviceFn((n: number) => `b${n}`),
    )
    await flush()
    expect(lb.ready()).toBeUndefined()
    expect(await lb.call(2)).toBe('b2')
  })
})

describe('balance stress (tower balance/main.rs::stress)', () => {
  type Step =
    | { readonly t: 'insert'; readonly allow: boolean }
    | { readonly t: 'remove'; readonly k: number }
    | { readonly t: 'fail'; readonly k: number }
    | { readonly t: 'allow'; readonly k: number; readonly n: number }
    | { readonly t: 'call' }
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ t: fc.constant('insert' as const), allow: fc.boolean() }),
    fc.record({ t: fc.constant('remove' as const), k: fc.nat() }),
    fc.record({ t: fc.constant('fail' as const), k: fc.nat() }),
    fc.record({ t: fc.constant('allow' as const), k: fc.nat(), n: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ t: fc.constant('call' as const) }),
  )

  it('ready ⇔ some live endpoint is ready; requests only reach ready endpoints', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 80 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        async (steps, r) => {
          const endpoints = discoverChannel<number, Service<number, number>>()
          let seed = r
          const lb = balance(endpoints.discover, { random: () => (seed = (seed * 9301 + 0.49297) % 1) })
          const live = new Map<number, MockHandle<number, number>>()
          let next = 0
          let misrouted = 0
          for (const s of steps) {
            const keys = [...live.keys()]
            if (s.t === 'insert') {
              const { service, handle } = mockService<number, number>()
              if (!s.allow) handle.allow(0)
              live.set(next, handle)
              endpoints.insert(next++, service)
            } else if (s.t === 'remove' && keys.length > 0) {
              const key = keys[s.k % keys.length] as number
              live.delete(key)
              endpoints.remove(key)
            } else if (s.t === 'fail' && keys.length > 0) {
              const key = keys[s.k % keys.length] as number
              live.get(key)?.sendError(new Error('failed'))
              live.delete(key)
            } else if (s.t === 'allow' && keys.length > 0) {
              live.get(keys[s.k % keys.length] as number)?.allow(s.n)
            } else if (s.t === 'call') {
              const ready = lb.ready()
              await flush()
              const anyReady = lb.nextKey !== undefined
              if (ready === undefined || anyReady) {
                const res = lb.call(0).catch((e: unknown) => {
                  if (e instanceof NotReadyError) misrouted++
                  return 0
                })
                void res
              } else {
                // Pending: no live endpoint may be able to take a call.
                const canServe = [...live.values()].some((h) => h.reserved > 0)
                expect(canServe).toBe(false)
                const controller = new AbortController()
                controller.abort()
                // leave the pending waiter: it is served later, like any waiter
              }
            }
            await flush()
          }
          expect(misrouted).toBe(0)
        },
      ),
      { numRuns: 150 },
    )
  })
})

import { describe, expect, it } from 'vitest'
import { type Change, serviceList } from '../discover'
import { oneshot, serviceFn } from '../service'
import { mockService, TestClock } from '../testing'
import {
  type CompletionHandle,
  constantLoad,
  type LoadService,
  peakEwma,
  peakEwmaDiscover,
  pendingRequests,
  pendingRequestsDiscover,
} from './index'

describe('pendingRequests (tower load/pending_requests.rs)', () => {
  it('default: counts calls in flight', async () => {
    const { service, handle } = mockService<string, string>()
    const svc = pendingRequests()(service)
    expect(svc.load()).toBe(0)
    const r1 = oneshot(svc, 'a')
    expect(svc.load()).toBe(1)
    const r2 = oneshot(svc, 'b')
    expect(svc.load()).toBe(2)
    ;(await handle.nextRequest()).respond('A')
    await r1
    expect(svc.load()).toBe(1)
    ;(await handle.nextRequest()).fail(new Error('x'))
    await expect(r2).rejects.toThrow('x')
    expect(svc.load()).toBe(0)
  })

  it('with_completion: a custom tracker keeps the load up until the handles are done', async () => {
    const svc = pendingRequests<{ handle?: CompletionHandle }>({
      completion: (res, handle) => ({ ...res, handle }),
    })(serviceFn((_: string) => ({})))
    const a = await oneshot(svc, 'a')
    const b = await oneshot(svc, 'b')
    expect(svc.load()).toBe(2)
    a.handle?.done()
    a.handle?.done() // once only
    expect(svc.load()).toBe(1)
    b.handle?.done()
    expect(svc.load()).toBe(0)
  })
})

describe('peakEwma (tower load/peak_ewma.rs)', () => {
  it('default_decay: the default RTT decays over time', async () => {
    const clock = new TestClock()
    const svc = peakEwma({ defaultRtt: 10, decay: 1_000, clock })(serviceFn(() => undefined))
    expect(svc.load()).toBe(10)
    await clock.advance(100)
    const l1 = svc.load()
    expect(l1 > 9 && l1 < 10).toBe(true)
    await clock.advance(100)
    const l2 = svc.load()
    expect(l2 > 8 && l2 < 9).toBe(true)
  })

  it('compound_decay: each pending call multiplies the cost; a peak replaces the estimate', async () => {
    const clock = new TestClock()
    const { service, handle } = mockService<string, string>()
    const svc = peakEwma({ defaultRtt: 20, decay: 1_000, clock })(service)
    expect(svc.load()).toBe(20)
    await clock.advance(100)
    const rsp0 = oneshot(svc, 'a')
    expect(svc.load()).toBeGreaterThan(20)
    await clock.advance(100)
    const rsp1 = oneshot(svc, 'b')
    expect(svc.load()).toBeGreaterThan(40)
    await clock.advance(100)
    ;(await handle.nextRequest()).respond('A')
    await rsp0
    expect(svc.load()).toBe(400) // 200 ms peak × (1 pending + 1)
    await clock.advance(100)
    ;(await handle.nextRequest()).respond('B')
    await rsp1
    expect(svc.load()).toBeCloseTo(200, 9)
    await clock.advance(1_000)
    expect(svc.load()).toBeLessThan(100)
    await clock.advance(10_000)
    expect(svc.load()).toBeLessThan(0.1)
  })

  it('validates its options', () => {
    expect(() => peakEwma({ defaultRtt: 0 })).toThrow(RangeError)
    expect(() => peakEwma({ decay: -1 })).toThrow(RangeError)
  })
})

describe('load discover wrappers and constantLoad', () => {
  it('wrap every inserted service', async () => {
    const changes: Change<number, LoadService<number, number>>[] = []
    for await (const c of pendingRequestsDiscover(serviceList([serviceFn((n: number) => n)]))) changes.push(c)
    for await (const c of peakEwmaDiscover(serviceList([serviceFn((n: number) => n)]), {
      defaultRtt: 5,
      clock: new TestClock(),
    }))
      changes.push(c)
    const loads = changes.map((c) => (c.type === 'insert' ? c.service.load() : -1))
    expect(loads).toEqual([0, 5])
    expect(constantLoad(7)(serviceFn((n: number) => n)).load()).toBe(7)
  })
})

import { oneshot, serviceFn } from '@turret/core'
import { TestClock } from '@turret/core/testing'
import { describe, expect, it } from 'vitest'
import type { HttpService } from '../types'
import { InFlightRequestsCounter, inFlightRequests } from './index'

describe('inFlightRequests', () => {
  it('basic: ready() does not count; call → 1; response → still 1; body consumed → 0', async () => {
    const counter = new InFlightRequestsCounter()
    let release!: (res: Response) => void
    const inner = serviceFn(
      () =>
        new Promise<Response>((resolve) => {
          release = resolve
        }),
    )
    const svc = inFlightRequests(counter)(inner)
    expect(svc.ready()).toBeUndefined()
    expect(counter.get()).toBe(0)
    const pending = svc.call(new Request('http://x/'))
    expect(counter.get()).toBe(1)
    release(new Response('body'))
    const res = await pending
    expect(counter.get()).toBe(1)
    expect(await res.text()).toBe('body')
    expect(counter.get()).toBe(0)
  })

  it('a cancelled body, a bodiless response and a rejection all count down', async () => {
    const counter = new InFlightRequestsCounter()
    const svc = inFlightRequests(counter)(
      serviceFn((req: Request) => {
        if (req.url.endsWith('/fail')) throw new Error('x')
        return req.url.endsWith('/empty') ? new Response(null, { status: 204 }) : new Response('data')
      }),
    )
    const res = await oneshot(svc, new Request('http://x/'))
    expect(counter.get()).toBe(1)
    await res.body?.cancel()
    expect(counter.get()).toBe(0)
    await oneshot(svc, new Request('http://x/empty'))
    expect(counter.get()).toBe(0)
    await expect(oneshot(svc, new Request('http://x/fail'))).rejects.toThrow('x')
    expect(counter.get()).toBe(0)
  })

  it('counts concurrent requests across services sharing the counter, and emits on an interval', async () => {
    const counter = new InFlightRequestsCounter()
    const hang: HttpService = { ready: () => undefined, call: () => new Promise<Response>(() => {}) }
    const a = inFlightRequests(counter)(hang)
    const b = inFlightRequests(counter)(hang)
    void a.call(new Request('http://x/'))
    void b.call(new Request('http://x/'))
    void a.call(new Request('http://x/'))
    expect(counter.get()).toBe(3)
    const clock = new TestClock()
    const seen: number[] = []
    const stop = counter.emit(100, (n) => seen.push(n), { clock })
    await clock.advance(250)
    stop()
    await clock.advance(500)
    expect(seen).toEqual([3, 3])
  })
})

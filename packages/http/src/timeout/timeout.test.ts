import { oneshot, serviceFn } from '@turret/core'
import { TestClock } from '@turret/core/testing'
import { describe, expect, it } from 'vitest'
import type { HttpService } from '../types'
import { requestTimeout } from './index'

/** An inner service that answers after `ms` on `clock`. */
function slow(clock: TestClock, ms: number, body = 'done'): HttpService {
  return serviceFn(
    () =>
      new Promise<Response>((resolve) => {
        clock.setTimeout(() => resolve(new Response(body)), ms)
      }),
  )
}

describe('requestTimeout', () => {
  it('request completes within the timeout: the inner response is returned', async () => {
    const clock = new TestClock()
    const pending = oneshot(requestTimeout(100, { clock })(slow(clock, 50)), new Request('http://x/'))
    await clock.advance(50)
    const res = await pending
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('done')
    expect(clock.pending).toBe(0)
  })

  it('timeout: 408 with an empty body by default', async () => {
    const clock = new TestClock()
    const pending = oneshot(requestTimeout(100, { clock })(slow(clock, 500)), new Request('http://x/'))
    await clock.advance(100)
    const res = await pending
    expect(res.status).toBe(408)
    expect(await res.text()).toBe('')
  })

  it('custom status code (number shorthand and option)', async () => {
    const clock = new TestClock()
    const a = oneshot(requestTimeout(10, { status: 503, clock })(slow(clock, 50)), new Request('http://x/'))
    await clock.advance(10)
    expect((await a).status).toBe(503)
    const b = oneshot(
      requestTimeout(0, 504)(serviceFn(() => new Promise<Response>(() => {}))),
      new Request('http://x/'),
    )
    expect((await b).status).toBe(504)
  })

  it('the timeout wins a tie', async () => {
    const clock = new TestClock()
    const pending = oneshot(requestTimeout(100, { clock })(slow(clock, 100)), new Request('http://x/'))
    await clock.advance(100)
    expect((await pending).status).toBe(408)
  })

  it('rejections pass through; readiness is forwarded', async () => {
    const clock = new TestClock()
    const inner: HttpService = { ready: () => undefined, call: () => Promise.reject(new Error('x')) }
    const svc = requestTimeout(100, { clock })(inner)
    expect(svc.ready()).toBeUndefined()
    await expect(oneshot(svc, new Request('http://x/'))).rejects.toThrow('x')
    expect(clock.pending).toBe(0)
  })

  it('rejects invalid arguments', () => {
    expect(() => requestTimeout(-1)).toThrow(RangeError)
    expect(() => requestTimeout(1, 99)).toThrow(RangeError)
  })
})

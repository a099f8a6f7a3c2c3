import { describeStack, oneshot } from '@turret/core'
import { describe, expect, it } from 'vitest'
import type { HttpService } from '../types'
import { catchPanic } from './index'

const req = () => new Request('http://x/')

describe('catchPanic', () => {
  it('panic before returning the future: a synchronous throw in call() becomes 500 "Service panicked"', async () => {
    const inner: HttpService = {
      ready: () => undefined,
      call: () => {
        throw new Error('sync')
      },
    }
    const res = await oneshot(catchPanic()(inner), req())
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await res.text()).toBe('Service panicked')
  })

  it('panic in the future: a rejection becomes 500 "Service panicked"', async () => {
    const inner: HttpService = { ready: () => undefined, call: async () => Promise.reject('not even an Error') }
    const res = await oneshot(catchPanic()(inner), req())
    expect(res.status).toBe(500)
    expect(await res.text()).toBe('Service panicked')
  })

  it('uses a custom handler and reports to onPanic', async () => {
    const seen: unknown[] = []
    const inner: HttpService = { ready: () => undefined, call: async () => Promise.reject(new Error('db down')) }
    const svc = catchPanic({
      handler: (e) => Response.json({ error: (e as Error).message }, { status: 503 }),
      onPanic: (e) => seen.push(e),
    })(inner)
    const res = await oneshot(svc, req())
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ error: 'db down' })
    expect(seen).toHaveLength(1)
  })

  it('passes successful responses through and forwards readiness', async () => {
    const ok = new Response('fine')
    const inner: HttpService = { ready: () => undefined, call: async () => ok }
    const svc = catchPanic()(inner)
    expect(svc.ready()).toBeUndefined()
    expect(await oneshot(svc, req())).toBe(ok)
    expect(describeStack(svc)).toEqual(['catchPanic', 'service'])
  })
})

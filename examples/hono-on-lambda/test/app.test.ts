import { gunzipSync } from 'node:zlib'
import { describeStack, oneshot } from '@turret/core'
import { TestClock } from '@turret/core/testing'
import { toAwsContext } from '@turret/lambda'
import { apigwV2Event, mockContext, resultToResponse } from '@turret/lambda/testing'
import { describe, expect, it } from 'vitest'
import { handler } from '../src/handler'
import { makeService, service } from '../src/service'

describe('hono-on-lambda: the service, oneshot-style', () => {
  it('lists the turret layers around the Hono app', () => {
    const names = describeStack(service)
    for (const layer of ['setRequestId', 'trace', 'propagateRequestId', 'cors', 'compression', 'requestTimeout'])
      expect(names).toContain(layer)
    expect(names).toContain('fromFetch')
  })

  it('answers / with the Hono route', async () => {
    const res = await oneshot(service, new Request('http://localhost/'))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('Hello from Hono, wrapped by turret!')
  })

  it('gives each request an id the app sees and the client gets back', async () => {
    const res = await oneshot(service, new Request('http://localhost/hello/ada'))
    const id = res.headers.get('x-request-id')
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(await res.json()).toEqual({ hello: 'ada', requestId: id })

    const kept = await oneshot(
      service,
      new Request('http://localhost/hello/bob', { headers: { 'x-request-id': 'abc-1' } }),
    )
    expect(kept.headers.get('x-request-id')).toBe('abc-1')
    expect(await kept.json()).toEqual({ hello: 'bob', requestId: 'abc-1' })
  })

  it('answers CORS preflights and adds the allow-origin header', async () => {
    const preflight = await oneshot(
      service,
      new Request('http://localhost/echo', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      }),
    )
    expect(preflight.status).toBe(200)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST')

    const res = await oneshot(
      service,
      new Request('http://localhost/echo', {
        method: 'POST',
        headers: { origin: 'https://app.example', 'content-type': 'application/json' },
        body: JSON.stringify({ n: 1 }),
      }),
    )
    expect(res.status).toBe(201)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(await res.json()).toEqual({ received: { n: 1 } })
  })

  it('compresses large bodies for clients that accept gzip', async () => {
    const res = await oneshot(service, new Request('http://localhost/big', { headers: { 'accept-encoding': 'gzip' } }))
    expect(res.headers.get('content-encoding')).toBe('gzip')
    const body = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8'))
    expect(body.items).toHaveLength(500)
    expect(body.items[499]).toEqual({ i: 499, text: 'item number 499' })

    const plain = await oneshot(service, new Request('http://localhost/big'))
    expect(plain.headers.get('content-encoding')).toBeNull()
  })

  it('answers 408 when the app is slower than the timeout', async () => {
    const clock = new TestClock()
    const svc = makeService({ timeoutMs: 1_000, clock })
    const pending = oneshot(svc, new Request('http://localhost/slow?ms=50'))
    await clock.advance(1_000)
    const res = await pending
    expect(res.status).toBe(408)
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('hono-on-lambda: the Lambda handler', () => {
  it('answers an API Gateway HTTP API (v2) event', async () => {
    const event = apigwV2Event({ path: '/hello/lambda', headers: { 'x-request-id': 'from-apigw' } })
    const result = await handler(event, toAwsContext(mockContext()))
    const res = resultToResponse(result)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toBe('from-apigw')
    expect(await res.json()).toEqual({ hello: 'lambda', requestId: 'from-apigw' })
  })

  it('passes a POST body through the adapter', async () => {
    const event = apigwV2Event({
      method: 'POST',
      path: '/echo',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order: 42 }),
    })
    const res = resultToResponse(await handler(event, toAwsContext(mockContext())))
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ received: { order: 42 } })
  })

  it('answers 404 for an unknown route, as the Hono app does', async () => {
    const res = resultToResponse(await handler(apigwV2Event({ path: '/nope' }), toAwsContext(mockContext())))
    expect(res.status).toBe(404)
  })
})

import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import {
  concurrencyLimit,
  hedge,
  loadShed,
  oneshot,
  retry,
  retryPolicy,
  serviceFn,
  TimeoutError,
  timeout,
} from '@turret/core'
import { catchPanic, type HttpService } from '@turret/http'
import { peekExtensions, responseBody } from '@turret/http/internal'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { installSdk, type TestSdk } from '../../test/sdk'
import { currentSpan, otelHttp } from './index'

let sdk: TestSdk
beforeEach(() => {
  sdk = installSdk()
})
afterEach(async () => {
  await sdk.uninstall()
})

const ok: HttpService = serviceFn(async () => new Response('ok'))
const parentTraceId = '4bf92f3577b34da6a3ce929d0e0e4736'
const parentSpanId = '00f067aa0ba902b7'

describe('otelHttp', () => {
  it('makes one SERVER span per request with the stable HTTP attributes, named {method} {route}', async () => {
    const svc = otelHttp({ route: () => '/users/:id' })(ok)
    const req = new Request('https://api.example.com:8443/users/7?x=1', { headers: { 'user-agent': 'curl/8' } })
    const res = await oneshot(svc, req)
    expect(await res.text()).toBe('ok')
    const span = sdk.span('GET /users/:id')
    expect(span.kind).toBe(SpanKind.SERVER)
    expect(span.attributes).toEqual({
      'http.request.method': 'GET',
      'url.path': '/users/7',
      'url.scheme': 'https',
      'server.address': 'api.example.com',
      'server.port': 8443,
      'user_agent.original': 'curl/8',
      'http.route': '/users/:id',
      'http.response.status_code': 200,
    })
    expect(span.status.code).toBe(SpanStatusCode.UNSET)
  })

  it('names the span {method} when no route is known, and HTTP for an unknown method', async () => {
    const svc = otelHttp()(ok)
    await (await oneshot(svc, new Request('http://localhost/a', { method: 'POST', body: 'x' }))).text()
    await (await oneshot(svc, new Request('http://localhost/a', { method: 'PURGE' }))).text()
    expect(sdk.spans().map((s) => s.name)).toEqual(['POST', 'HTTP'])
    const other = sdk.span('HTTP')
    expect(other.attributes['http.request.method']).toBe('_OTHER')
    expect(other.attributes['http.request.method_original']).toBe('PURGE')
  })

  it('reads IPv6 hosts, default ports and paths without query or fragment', async () => {
    const svc = otelHttp()(ok)
    await (await oneshot(svc, new Request('http://[::1]:3000/a/b?c=1#d'))).text()
    await (await oneshot(svc, new Request('https://example.com?q', { method: 'HEAD' }))).text()
    expect(sdk.span('GET').attributes).toMatchObject({
      'server.address': '::1',
      'server.port': 3000,
      'url.path': '/a/b',
    })
    expect(sdk.span('HEAD').attributes).toMatchObject({
      'server.address': 'example.com',
      'server.port': 443,
      'url.path': '/',
      'url.scheme': 'https',
    })
  })

  it('continues the trace of an incoming traceparent', async () => {
    const svc = otelHttp()(ok)
    const req = new Request('http://localhost/', {
      headers: { traceparent: `00-${parentTraceId}-${parentSpanId}-01` },
    })
    await (await oneshot(svc, req)).text()
    const span = sdk.span('GET')
    expect(span.spanContext().traceId).toBe(parentTraceId)
    expect(span.parentSpanContext?.spanId).toBe(parentSpanId)
    expect(span.parentSpanContext?.isRemote).toBe(true)
  })

  it('starts a new trace without traceparent', async () => {
    await (await oneshot(otelHttp()(ok), new Request('http://localhost/'))).text()
    const span = sdk.span('GET')
    expect(span.parentSpanContext).toBeUndefined()
    expect(span.spanContext().traceId).not.toBe(parentTraceId)
  })

  it('sets status ERROR and error.type on a 5xx, not on a 4xx', async () => {
    const status = (n: number): HttpService => serviceFn(async () => new Response(null, { status: n }))
    await oneshot(otelHttp()(status(503)), new Request('http://localhost/down'))
    await oneshot(otelHttp()(status(404)), new Request('http://localhost/missing'))
    const [down, missing] = sdk.spans()
    expect(down?.status.code).toBe(SpanStatusCode.ERROR)
    expect(down?.attributes['error.type']).toBe('503')
    expect(missing?.status.code).toBe(SpanStatusCode.UNSET)
    expect(missing?.attributes['error.type']).toBeUndefined()
    expect(missing?.attributes['http.response.status_code']).toBe(404)
  })

  it('sets status ERROR, error.type and an exception event on a rejection', async () => {
    const failing: HttpService = serviceFn(async () => {
      throw new RangeError('boom')
    })
    await expect(oneshot(otelHttp()(failing), new Request('http://localhost/'))).rejects.toThrow('boom')
    const span = sdk.span('GET')
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' })
    expect(span.attributes['error.type']).toBe('RangeError')
    expect(span.events.map((e) => e.name)).toEqual(['exception'])
  })

  it('ends the span when a streamed body ends, not when the headers are returned', async () => {
    let push!: ReadableStreamDefaultController<Uint8Array>
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = controller
      },
    })
    const svc = otelHttp()(serviceFn(async () => new Response(body, { headers: { 'content-type': 'text/plain' } })))
    const res = await oneshot(svc, new Request('http://localhost/stream'))
    expect(res.headers.get('content-type')).toBe('text/plain')
    const reader = res.body?.getReader()
    if (!reader) throw new Error('no body')
    push.enqueue(new TextEncoder().encode('a'))
    expect((await reader.read()).done).toBe(false)
    expect(sdk.spans()).toEqual([]) // headers and a first chunk are out, the span is still open
    push.enqueue(new TextEncoder().encode('b'))
    push.close()
    expect((await reader.read()).done).toBe(false)
    expect((await reader.read()).done).toBe(true)
    const span = sdk.span('GET')
    expect(span.ended).toBe(true)
    expect((await sdk.histogram('http.server.request.duration')).length).toBe(1)
  })

  it('ends the span at once for a body already in memory, and returns the response untouched', async () => {
    const answer = new Response('in memory')
    const res = await oneshot(otelHttp()(serviceFn(async () => answer)), new Request('http://localhost/'))
    expect(res).toBe(answer)
    // responseBody() sees undici's in-memory body on Node 20 and 22; where it cannot (Node 24), the
    // body counts as streamed and the span ends once it is read.
    if (responseBody(answer) === undefined) expect(await res.text()).toBe('in memory')
    expect(sdk.span('GET').ended).toBe(true)
  })

  it('ends the span when a streamed body is read with text(), also after looking at res.body', async () => {
    let push!: ReadableStreamDefaultController<Uint8Array>
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = controller
      },
    })
    const res = await oneshot(otelHttp()(serviceFn(async () => new Response(body))), new Request('http://localhost/'))
    expect(res.body).not.toBeNull() // a look at the body does not take it
    const text = res.text()
    push.enqueue(new TextEncoder().encode('streamed'))
    await new Promise((resolve) => setImmediate(resolve))
    expect(sdk.spans()).toEqual([])
    push.close()
    expect(await text).toBe('streamed')
    expect(sdk.span('GET').ended).toBe(true)
  })

  it('ends the span with an error when the body stream fails, and when it is cancelled', async () => {
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('disk gone'))
      },
    })
    const res = await oneshot(
      otelHttp()(serviceFn(async () => new Response(failing))),
      new Request('http://localhost/f'),
    )
    await expect(res.text()).rejects.toThrow('disk gone')
    const failed = sdk.span('GET')
    expect(failed.status.code).toBe(SpanStatusCode.ERROR)
    expect(failed.attributes['error.type']).toBe('Error')

    const endless = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(new Uint8Array(1)) })
    const cancelled = await oneshot(
      otelHttp()(serviceFn(async () => new Response(endless))),
      new Request('http://localhost/c', { method: 'PUT' }),
    )
    await cancelled.body?.cancel()
    expect(sdk.span('PUT').events.map((e) => e.name)).toEqual(['turret.body.cancelled'])
  })

  it('records http.server.request.duration in seconds with the convention attributes', async () => {
    const svc = otelHttp({
      route: (req) => (new URL(req.url).pathname.startsWith('/items') ? '/items/:id' : undefined),
    })(serviceFn(async (req: Request) => new Response(null, { status: req.method === 'DELETE' ? 500 : 204 })))
    await oneshot(svc, new Request('http://localhost/items/1'))
    await oneshot(svc, new Request('http://localhost/items/2'))
    await oneshot(svc, new Request('http://localhost/items/3', { method: 'DELETE' }))
    const points = await sdk.histogram('http.server.request.duration')
    const byMethod = Object.fromEntries(points.map((p) => [p.attributes['http.request.method'] as string, p]))
    expect(byMethod.GET?.attributes).toEqual({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'http.route': '/items/:id',
      'http.response.status_code': 204,
    })
    expect(byMethod.GET?.value.count).toBe(2)
    expect(byMethod.DELETE?.attributes['error.type']).toBe('500')
    expect(byMethod.DELETE?.value.count).toBe(1)
    const seconds = byMethod.GET?.value.sum ?? Number.NaN
    expect(seconds).toBeGreaterThanOrEqual(0)
    expect(seconds).toBeLessThan(10) // seconds, not milliseconds
    expect(byMethod.GET?.value.buckets.boundaries.slice(0, 3)).toEqual([0.005, 0.01, 0.025])
  })

  it('makes the span reachable from the request extensions and active inside', async () => {
    let seen: unknown
    let active: unknown
    const svc = otelHttp()(
      serviceFn(async (req: Request) => {
        seen = currentSpan(req)
        active = trace.getActiveSpan()
        return new Response(null)
      }),
    )
    const req = new Request('http://localhost/')
    await oneshot(svc, req)
    expect(seen).toBeDefined()
    expect(seen).toBe(active)
    expect(currentSpan(req), 'stored in the request, found outside the call').toBe(seen)
    expect((seen as { spanContext(): { spanId: string } }).spanContext().spanId).toBe(
      sdk.span('GET').spanContext().spanId,
    )
  })

  it('records each retry attempt as a span event', async () => {
    let calls = 0
    const flaky = serviceFn(async () => {
      if (++calls < 3) throw new Error('flaky')
      return new Response('ok')
    })
    const svc = otelHttp()(retry(retryPolicy<Request, Response>({ attempts: 3 }))(flaky))
    await (await oneshot(svc, new Request('http://localhost/'))).text()
    const events = sdk.span('GET').events
    expect(events.map((e) => [e.name, e.attributes])).toEqual([
      ['turret.retry', { 'turret.retry.attempt': 1, 'error.type': 'Error' }],
      ['turret.retry', { 'turret.retry.attempt': 2, 'error.type': 'Error' }],
    ])
  })

  it('records a hedge send as a span event', async () => {
    let calls = 0
    const slowFirst = serviceFn((_: Request) =>
      ++calls === 1 ? new Promise<Response>(() => {}) : Promise.resolve(new Response('hedged')),
    )
    // Ten recorded latencies of 0 ms: the hedge is due at once (a 0 ms timer), and the first call never answers.
    const hedged = hedge({ cloneRequest: (r: Request) => r, canRetry: () => true }, { latencies: Array(10).fill(0) })
    const res = await oneshot(otelHttp()(hedged(slowFirst)), new Request('http://localhost/'))
    expect(await res.text()).toBe('hedged')
    expect(sdk.span('GET').events.map((e) => e.name)).toEqual(['turret.hedge'])
  })

  it("sets error.type to a timeout's code, also when an HTTP layer turns it into a 5xx", async () => {
    const never = serviceFn((_: Request) => new Promise<Response>(() => {}))
    await expect(oneshot(otelHttp()(timeout(0)(never)), new Request('http://localhost/a'))).rejects.toBeInstanceOf(
      TimeoutError,
    )
    const res = await oneshot(
      otelHttp()(catchPanic()(timeout(0)(never))),
      new Request('http://localhost/b', { method: 'PUT' }),
    )
    expect(res.status).toBe(500)
    await res.text() // the span ends with the body
    const rejected = sdk.span('GET')
    const answered = sdk.span('PUT')
    expect(rejected.attributes['error.type']).toBe('ERR_TIMEOUT')
    expect(answered.attributes['error.type']).toBe('ERR_TIMEOUT')
    expect(answered.status.code).toBe(SpanStatusCode.ERROR)
    expect(answered.events.map((e) => [e.name, e.attributes])).toEqual([
      ['turret.rejected', { 'turret.layer': 'timeout', 'error.type': 'ERR_TIMEOUT' }],
    ])
  })

  it('sets no error.type when a retry rescued the request after a timeout, but keeps the events', async () => {
    let calls = 0
    const slowOnce = serviceFn((_: Request) =>
      ++calls === 1 ? new Promise<Response>(() => {}) : Promise.resolve(new Response('second')),
    )
    const svc = otelHttp()(retry(retryPolicy<Request, Response>({ attempts: 1 }))(timeout(0)(slowOnce)))
    expect(await (await oneshot(svc, new Request('http://localhost/'))).text()).toBe('second')
    const span = sdk.span('GET')
    expect(span.attributes['error.type']).toBeUndefined()
    expect(span.status.code).toBe(SpanStatusCode.UNSET)
    expect(span.events.map((e) => e.name)).toEqual(['turret.rejected', 'turret.retry'])
  })

  it("sets error.type to loadShed's and concurrencyLimit's codes", async () => {
    const never = serviceFn((_: Request) => new Promise<Response>(() => {}))
    const shed = otelHttp()(loadShed()(concurrencyLimit(0)(never)))
    await expect(oneshot(shed, new Request('http://localhost/'))).rejects.toMatchObject({ code: 'ERR_OVERLOADED' })
    const unreserved = otelHttp()(concurrencyLimit(1)(never))
    // call() without ready(): the limiter refuses with NotReadyError.
    await expect(unreserved.call(new Request('http://localhost/', { method: 'DELETE' }))).rejects.toMatchObject({
      code: 'ERR_NOT_READY',
    })
    expect(sdk.span('GET').attributes['error.type']).toBe('ERR_OVERLOADED')
    expect(sdk.span('DELETE').attributes['error.type']).toBe('ERR_NOT_READY')
    expect(sdk.span('DELETE').events[0]?.attributes).toEqual({
      'turret.layer': 'concurrencyLimit',
      'error.type': 'ERR_NOT_READY',
    })
  })
})

describe('otelHttp with only a meter provider', () => {
  it('records the histogram with no span', async () => {
    trace.disable()
    await (await oneshot(otelHttp()(ok), new Request('http://localhost/'))).text()
    expect(sdk.spans()).toEqual([])
    const points = await sdk.histogram('http.server.request.duration')
    expect(points.map((p) => p.attributes['http.response.status_code'])).toEqual([200])
  })
})

describe('otelHttp without an SDK', () => {
  it('calls the inner service directly: same response, no span, no extension', async () => {
    await sdk.uninstall()
    const res = new Response('x')
    const req = new Request('http://localhost/')
    expect(await oneshot(otelHttp()(serviceFn(async () => res)), req)).toBe(res)
    expect(peekExtensions(req)).toBeUndefined()
    expect(sdk.spans()).toEqual([])
    sdk = installSdk()
  })
})

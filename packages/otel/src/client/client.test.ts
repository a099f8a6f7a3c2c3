import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { oneshot, serviceFn } from '@turret/core'
import type { HttpService } from '@turret/http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { installSdk, type TestSdk } from '../../test/sdk'
import { otelHttp } from '../http/index'
import { otelClient } from './index'

let sdk: TestSdk
beforeEach(() => {
  sdk = installSdk()
})
afterEach(async () => {
  await sdk.uninstall()
})

/** A backend that records the headers it was called with. */
function backend(status = 200) {
  const seen: Headers[] = []
  const svc: HttpService = serviceFn(async (req: Request) => {
    seen.push(req.headers)
    return new Response(null, { status })
  })
  return { seen, svc }
}

describe('otelClient', () => {
  it('makes a CLIENT span and injects its context as traceparent', async () => {
    const { seen, svc } = backend()
    const client = otelClient()(svc)
    await oneshot(client, new Request('https://example.com/items?Signature=secret&page=2'))
    const span = sdk.span('GET')
    expect(span.kind).toBe(SpanKind.CLIENT)
    expect(span.attributes).toEqual({
      'http.request.method': 'GET',
      'server.address': 'example.com',
      'server.port': 443,
      'url.full': 'https://example.com/items?Signature=REDACTED&page=2',
      'http.response.status_code': 200,
    })
    const { traceId, spanId } = span.spanContext()
    expect(seen[0]?.get('traceparent')).toBe(`00-${traceId}-${spanId}-01`)
  })

  it('is a child of the server span when called inside otelHttp', async () => {
    const { seen, svc } = backend()
    const client = otelClient()(svc)
    const app = otelHttp()(serviceFn((_req: Request) => oneshot(client, new Request('http://backend:8080/x'))))
    const incoming = '4bf92f3577b34da6a3ce929d0e0e4736'
    await oneshot(
      app,
      new Request('http://localhost/', { headers: { traceparent: `00-${incoming}-00f067aa0ba902b7-01` } }),
    )
    const [clientSpan, serverSpan] = sdk.spans()
    expect(clientSpan?.kind).toBe(SpanKind.CLIENT)
    expect(serverSpan?.kind).toBe(SpanKind.SERVER)
    expect(clientSpan?.spanContext().traceId).toBe(incoming)
    expect(clientSpan?.parentSpanContext?.spanId).toBe(serverSpan?.spanContext().spanId)
    expect(seen[0]?.get('traceparent')).toBe(`00-${incoming}-${clientSpan?.spanContext().spanId}-01`)
    expect(clientSpan?.attributes['server.port']).toBe(8080)
  })

  it('sets status ERROR on a 4xx/5xx and on a rejection', async () => {
    await oneshot(otelClient()(backend(404).svc), new Request('http://example.com/'))
    const failing: HttpService = serviceFn(async () => {
      throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })
    })
    await expect(
      oneshot(otelClient()(failing), new Request('http://example.com/', { method: 'POST' })),
    ).rejects.toThrow('refused')
    expect(sdk.span('GET').status.code).toBe(SpanStatusCode.ERROR)
    expect(sdk.span('GET').attributes['error.type']).toBe('404')
    expect(sdk.span('POST').status).toEqual({ code: SpanStatusCode.ERROR, message: 'refused' })
    expect(sdk.span('POST').attributes['error.type']).toBe('ECONNREFUSED')
  })

  it('passes requests through untouched without an SDK', async () => {
    await sdk.uninstall()
    const { seen, svc } = backend()
    await oneshot(otelClient()(svc), new Request('http://example.com/'))
    expect(seen[0]?.has('traceparent')).toBe(false)
    sdk = installSdk()
  })
})

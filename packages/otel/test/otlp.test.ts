/**
 * End to end: an app under serve() with otelHttp, exporting over OTLP/HTTP (JSON) to a small OTLP
 * receiver on loopback; checks what arrives.
 */
import { createServer, type Server as NodeServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { serviceFn } from '@turret/core'
import { serve } from '@turret/http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { otelHttp } from '../src/index'
import { installSdk, type TestSdk } from './sdk'

interface OtlpAttribute {
  key: string
  value: { stringValue?: string; intValue?: number | string; boolValue?: boolean }
}
interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  attributes: OtlpAttribute[]
  status?: { code?: number }
}
interface OtlpRequest {
  resourceSpans: { scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[]
}

/** A minimal OTLP/HTTP receiver: stores every JSON export posted to /v1/traces. */
async function startReceiver(): Promise<{ server: NodeServer; url: string; received: OtlpRequest[]; paths: string[] }> {
  const received: OtlpRequest[] = []
  const paths: string[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`)
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest)
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}/v1/traces`, received, paths }
}

const attr = (span: OtlpSpan | undefined, key: string) => {
  const value = span?.attributes.find((a) => a.key === key)?.value
  return value?.stringValue ?? (value?.intValue === undefined ? value?.boolValue : Number(value.intValue))
}

let receiver: Awaited<ReturnType<typeof startReceiver>>
let sdk: TestSdk
beforeAll(async () => {
  receiver = await startReceiver()
  sdk = installSdk(new OTLPTraceExporter({ url: receiver.url }))
})
afterAll(async () => {
  await sdk.uninstall()
  await new Promise((resolve) => receiver.server.close(resolve))
})

describe('otelHttp under serve(), exported over OTLP/HTTP', () => {
  it('delivers the SERVER span, child of the incoming traceparent, with its attributes', async () => {
    const app = otelHttp({
      route: (req) => (new URL(req.url).pathname.startsWith('/items/') ? '/items/:id' : undefined),
    })(
      serviceFn(
        async () => new Response(JSON.stringify({ id: 7 }), { headers: { 'content-type': 'application/json' } }),
      ),
    )
    const server = await serve(app, { port: 0, hostname: '127.0.0.1' })
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
      const res = await fetch(`${server.url}/items/7`, {
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'user-agent': 'e2e' },
      })
      expect(await res.json()).toEqual({ id: 7 })
      await sdk.tracerProvider.forceFlush()
      expect(receiver.paths[0]).toBe('POST /v1/traces application/json')
      const spans = receiver.received.flatMap((r) =>
        r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)),
      )
      expect(spans).toHaveLength(1)
      const span = spans[0]
      expect(span?.name).toBe('GET /items/:id')
      expect(span?.kind).toBe(2) // SPAN_KIND_SERVER
      expect(span?.traceId).toBe(traceId)
      expect(span?.parentSpanId).toBe('00f067aa0ba902b7')
      expect(attr(span, 'http.request.method')).toBe('GET')
      expect(attr(span, 'url.path')).toBe('/items/7')
      expect(attr(span, 'url.scheme')).toBe('http')
      expect(attr(span, 'server.address')).toBe('127.0.0.1')
      expect(attr(span, 'server.port')).toBe(server.port)
      expect(attr(span, 'http.route')).toBe('/items/:id')
      expect(attr(span, 'http.response.status_code')).toBe(200)
      expect(attr(span, 'user_agent.original')).toBe('e2e')
      expect(receiver.received[0]?.resourceSpans[0]?.scopeSpans[0]?.scope.name).toBe('@turret/otel')
    } finally {
      await server.close()
    }
  })
})

import { context, propagation, SpanKind, trace } from '@opentelemetry/api'
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import { serviceFn } from '@turret/core'
import { serve } from '@turret/http'
import { httpAdapter, lambdaHandler, toAwsContext } from '@turret/lambda'
import { apigwV2Event, mockContext } from '@turret/lambda/testing'
import { otelLambda } from '@turret/otel'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { makeApp } from '../src/app'
import { setupTelemetry } from '../src/telemetry'

let exporter: InMemorySpanExporter
beforeEach(() => {
  exporter = new InMemorySpanExporter()
  setupTelemetry(exporter)
})
afterEach(() => {
  trace.disable()
  propagation.disable()
  context.disable()
})

const inventory = serviceFn(async (req: Request) =>
  Response.json({ available: 3, traceparent: req.headers.get('traceparent') }),
)

describe('example otel', () => {
  it('on Lambda: invocation span → SERVER span (retry event) → CLIENT span, continuing the X-Ray trace', async () => {
    const main = lambdaHandler(otelLambda()(httpAdapter()(makeApp(inventory))))
    const saved = process.env._X_AMZN_TRACE_ID
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'
    let result: Awaited<ReturnType<typeof main>>
    try {
      result = await main(
        apigwV2Event({ path: '/orders/7' }),
        toAwsContext(mockContext({ env: { functionName: 'orders' } })),
      )
    } finally {
      if (saved === undefined) delete process.env._X_AMZN_TRACE_ID
      else process.env._X_AMZN_TRACE_ID = saved
    }
    expect(result.statusCode).toBe(200)
    const spans = exporter.getFinishedSpans()
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]))
    const invocation = byName.orders
    const server = byName['GET /orders/:id']
    const client = byName.GET
    expect(invocation?.spanContext().traceId).toBe('5759e988bd862e3fe1be46a994272793')
    expect(invocation?.attributes['faas.trigger']).toBe('http')
    expect(server?.parentSpanContext?.spanId).toBe(invocation?.spanContext().spanId)
    expect(server?.attributes['app.order_id']).toBe('7')
    expect(server?.events.map((e) => e.name)).toEqual(['turret.retry'])
    expect(client?.kind).toBe(SpanKind.CLIENT)
    expect(client?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId)
    // The downstream call carried the CLIENT span's context.
    const body = JSON.parse(result.body ?? '{}') as { stock: { traceparent: string } }
    expect(body.stock.traceparent).toContain(client?.spanContext().spanId)
  })

  it('on serve(): the SERVER span continues the incoming traceparent', async () => {
    const server = await serve(makeApp(inventory), { port: 0, hostname: '127.0.0.1' })
    try {
      const res = await fetch(`${server.url}/orders/9`, {
        headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      })
      expect(await res.json()).toMatchObject({ id: '9' })
    } finally {
      await server.close()
    }
    const span = exporter.getFinishedSpans().find((s) => s.name === 'GET /orders/:id')
    expect(span?.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736')
    expect(span?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7')
  })

  it('prints spans with the console exporter by default', async () => {
    const log = vi.spyOn(console, 'dir').mockImplementation(() => {})
    trace.disable()
    const provider = setupTelemetry()
    try {
      const { app } = await import('../src/app')
      const res = await app.call(new Request('http://localhost/'))
      await res.text()
      await provider.forceFlush()
      expect(log.mock.calls.some(([span]) => (span as { name?: string }).name === 'GET /')).toBe(true)
    } finally {
      log.mockRestore()
    }
  })
})

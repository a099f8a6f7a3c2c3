/**
 * P8: the cost of `otelHttp` per request — with no OpenTelemetry SDK registered (against no layer),
 * and with the SDK and a no-op exporter, next to `@hono/otel` on the same Hono app (each measured
 * as the paired difference to the same app without instrumentation, in one run).
 */
import { httpInstrumentationMiddleware } from '@hono/otel'
import { context, metrics, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core'
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base'
import { serviceFn } from '@turret/core'
import { fromFetch } from '@turret/http'
import { otelHttp } from '@turret/otel'
import { Hono } from 'hono'
import { type BenchContext, medianNs, pairedNs, type Row, ratio } from './lib'

/** Takes every span and drops it. */
const noopExporter: SpanExporter = {
  export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: async () => {},
}

/** Aggregates metrics as a real reader would, and is never collected. */
class IdleReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

function app(instrumented: boolean): Hono {
  const hono = new Hono()
  if (instrumented) hono.use(httpInstrumentationMiddleware())
  hono.get('/', (c) => c.text('ok'))
  return hono
}

/** One request through `fetch`, its body read to the end (an otelHttp span ends with the body). */
function requester(fetch: (req: Request) => Response | Promise<Response>) {
  return async () => {
    const res = await fetch(new Request('http://localhost/'))
    await res.arrayBuffer()
  }
}

export async function p8(ctx: BenchContext): Promise<Row[]> {
  const plainHono = app(false)
  const otelHono = app(true)
  const inner = fromFetch(plainHono)
  const layered = otelHttp({ route: () => '/' })(inner)
  const bare = requester((req) => inner.call(req))
  const turret = requester((req) => layered.call(req))
  const hono = requester((req) => plainHono.fetch(req))
  const honoOtel = requester((req) => otelHono.fetch(req))

  // With no SDK, the layer's own cost over a trivial service (one shared request: nothing is set on it),
  // so that the few nanoseconds are not lost in the app's microseconds.
  const response = new Response('ok')
  const request = new Request('http://localhost/')
  const trivial = serviceFn(async (_: Request) => response)
  const trivialLayered = otelHttp({ route: () => '/' })(trivial)
  const noSdk = await pairedNs(
    () => trivialLayered.call(request),
    () => trivial.call(request),
    ctx,
  )
  const appBare = await medianNs(bare, ctx)
  const honoNoSdk = await pairedNs(honoOtel, hono, ctx)

  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(noopExporter)] })
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] })
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  trace.setGlobalTracerProvider(tracerProvider)
  metrics.setGlobalMeterProvider(meterProvider)
  propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  let sdk: Awaited<ReturnType<typeof pairedNs>>
  let honoSdk: Awaited<ReturnType<typeof pairedNs>>
  try {
    sdk = await pairedNs(turret, bare, ctx)
    honoSdk = await pairedNs(honoOtel, hono, ctx)
  } finally {
    trace.disable()
    metrics.disable()
    propagation.disable()
    context.disable()
    await tracerProvider.shutdown()
    await meterProvider.shutdown()
  }

  return [
    {
      id: 'P8',
      title: 'otelHttp per request: no SDK registered, and with the SDK (no-op exporter) next to @hono/otel',
      figures: [
        { label: 'trivial service call, no layer', value: noSdk.b, unit: 'ns' },
        { label: 'otelHttp cost, no SDK registered', value: noSdk.diff, unit: 'ns' },
        { label: 'request through the Hono app (read to the end), no layer', value: appBare, unit: 'ns' },
        { label: '@hono/otel cost, no SDK registered', value: honoNoSdk.diff, unit: 'ns' },
        { label: 'otelHttp cost, SDK + no-op exporter', value: sdk.diff, unit: 'ns' },
        { label: '@hono/otel cost, SDK + no-op exporter', value: honoSdk.diff, unit: 'ns' },
      ],
      ratios: [{ label: 'otelHttp / @hono/otel (with SDK)', value: ratio(sdk.diff, honoSdk.diff) }],
      target: 'otelHttp ≤ 150 ns over no layer with no SDK registered; with the SDK reported next to @hono/otel',
      met: noSdk.diff <= 150,
    },
  ]
}

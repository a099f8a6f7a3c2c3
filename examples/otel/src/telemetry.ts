/**
 * The OpenTelemetry SDK setup: a tracer provider exporting to the console (swap in an OTLP exporter
 * in production), W3C trace context plus X-Ray propagation, and AsyncLocalStorage context.
 * @module
 */
import { context, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core'
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray'
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base'

/** Registers the SDK globally; returns the provider (to flush or shut down). */
export function setupTelemetry(exporter: SpanExporter = new ConsoleSpanExporter()): BasicTracerProvider {
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  trace.setGlobalTracerProvider(provider)
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  // What ADOT's OTEL_PROPAGATORS=tracecontext,xray does: traceparent headers, and X-Ray headers.
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new AWSXRayPropagator()] }),
  )
  return provider
}

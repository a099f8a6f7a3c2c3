/** The real OpenTelemetry SDK, registered globally for a test: in-memory spans and metrics. */
import { context, metrics, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { type DataPoint, type Histogram, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base'

/** A metric reader that only collects when asked. */
export class InMemoryMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** What {@link installSdk} registered. */
export interface TestSdk {
  readonly exporter: InMemorySpanExporter
  readonly tracerProvider: BasicTracerProvider
  readonly meterProvider: MeterProvider
  /** Finished spans. */
  spans(): ReadableSpan[]
  /** The one finished span with this name. */
  span(name: string): ReadableSpan
  /** The data points of a histogram, collected now. */
  histogram(name: string): Promise<DataPoint<Histogram>[]>
  /** Unregisters everything. */
  uninstall(): Promise<void>
}

/** Registers a tracer provider (simple processor), a meter provider, W3C propagation and an AsyncLocalStorage context manager. */
export function installSdk(exporter: SpanExporter = new InMemorySpanExporter()): TestSdk {
  const memory = exporter instanceof InMemorySpanExporter ? exporter : new InMemorySpanExporter()
  const tracerProvider = new BasicTracerProvider({
    spanProcessors:
      exporter === memory
        ? [new SimpleSpanProcessor(memory)]
        : [new SimpleSpanProcessor(exporter), new SimpleSpanProcessor(memory)],
  })
  const reader = new InMemoryMetricReader()
  const meterProvider = new MeterProvider({ readers: [reader] })
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  trace.setGlobalTracerProvider(tracerProvider)
  metrics.setGlobalMeterProvider(meterProvider)
  propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  return {
    exporter: memory,
    tracerProvider,
    meterProvider,
    spans: () => memory.getFinishedSpans(),
    span(name) {
      const found = memory.getFinishedSpans().filter((s) => s.name === name)
      if (found.length !== 1) {
        throw new Error(`expected one span ${name}, got [${memory.getFinishedSpans().map((s) => s.name)}]`)
      }
      return found[0] as ReadableSpan
    },
    async histogram(name) {
      const { resourceMetrics } = await reader.collect()
      const points: DataPoint<Histogram>[] = []
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (metric.descriptor.name === name) points.push(...(metric.dataPoints as DataPoint<Histogram>[]))
        }
      }
      return points
    },
    async uninstall() {
      trace.disable()
      metrics.disable()
      propagation.disable()
      context.disable()
      await tracerProvider.shutdown()
      await meterProvider.shutdown()
    },
  }
}

import {
  type Context,
  context,
  createNoopMeter,
  type Histogram,
  type MeterProvider,
  metrics,
  ProxyTracerProvider,
  propagation,
  type Span,
  type TextMapGetter,
  type TextMapPropagator,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api'

/** The instrumentation scope of every tracer and meter `@turret/otel` asks for. */
export const scopeName = '@turret/otel'
/** The package version, as the instrumentation scope's version. */
export const scopeVersion = '0.1.0'

/** The provider a `ProxyTracerProvider` delegates to while no SDK is registered (the API's no-op). */
const noopTracerProvider = new ProxyTracerProvider().getDelegate()
const noopMeter = createNoopMeter()

/** Providers and propagator options every layer takes. */
export interface ProviderOptions {
  /** The tracer provider spans come from. Defaults to the globally registered one (`trace.setGlobalTracerProvider`). */
  readonly tracerProvider?: TracerProvider | undefined
  /** The meter provider metrics go to. Defaults to the globally registered one (`metrics.setGlobalMeterProvider`). */
  readonly meterProvider?: MeterProvider | undefined
  /** The propagator that reads and writes trace context in headers. Defaults to the registered one (`propagation.setGlobalPropagator`, W3C `traceparent` in the SDKs). */
  readonly propagator?: TextMapPropagator | undefined
}

/**
 * The tracer of a layer: from the given provider, else from the provider registered globally now
 * (re-resolved when the registration changes, so a provider registered after the layer was built,
 * or replaced in tests, is followed). `get()` is `undefined` while no SDK is registered.
 */
export class TracerSource {
  #provider: TracerProvider | undefined
  #tracer: Tracer | undefined
  constructor(private readonly given: TracerProvider | undefined) {}

  get(): Tracer | undefined {
    let provider = this.given ?? trace.getTracerProvider()
    if (provider instanceof ProxyTracerProvider) provider = provider.getDelegate()
    if (provider === this.#provider) return this.#tracer
    this.#provider = provider
    this.#tracer = provider === noopTracerProvider ? undefined : provider.getTracer(scopeName, scopeVersion)
    return this.#tracer
  }
}

/**
 * A histogram of a layer, from the given meter provider, else from the one registered globally now
 * (re-resolved when the registration changes). `get()` is `undefined` while only the API's no-op
 * meter is there.
 */
export class HistogramSource {
  #provider: MeterProvider | undefined
  #histogram: Histogram | undefined
  constructor(
    private readonly given: MeterProvider | undefined,
    private readonly name: string,
    private readonly description: string,
    private readonly boundaries: number[],
  ) {}

  get(): Histogram | undefined {
    const provider = this.given ?? metrics.getMeterProvider()
    if (provider === this.#provider) return this.#histogram
    this.#provider = provider
    const meter = provider.getMeter(scopeName, scopeVersion)
    this.#histogram =
      meter === noopMeter
        ? undefined
        : meter.createHistogram(this.name, {
            description: this.description,
            unit: 's',
            advice: { explicitBucketBoundaries: this.boundaries },
          })
    return this.#histogram
  }
}

/** A tracer whose spans are all no-ops (non-recording, carrying their parent's context). */
export const noopTracer: Tracer = noopTracerProvider.getTracer(scopeName)

/** The semantic conventions' bucket boundaries for HTTP request durations, in seconds. */
export const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]

/** Reads fetch `Headers` for a propagator. */
export const headersGetter: TextMapGetter<Headers> = {
  get: (carrier, key) => carrier.get(key) ?? undefined,
  keys: (carrier) => [...carrier.keys()],
}

/** Extracts a context from `carrier` with `propagator`, or with the registered one. */
export function extract<C>(
  propagator: TextMapPropagator | undefined,
  base: Context,
  carrier: C,
  getter: TextMapGetter<C>,
): Context {
  return propagator === undefined
    ? propagation.extract(base, carrier, getter)
    : propagator.extract(base, carrier, getter)
}

/**
 * The parent of a new server-side span: the active context when a local span is already active
 * (an `otelLambda` invocation around an `otelHttp`), else the context found in `carrier`.
 */
export function parentContext<C>(
  propagator: TextMapPropagator | undefined,
  carrier: C,
  getter: TextMapGetter<C>,
): Context {
  const active = context.active()
  const span = trace.getSpan(active)
  if (span !== undefined && !span.spanContext().isRemote) return active
  return extract(propagator, active, carrier, getter)
}

/** Error types (`error.type`) that core layers reported on a span through the core observer. */
export const reportedErrorTypes = new WeakMap<Span, string>()

/**
 * The `error.type` of a rejection: a turret error's (or Node system error's) `code`, else the
 * error's `name`, else `_OTHER`.
 */
export function errorType(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return typeof code === 'string' && code !== '' ? code : error.name || '_OTHER'
  }
  return '_OTHER'
}

/** An error as a span exception (non-errors are wrapped as their string). */
export function asException(error: unknown): Error | string {
  return error instanceof Error ? error : String(error)
}

const methods = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'QUERY', 'TRACE'])

/** The `http.request.method` value: a known method, or `_OTHER`. */
export function knownMethod(method: string): string {
  return methods.has(method) ? method : '_OTHER'
}

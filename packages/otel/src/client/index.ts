/**
 * `otelClient`: an OpenTelemetry CLIENT span around each outgoing request of a service that calls
 * out, with the trace context injected into the request's headers.
 * @module
 */
import {
  type Attributes,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapPropagator,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api'
import { type Next, PassThrough } from '@turret/core'
import { type HttpService, withRequest } from '@turret/http'
import { observeCore } from '../internal/observer'
import { asException, errorType, knownMethod, type ProviderOptions, TracerSource } from '../internal/sdk'

/** Options of {@link otelClient}. */
export interface OtelClientOptions extends Omit<ProviderOptions, 'meterProvider'> {
  /** Called with each new recording span and its request, to add attributes. Defaults to none. */
  readonly requestHook?: ((span: Span, req: Request) => void) | undefined
  /** Called with each recording span and the response. Defaults to none. */
  readonly responseHook?: ((span: Span, res: Response) => void) | undefined
}

const headersSetter: TextMapSetter<Headers> = {
  set: (carrier, key, value) => carrier.set(key, value),
}

/** Query parameters whose values the semantic conventions ask to redact from `url.full`. */
const signed = /([?&](?:AWSAccessKeyId|Signature|sig|X-Goog-Signature)=)[^&#]*/g

interface Config {
  readonly tracer: TracerSource
  readonly propagator: TextMapPropagator | undefined
  readonly requestHook: ((span: Span, req: Request) => void) | undefined
  readonly responseHook: ((span: Span, res: Response) => void) | undefined
}

class OtelClient extends PassThrough<Request, Response> {
  readonly layerName = 'otelClient'
  constructor(
    inner: HttpService,
    private readonly config: Config,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const config = this.config
    const tracer = config.tracer.get()
    if (tracer === undefined) return next(req)
    const method = knownMethod(req.method)
    const url = new URL(req.url)
    const attributes: Attributes = {
      'http.request.method': method,
      'server.address': url.hostname,
      'server.port': url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
      'url.full': req.url.replace(signed, '$1REDACTED'),
    }
    if (method === '_OTHER') attributes['http.request.method_original'] = req.method
    const parent = context.active()
    const span = tracer.startSpan(method === '_OTHER' ? 'HTTP' : method, { kind: SpanKind.CLIENT, attributes }, parent)
    const active = trace.setSpan(parent, span)
    if (span.isRecording()) config.requestHook?.(span, req)
    let pending: Promise<Response>
    try {
      const outgoing = inject(config.propagator, active, req)
      pending = context.with(active, () => next(outgoing))
    } catch (error) {
      pending = Promise.reject(error)
    }
    return pending.then(
      (res) => {
        span.setAttribute('http.response.status_code', res.status)
        if (res.status >= 400) {
          span.setStatus({ code: SpanStatusCode.ERROR })
          span.setAttribute('error.type', String(res.status))
        }
        if (span.isRecording()) config.responseHook?.(span, res)
        span.end()
        return res
      },
      (error: unknown) => {
        span.recordException(asException(error))
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) })
        span.setAttribute('error.type', errorType(error))
        span.end()
        throw error
      },
    )
  }
}

/** Writes the context into the request's headers (into a copy of the request when they are immutable). */
function inject(
  propagator: TextMapPropagator | undefined,
  active: ReturnType<typeof context.active>,
  req: Request,
): Request {
  const into = (headers: Headers) =>
    propagator === undefined
      ? propagation.inject(active, headers, headersSetter)
      : propagator.inject(active, headers, headersSetter)
  try {
    into(req.headers)
    return req
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    const headers = new Headers(req.headers)
    into(headers)
    return withRequest(req, undefined, { headers })
  }
}

/**
 * Traces each outgoing request as an OpenTelemetry CLIENT span (a child of the active span) and
 * injects its context into the request's headers with the registered propagator (W3C
 * `traceparent` with the SDK defaults), so the next service continues the trace. Attributes:
 * `http.request.method`, `server.address`, `server.port`, `url.full` (signature query parameters
 * redacted), `http.response.status_code` and `error.type`; the status is ERROR on a 4xx/5xx
 * response or a rejection. The span ends when the response headers arrive.
 *
 * With no tracer SDK registered, the layer calls the inner service directly.
 *
 * @example
 * ```ts
 * const client = new ServiceBuilder<Request, Response>().layer(otelClient()).layer(followRedirect()).service(fromFetch(fetch))
 * ```
 */
export function otelClient(options: OtelClientOptions = {}): (inner: HttpService) => HttpService {
  observeCore()
  const { tracerProvider } = options
  const config: Config = {
    tracer: new TracerSource(tracerProvider),
    propagator: options.propagator,
    requestHook: options.requestHook,
    responseHook: options.responseHook,
  }
  return function otelClient(inner: HttpService): HttpService {
    return new OtelClient(inner, config)
  }
}

/**
 * `otelHttp`: an OpenTelemetry SERVER span and the `http.server.request.duration` histogram for
 * each request of a `Request → Response` service, with the stable HTTP semantic conventions.
 * @module
 */
import {
  type Attributes,
  context,
  type Histogram,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapPropagator,
  trace,
} from '@opentelemetry/api'
import { type Next, PassThrough } from '@turret/core'
import { copyExtensions, extensions, type HttpService, type Key, key } from '@turret/http'
import { peekExtensions, responseBody } from '@turret/http/internal'
import { observeCore } from '../internal/observer'
import {
  asException,
  durationBuckets,
  errorType,
  HistogramSource,
  headersGetter,
  knownMethod,
  noopTracer,
  type ProviderOptions,
  parentContext,
  reportedErrorTypes,
  TracerSource,
} from '../internal/sdk'

/** The extension under which `otelHttp` stores the request's SERVER span (when it is recording). */
const spanKey: Key<Span> = key<Span>('otel.span')

/**
 * The span of the request: the one `otelHttp` stored in its extensions, else the active span
 * (`undefined` when no SDK is registered or nothing is traced).
 *
 * @example
 * ```ts
 * currentSpan(req)?.setAttribute('app.user', user.id)
 * ```
 */
export function currentSpan(req: Request): Span | undefined {
  return peekExtensions(req)?.get(spanKey) ?? trace.getActiveSpan()
}

/** Options of {@link otelHttp}. */
export interface OtelHttpOptions extends ProviderOptions {
  /**
   * The matched route template of a request (`/users/:id`), called once the inner service has
   * answered (so a router inside the stack has matched). It names the span `{method} {route}` and
   * sets `http.route` on the span and the histogram. Defaults to none: spans are named `{method}`.
   */
  readonly route?: ((req: Request) => string | undefined) | undefined
  /** Called with each new recording span and its request, to add attributes. Defaults to none. */
  readonly requestHook?: ((span: Span, req: Request) => void) | undefined
  /** Called with each recording span and the response (before the body is read). Defaults to none. */
  readonly responseHook?: ((span: Span, res: Response) => void) | undefined
}

interface Config {
  readonly tracer: TracerSource
  readonly histogram: HistogramSource
  readonly propagator: TextMapPropagator | undefined
  readonly route: ((req: Request) => string | undefined) | undefined
  readonly requestHook: ((span: Span, req: Request) => void) | undefined
  readonly responseHook: ((span: Span, res: Response) => void) | undefined
}

/** What one request records: its span, the histogram's attributes, and its start time. */
class Exchange {
  ended = false
  constructor(
    readonly span: Span,
    readonly metric: Attributes,
    readonly start: number,
    readonly histogram: Histogram | undefined,
  ) {}

  end(errorType: string | undefined): void {
    if (this.ended) return
    this.ended = true
    const { span, metric } = this
    const type = errorType === undefined ? undefined : (reportedErrorTypes.get(span) ?? errorType)
    if (type !== undefined) {
      span.setAttribute('error.type', type)
      metric['error.type'] = type
    }
    span.end()
    this.histogram?.record((performance.now() - this.start) / 1000, metric)
  }

  /** Ends with an error from the response body (`type` is the status's, if it already failed). */
  fail(error: unknown, type: string | undefined): void {
    if (this.ended) return
    this.span.recordException(asException(error))
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: 'response body failed' })
    this.end(type ?? errorType(error))
  }
}

class OtelHttp extends PassThrough<Request, Response> {
  readonly layerName = 'otelHttp'
  constructor(
    inner: HttpService,
    private readonly config: Config,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const config = this.config
    const tracer = config.tracer.get()
    const histogram = config.histogram.get()
    // No SDK registered: no span, no metric, no context to propagate.
    if (tracer === undefined && histogram === undefined) return next(req)
    const start = performance.now()
    const method = knownMethod(req.method)
    const { scheme, path, address, port } = urlParts(req.url)
    const attributes: Attributes = {
      'http.request.method': method,
      'url.path': path,
      'url.scheme': scheme,
      'server.address': address,
      'server.port': port,
    }
    if (method === '_OTHER') attributes['http.request.method_original'] = req.method
    const userAgent = req.headers.get('user-agent')
    if (userAgent !== null) attributes['user_agent.original'] = userAgent
    const parent = parentContext(config.propagator, req.headers, headersGetter)
    const span = (tracer ?? noopTracer).startSpan(
      method === '_OTHER' ? 'HTTP' : method,
      { kind: SpanKind.SERVER, attributes },
      parent,
    )
    const metric: Attributes = { 'http.request.method': method, 'url.scheme': scheme }
    if (span.isRecording()) {
      extensions(req).set(spanKey, span)
      config.requestHook?.(span, req)
    }
    const exchange = new Exchange(span, metric, start, histogram)
    let pending: Promise<Response>
    try {
      pending = context.with(trace.setSpan(parent, span), () => next(req))
    } catch (error) {
      pending = Promise.reject(error)
    }
    return pending.then(
      (res) => this.#response(req, res, exchange),
      (error: unknown) => {
        this.#route(req, exchange)
        span.recordException(asException(error))
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) })
        exchange.end(errorType(error))
        throw error
      },
    )
  }

  #route(req: Request, exchange: Exchange): void {
    const route = this.config.route?.(req)
    if (route === undefined) return
    exchange.span.setAttribute('http.route', route)
    const method = exchange.metric['http.request.method'] as string
    exchange.span.updateName(`${method === '_OTHER' ? 'HTTP' : method} ${route}`)
    exchange.metric['http.route'] = route
  }

  #response(req: Request, res: Response, exchange: Exchange): Response {
    const { span, metric } = exchange
    this.#route(req, exchange)
    span.setAttribute('http.response.status_code', res.status)
    metric['http.response.status_code'] = res.status
    const failed = res.status >= 500
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR })
    if (span.isRecording()) this.config.responseHook?.(span, res)
    const type = failed ? String(res.status) : undefined
    // A body already in memory (a string or bytes, or none) has nothing left to stream: end now,
    // and leave the response as it is (serve() and the Lambda adapter write such bodies directly).
    if (responseBody(res) !== undefined) {
      exchange.end(type)
      return res
    }
    const body = res.body
    if (body === null) {
      exchange.end(type)
      return res
    }
    // A streamed body: the span ends when it has been read to its end (or fails, or is cancelled).
    // (A look-alike that is not a fetch Response gets a new Response over the traced stream.)
    const other: Response = res
    if (res instanceof Response) {
      endWithBody(res, body, exchange, type)
      return res
    }
    return copyExtensions(
      other,
      new Response(tracedBody(body, exchange, type), {
        status: other.status,
        statusText: other.statusText,
        headers: other.headers,
      }),
    )
  }
}

/**
 * The parts of an absolute request URL the conventions ask for, found with a few `indexOf` calls
 * (a `new URL()` per request costs more than the whole layer should). IPv6 addresses lose their
 * brackets; a missing port is the scheme's default.
 */
function urlParts(url: string): { scheme: string; path: string; address: string; port: number } {
  const schemeEnd = url.indexOf(':')
  const scheme = url.slice(0, schemeEnd)
  const hostStart = schemeEnd + 3
  let pathStart = url.indexOf('/', hostStart)
  if (pathStart < 0) pathStart = url.length
  let pathEnd = pathStart
  while (pathEnd < url.length && url[pathEnd] !== '?' && url[pathEnd] !== '#') pathEnd++
  const host = url.slice(hostStart, pathStart)
  const bracket = host.lastIndexOf(']')
  const portAt = host.lastIndexOf(':')
  const hasPort = portAt > bracket
  let address = hasPort ? host.slice(0, portAt) : host
  if (address.startsWith('[')) address = address.slice(1, -1)
  const port = hasPort ? Number(host.slice(portAt + 1)) : scheme === 'https' ? 443 : 80
  return { scheme, path: url.slice(pathStart, pathEnd) || '/', address, port }
}

const readers = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const

/**
 * Ends the exchange when `res`'s body is consumed, without copying the response: its read methods
 * (`text()`, `arrayBuffer()`…) end it when they settle — no stream in between for buffered readers
 * such as the Lambda adapter — and its `body` is a stream over the original that ends it at the
 * end of the stream. That stream takes the original's reader only on its first read, so looking
 * at `res.body` and then calling `res.text()` still works.
 */
function endWithBody(res: Response, body: ReadableStream<Uint8Array>, exchange: Exchange, type: string | undefined) {
  for (const name of readers) {
    const read = Response.prototype[name] as ((this: Response) => Promise<unknown>) | undefined
    if (typeof read !== 'function') continue
    Object.defineProperty(res, name, {
      configurable: true,
      writable: true,
      value: () =>
        read.call(res).then(
          (value) => {
            exchange.end(type)
            return value
          },
          (error: unknown) => {
            exchange.fail(error, type)
            throw error
          },
        ),
    })
  }
  let traced: ReadableStream<Uint8Array> | undefined
  Object.defineProperty(res, 'body', {
    configurable: true,
    get: () => {
      traced ??= tracedBody(body, exchange, type)
      return traced
    },
  })
}

/** A stream over `body` that ends the exchange at its end, on its failure, or when cancelled. */
function tracedBody(
  body: ReadableStream<Uint8Array>,
  exchange: Exchange,
  type: string | undefined,
): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= body.getReader()
        let next: ReadableStreamReadResult<Uint8Array>
        try {
          next = await reader.read()
        } catch (error) {
          exchange.fail(error, type)
          controller.error(error)
          return
        }
        if (next.done) {
          exchange.end(type)
          controller.close()
        } else controller.enqueue(next.value)
      },
      cancel(reason) {
        exchange.span.addEvent('turret.body.cancelled')
        exchange.end(type)
        return reader === undefined ? body.cancel(reason) : reader.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
}

/**
 * Traces each request as an OpenTelemetry SERVER span, with the stable HTTP semantic conventions:
 * `http.request.method`, `url.path`, `url.scheme`, `server.address` (and `server.port`),
 * `user_agent.original`, `http.response.status_code`, `http.route` (see `route`) and `error.type`.
 * The span is named `{method} {route}` when the route is known, else `{method}`; its status is
 * ERROR on a 5xx response or a rejection; it ends when a streamed response body has been read to
 * its end (or fails, or is cancelled), not when the headers are sent — at once for a body already
 * in memory (a string or bytes), which is left as it is. Each request also records
 * `http.server.request.duration` (seconds) with the convention's attributes.
 *
 * The parent is the context the propagator finds in the request headers (W3C `traceparent` with
 * the SDK defaults), unless a local span is already active (an `otelLambda` invocation around the
 * HTTP adapter), which then is the parent. Inside, the span is active (so `otelClient` and core
 * layers report under it) and is stored in the request's extensions, where {@link currentSpan} finds it.
 *
 * With no tracer and no meter SDK registered, the layer calls the inner service directly.
 *
 * @example
 * ```ts
 * const app = new ServiceBuilder<Request, Response>().layer(otelHttp({ route: (req) => routeOf(req) })).service(api)
 * ```
 */
export function otelHttp(options: OtelHttpOptions = {}): (inner: HttpService) => HttpService {
  observeCore()
  const { tracerProvider, meterProvider } = options
  const config: Config = {
    tracer: new TracerSource(tracerProvider),
    histogram: new HistogramSource(
      meterProvider,
      'http.server.request.duration',
      'Duration of HTTP server requests.',
      durationBuckets,
    ),
    propagator: options.propagator,
    route: options.route,
    requestHook: options.requestHook,
    responseHook: options.responseHook,
  }
  return function otelHttp(inner: HttpService): HttpService {
    return new OtelHttp(inner, config)
  }
}

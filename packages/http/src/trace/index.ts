/**
 * `trace`: hooks around each request, its response, its body chunks and its end of stream —
 * tower-http's `TraceLayer`. Works with any tracer (OpenTelemetry's `Tracer`/`Span` shape fits)
 * or a logger, without depending on either.
 * @module
 */
import { type Clock, type Next, PassThrough, systemClock } from '@turret/core'
import { type Classifier, type Failure, formatFailure, serverErrorsAsFailures } from '../classify/index'
import { redactHeaders } from '../sensitive-headers/index'
import type { HttpService } from '../types'
import { withBody } from '../util/response'

export {
  type Classifier,
  type Failure,
  formatFailure,
  serverErrorsAsFailures,
  statusInRange,
} from '../classify/index'

/** The span {@link trace} makes when no `makeSpan` is given: the request's description. */
export interface DefaultSpan {
  /** Always `request`. */
  readonly name: 'request'
  /** The request method. */
  readonly method: string
  /** The request URL. */
  readonly uri: string
  /** The request headers with sensitive values redacted (only with `includeHeaders`). */
  readonly headers?: Record<string, string>
}

/** A logger the default hooks write to (`console` fits). */
export interface TraceLogger {
  /** Request start, response, end of stream. */
  debug(message: string, fields: Record<string, unknown>): void
  /** Failures. */
  error(message: string, fields: Record<string, unknown>): void
}

/** Options of {@link trace}. `S` is the span type, `F` the failure class of the classifier. */
export interface TraceOptions<S = DefaultSpan, F = Failure> {
  /** Makes the span of a request (e.g. `tracer.startSpan(...)`). Defaults to a {@link DefaultSpan}. */
  makeSpan?: ((req: Request) => S) | undefined
  /** Runs the inner call "inside" the span (e.g. OpenTelemetry's `context.with`). Defaults to calling it directly. */
  enter?: ((span: S, call: () => Promise<Response>) => Promise<Response>) | undefined
  /** Called before the inner service. Defaults to a debug log `started processing request` when `logger` is set. */
  onRequest?: ((req: Request, span: S) => void) | undefined
  /** Called for every response (failures too), with the latency in ms. Defaults to a debug log when `logger` is set. */
  onResponse?: ((res: Response, latencyMs: number, span: S) => void) | undefined
  /** Called for each chunk of the response body, with the ms since the previous chunk. Defaults to none. */
  onBodyChunk?: ((chunk: Uint8Array, sinceLastChunkMs: number, span: S) => void) | undefined
  /**
   * Called once when the response body ends (at once for a response without body), with the ms
   * since the response. fetch bodies carry no trailers, so `trailers` is `undefined`. Defaults to
   * a debug log when `logger` is set.
   */
  onEos?: ((trailers: Headers | undefined, streamMs: number, span: S) => void) | undefined
  /**
   * Called when the classifier says the response failed (after `onResponse`), when the call
   * rejects, or when the response body stream errors. Defaults to an error log when `logger` is set.
   */
  onFailure?: ((failure: F, latencyMs: number, span: S) => void) | undefined
  /** Which responses and errors are failures. Defaults to `serverErrorsAsFailures()`. */
  classifier?: Classifier<F> | undefined
  /** Where the default hooks write. Defaults to none (no default hooks). */
  logger?: TraceLogger | undefined
  /** Whether the default span and logs include headers (sensitive ones redacted). Defaults to `false`. */
  includeHeaders?: boolean | undefined
  /** The clock latencies are measured on. Defaults to `systemClock`. */
  clock?: Clock | undefined
}

interface Hooks<S, F> {
  makeSpan: (req: Request) => S
  enter: ((span: S, call: () => Promise<Response>) => Promise<Response>) | undefined
  onRequest: ((req: Request, span: S) => void) | undefined
  onResponse: ((res: Response, latencyMs: number, span: S, req: Request) => void) | undefined
  onBodyChunk: ((chunk: Uint8Array, sinceLastChunkMs: number, span: S) => void) | undefined
  onEos: ((trailers: Headers | undefined, streamMs: number, span: S) => void) | undefined
  onFailure: ((failure: F, latencyMs: number, span: S) => void) | undefined
  classifier: Classifier<F>
  clock: Clock
}

class Trace<S, F> extends PassThrough<Request, Response> {
  readonly layerName = 'trace'
  constructor(
    inner: HttpService,
    private readonly hooks: Hooks<S, F>,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const h = this.hooks
    const start = h.clock.now()
    let span: S
    try {
      span = h.makeSpan(req)
      h.onRequest?.(req, span)
    } catch (error) {
      return Promise.reject(error)
    }
    const run = () => next(req)
    let pending: Promise<Response>
    try {
      pending = h.enter === undefined ? run() : h.enter(span, run)
    } catch (error) {
      pending = Promise.reject(error)
    }
    return pending.then(
      (res) => this.response(res, start, span, req),
      (error: unknown) => {
        h.onFailure?.(h.classifier.classifyError(error), h.clock.now() - start, span)
        throw error
      },
    )
  }

  private response(res: Response, start: number, span: S, req: Request): Response {
    const h = this.hooks
    const at = h.clock.now()
    const failure = h.classifier.classifyResponse(res)
    h.onResponse?.(res, at - start, span, req)
    if (failure !== undefined) h.onFailure?.(failure, at - start, span)
    const body = res.body
    if (body === null) {
      h.onEos?.(undefined, 0, span)
      return res
    }
    if (h.onBodyChunk === undefined && h.onEos === undefined && h.onFailure === undefined) return res
    const reader = body.getReader()
    let last = at
    let ended = false
    const traced = new ReadableStream<Uint8Array>({
      async pull(controller) {
        let next: ReadableStreamReadResult<Uint8Array>
        try {
          next = await reader.read()
        } catch (error) {
          if (!ended) {
            ended = true
            h.onFailure?.(h.classifier.classifyError(error), h.clock.now() - start, span)
          }
          controller.error(error)
          return
        }
        const now = h.clock.now()
        if (next.done) {
          if (!ended) {
            ended = true
            h.onEos?.(undefined, now - at, span)
          }
          controller.close()
          return
        }
        h.onBodyChunk?.(next.value, now - last, span)
        last = now
        controller.enqueue(next.value)
      },
      cancel(reason) {
        return reader.cancel(reason)
      },
    })
    return withBody(res, traced)
  }
}

function defaultMakeSpan(includeHeaders: boolean): (req: Request) => DefaultSpan {
  return (req) =>
    includeHeaders
      ? { name: 'request', method: req.method, uri: req.url, headers: redactHeaders(req.headers, req) }
      : { name: 'request', method: req.method, uri: req.url }
}

/**
 * Calls hooks around each request: `makeSpan` → `onRequest` → inner call → `onResponse` (and
 * `onFailure` if the classifier says so) → `onBodyChunk` per body chunk → `onEos` once. A rejected
 * call reports `onFailure` and rejects unchanged. With `logger`, hooks not given log the way
 * tower-http's defaults do, with sensitive headers (see `sensitiveHeaders`) shown as `[redacted]`.
 *
 * @example
 * ```ts
 * // OpenTelemetry, without turret depending on it:
 * trace({
 *   makeSpan: (req) => tracer.startSpan(`HTTP ${req.method}`, { attributes: { 'url.full': req.url } }),
 *   onResponse: (res, _ms, span) => span.setAttribute('http.response.status_code', res.status),
 *   onFailure: (f, _ms, span) => span.setStatus({ code: SpanStatusCode.ERROR, message: formatFailure(f) }),
 *   onEos: (_t, _ms, span) => span.end(),
 * })
 * ```
 */
export function trace<S = DefaultSpan, F = Failure>(
  options: TraceOptions<S, F> = {},
): (inner: HttpService) => HttpService {
  const includeHeaders = options.includeHeaders ?? false
  const logger = options.logger
  const clock = options.clock ?? systemClock
  const fields = (span: S): Record<string, unknown> =>
    typeof span === 'object' && span !== null ? { ...(span as object) } : {}
  const hooks: Hooks<S, F> = {
    makeSpan: options.makeSpan ?? (defaultMakeSpan(includeHeaders) as unknown as (req: Request) => S),
    enter: options.enter,
    onRequest:
      options.onRequest ?? (logger && ((_req, span) => logger.debug('started processing request', fields(span)))),
    onResponse:
      options.onResponse ??
      (logger &&
        ((res, latencyMs, span, req) => {
          const f: Record<string, unknown> = { ...fields(span), status: res.status, latency_ms: latencyMs }
          if (includeHeaders) f.response_headers = redactHeaders(res.headers, req, 'response')
          logger.debug('finished processing request', f)
        })),
    onBodyChunk: options.onBodyChunk,
    onEos:
      options.onEos ??
      (logger &&
        ((_t, streamMs, span) => logger.debug('end of stream', { ...fields(span), stream_duration_ms: streamMs }))),
    onFailure:
      options.onFailure ??
      (logger &&
        ((failure, latencyMs, span) =>
          logger.error('response failed', {
            ...fields(span),
            classification: isFailure(failure) ? formatFailure(failure) : failure,
            latency_ms: latencyMs,
          }))),
    classifier: options.classifier ?? (serverErrorsAsFailures() as unknown as Classifier<F>),
    clock,
  }
  return function trace(inner: HttpService): HttpService {
    return new Trace(inner, hooks)
  }
}

function isFailure(value: unknown): value is Failure {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as Failure).kind === 'status' || (value as Failure).kind === 'error')
  )
}

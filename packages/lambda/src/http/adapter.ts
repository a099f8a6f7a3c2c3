/**
 * The HTTP adapter layer (lambda_http's `Adapter`) and its entry points.
 * @module
 */
import { type Layer, type Next, PassThrough, type Service } from '@turret/core'
import { extensions } from '@turret/http'
import { installGlobals } from '@turret/http/internal'
import type { LambdaEvent } from '../context/index'
import { lambdaHttpKey } from './context'
import { createRequest } from './event-request'
import { BadHttpEvent, type ParsedEvent, parseEvent, type StagePath } from './request'
import { errorResult, type IsBinary, type ResultShape, toResultLater, toResultNow } from './response'
import type { LambdaHttpEvent, LambdaHttpResult } from './types'

/** Options of {@link httpAdapter}, {@link httpHandler} and {@link runHttp}. */
export interface HttpAdapterOptions {
  /**
   * The request path and the API Gateway stage. `'as-sent'` keeps the path as API Gateway sends it: REST (v1)
   * `path` has no stage on the execute-api host (it has the base path on a custom domain); HTTP API (v2)
   * `rawPath` has `/{stage}` for stages other than `$default`. `'strip'` removes a leading `/{stage}`, `'add'`
   * prefixes one when missing (lambda_http's behaviour). ALB, Function URL and WebSocket paths never change.
   * Defaults to `'as-sent'`.
   */
  readonly stagePath?: StagePath | undefined
  /**
   * Decides whether a response body is sent base64-encoded (`isBase64Encoded: true`); return `undefined` to use
   * the default rule: any `Content-Encoding` but `identity` → binary; `text/*`, JSON, JavaScript, XML, YAML,
   * form data, `+json`/`+xml`/`+yaml` with a UTF-8 (or no) charset → text; no `Content-Type` → text when the
   * bytes are valid UTF-8; everything else → binary. A body that is not valid UTF-8 is always sent base64-encoded,
   * even when this says text (a JSON string cannot carry those bytes unchanged).
   * Defaults to the default rule.
   */
  readonly isBinary?: IsBinary | undefined
  /**
   * Makes turret's lightweight `Request`, `Response` and `fetch` the globals when the adapter is made (as
   * @hono/node-server does for its server): the request is built only as far as the service reads it, and a
   * `new Response(string | bytes)` is answered from its parts. With `false`, the runtime's classes stay and each
   * request is an ordinary `Request` built at once. Defaults to `true`. See the README's "Lightweight fetch objects".
   */
  readonly overrideGlobalObjects?: boolean | undefined
}

/** Installs turret's globals unless the options say `overrideGlobalObjects: false`. */
export function useGlobals(options: HttpAdapterOptions): void {
  if (options.overrideGlobalObjects ?? true) installGlobals()
}

/** A parsed event turned into a request (with its extensions), or the event's 400 result. */
export function eventToRequest(
  event: LambdaEvent<LambdaHttpEvent>,
  stagePath: StagePath = 'as-sent',
): { request: Request; parsed: ParsedEvent } | BadHttpEvent {
  // The context's signal (an AbortSignal and a deadline timer) is only built if the request's is read.
  const parsed = parseEvent(event.payload, undefined, { stagePath })
  if (parsed instanceof BadHttpEvent) return parsed
  const request = createRequest(parsed, event.context)
  extensions(request).set(lambdaHttpKey, { source: parsed.source, event: event.payload, context: event.context })
  return { request, parsed }
}

/** The 400 result for an event the adapter cannot convert, shaped for its source. */
export function badEventResult(bad: BadHttpEvent): LambdaHttpResult {
  return errorResult(400, `Bad Request: ${bad.message}`, { source: bad.source, multiMode: bad.multi, head: false })
}

class HttpAdapter extends PassThrough<LambdaEvent<LambdaHttpEvent>, LambdaHttpResult, Request, Response> {
  readonly layerName = 'httpAdapter'
  readonly #stagePath: StagePath
  readonly #isBinary: IsBinary | undefined

  constructor(inner: Service<Request, Response>, options: HttpAdapterOptions) {
    super(inner)
    this.#stagePath = options.stagePath ?? 'as-sent'
    this.#isBinary = options.isBinary
  }

  protected handle(event: LambdaEvent<LambdaHttpEvent>, next: Next<Request, Response>): Promise<LambdaHttpResult> {
    let pending: Promise<Response>
    let parsed: ParsedEvent
    try {
      const converted = eventToRequest(event, this.#stagePath)
      if (converted instanceof BadHttpEvent) return Promise.resolve(badEventResult(converted))
      parsed = converted.parsed
      pending = next(converted.request)
    } catch (error) {
      return Promise.reject(error)
    }
    const isBinary = this.#isBinary
    return pending.then((response) => answer(response, parsed, isBinary))
  }
}

/** The result for the service's response: synchronous when its body is in memory. */
function answer(
  response: Response,
  parsed: ParsedEvent,
  isBinary: IsBinary | undefined,
): LambdaHttpResult | Promise<LambdaHttpResult> {
  if (!(response instanceof Response)) {
    throw new TypeError(`httpAdapter: the service answered ${typeof response}, not a Response`)
  }
  const shape: ResultShape = { source: parsed.source, multiMode: parsed.multiMode, head: parsed.method === 'HEAD' }
  return toResultNow(response, shape, isBinary) ?? toResultLater(response, shape, isBinary)
}

/**
 * The HTTP adapter as a layer: turns a `Service<Request, Response>` into a service of Lambda HTTP events
 * (API Gateway REST v1 and HTTP API v2, Function URLs, ALB, WebSocket), answering each in the shape its source
 * expects. Events that are not HTTP events, or are malformed, get a 400 result; a rejection of the inner service
 * propagates (the invocation fails), so put an error-to-response layer inside if you want a 500 instead.
 *
 * @example
 * ```ts
 * const lambdaSvc = httpAdapter()(app)
 * const result = await oneshot(lambdaSvc, { payload: event, context })
 * ```
 */
export function httpAdapter(
  options: HttpAdapterOptions = {},
): Layer<Service<Request, Response>, Service<LambdaEvent<LambdaHttpEvent>, LambdaHttpResult>> {
  useGlobals(options)
  return function httpAdapter(inner) {
    return new HttpAdapter(inner, options)
  }
}

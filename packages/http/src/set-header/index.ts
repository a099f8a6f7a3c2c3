/**
 * `setRequestHeader` / `setResponseHeader`: set a header on every request or response, in one of
 * three modes (override, append, if not present).
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import type { HttpService } from '../types'
import { editHeaders } from '../util/response'

/** How a header is set: replace every value, add a value, or set only when absent. */
export type HeaderMode = 'override' | 'append' | 'ifNotPresent'

/**
 * The value to set: a fixed string, or a function of the message that returns the value, or
 * `undefined` to leave the message alone.
 */
export type HeaderValue<M> = string | ((message: M) => string | undefined)

function resolveValue<M>(value: HeaderValue<M>, message: M): string | undefined {
  return typeof value === 'string' ? value : value(message)
}

function apply<M>(headers: Headers, name: string, value: HeaderValue<M>, mode: HeaderMode, message: M): void {
  if (mode === 'ifNotPresent' && headers.has(name)) return // the maker is not called
  const v = resolveValue(value, message)
  if (v === undefined) return
  if (mode === 'append') headers.append(name, v)
  else headers.set(name, v)
}

class SetRequestHeader extends PassThrough<Request, Response> {
  readonly layerName = 'setRequestHeader'
  constructor(
    inner: HttpService,
    private readonly name: string,
    private readonly value: HeaderValue<Request>,
    private readonly mode: HeaderMode,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    try {
      apply(req.headers, this.name, this.value, this.mode, req)
    } catch (error) {
      return Promise.reject(error)
    }
    return next(req)
  }
}

class SetResponseHeader extends PassThrough<Request, Response> {
  readonly layerName = 'setResponseHeader'
  constructor(
    inner: HttpService,
    private readonly name: string,
    private readonly value: HeaderValue<Response>,
    private readonly mode: HeaderMode,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    return next(req).then((res) => editHeaders(res, (headers) => apply(headers, this.name, this.value, this.mode, res)))
  }
}

/**
 * Sets a header on each request before the inner service sees it. Modes (default `'override'`):
 * `'override'` replaces every existing value, `'append'` adds one, `'ifNotPresent'` sets it only
 * when absent (and then does not call the value function). A function returning `undefined`
 * leaves the request as it is.
 *
 * @example
 * ```ts
 * setRequestHeader('x-forwarded-proto', 'https')
 * setRequestHeader('x-trace', (req) => req.headers.get('traceparent') ?? undefined, 'ifNotPresent')
 * ```
 */
export function setRequestHeader(
  name: string,
  value: HeaderValue<Request>,
  mode: HeaderMode = 'override',
): (inner: HttpService) => HttpService {
  return function setRequestHeader(inner: HttpService): HttpService {
    return new SetRequestHeader(inner, name, value, mode)
  }
}

/**
 * Sets a header on each response once the inner service answered (a value function sees that
 * response). Modes as in {@link setRequestHeader}. Immutable response headers (a response from
 * `fetch()`) are handled by copying the response.
 *
 * @example
 * ```ts
 * setResponseHeader('x-content-type-options', 'nosniff', 'ifNotPresent')
 * ```
 */
export function setResponseHeader(
  name: string,
  value: HeaderValue<Response>,
  mode: HeaderMode = 'override',
): (inner: HttpService) => HttpService {
  return function setResponseHeader(inner: HttpService): HttpService {
    return new SetResponseHeader(inner, name, value, mode)
  }
}

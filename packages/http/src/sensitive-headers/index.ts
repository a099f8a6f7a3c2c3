/**
 * `sensitiveHeaders`: marks header names whose values must not show in logs, traces or errors.
 *
 * A fetch `Headers` has no per-value "sensitive" flag (tower-http's `HeaderValue::set_sensitive`),
 * so the marking is a set of names stored in the request's extensions under
 * an extension; `trace` and error formatting consult it through {@link redactHeaders}.
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import { extensions, key, peekExtensions } from '../extensions/index'
import type { HttpService } from '../types'

/** The header names marked sensitive for one request, lower-case, for each direction. */
interface SensitiveHeaderNames {
  /** Names whose values are hidden in the request's headers. */
  readonly request: ReadonlySet<string>
  /** Names whose values are hidden in the response's headers. */
  readonly response: ReadonlySet<string>
}

/** The extension that lists the sensitive header names of a request. */
const sensitiveHeadersKey = key<SensitiveHeaderNames>('sensitiveHeaders')

/** What a sensitive value is shown as. */
const REDACTED = '[redacted]'

const EMPTY: ReadonlySet<string> = new Set()

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  if (b.size === 0) return a
  if (a.size === 0) return b
  return new Set([...a, ...b])
}

class SetSensitiveHeaders extends PassThrough<Request, Response> {
  readonly layerName: string
  constructor(
    inner: HttpService,
    name: string,
    private readonly names: SensitiveHeaderNames,
  ) {
    super(inner)
    this.layerName = name
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const ext = extensions(req)
    const existing = ext.get(sensitiveHeadersKey)
    ext.set(
      sensitiveHeadersKey,
      existing === undefined
        ? this.names
        : {
            request: union(existing.request, this.names.request),
            response: union(existing.response, this.names.response),
          },
    )
    return next(req)
  }
}

function lower(names: Iterable<string>): ReadonlySet<string> {
  return new Set([...names].map((n) => n.toLowerCase()))
}

/**
 * Marks headers sensitive on both the request and the response: their values show as
 * `[redacted]` in `trace` output and in anything formatted with {@link redactHeaders}.
 * Every value of a repeated header is hidden. Order with `trace` does not matter (the names are
 * looked up when output is written), but putting it outside `trace` reads like tower-http.
 *
 * @example
 * ```ts
 * new ServiceBuilder().layer(sensitiveHeaders(['authorization', 'cookie', 'set-cookie'])).layer(trace({ logger: console }))
 * ```
 */
export function sensitiveHeaders(names: Iterable<string>): (inner: HttpService) => HttpService {
  const set = lower(names)
  const both = Object.freeze({ request: set, response: set })
  return function sensitiveHeaders(inner: HttpService): HttpService {
    return new SetSensitiveHeaders(inner, 'sensitiveHeaders', both)
  }
}

/** Marks request headers sensitive (see {@link sensitiveHeaders}). */
export function sensitiveRequestHeaders(names: Iterable<string>): (inner: HttpService) => HttpService {
  const only = Object.freeze({ request: lower(names), response: EMPTY })
  return function sensitiveRequestHeaders(inner: HttpService): HttpService {
    return new SetSensitiveHeaders(inner, 'sensitiveRequestHeaders', only)
  }
}

/** Marks response headers sensitive (see {@link sensitiveHeaders}). */
export function sensitiveResponseHeaders(names: Iterable<string>): (inner: HttpService) => HttpService {
  const only = Object.freeze({ request: EMPTY, response: lower(names) })
  return function sensitiveResponseHeaders(inner: HttpService): HttpService {
    return new SetSensitiveHeaders(inner, 'sensitiveResponseHeaders', only)
  }
}

/** Whether header `name` is marked sensitive for `req` in the given direction. */
export function isSensitiveHeader(req: Request, name: string, side: 'request' | 'response' = 'request'): boolean {
  const names = peekExtensions(req)?.get(sensitiveHeadersKey)
  return names?.[side].has(name.toLowerCase()) === true
}

/**
 * The headers as a plain object for logs and error messages, with the values of headers marked
 * sensitive for `req` replaced by `[redacted]`. `side` says whether `headers` are the request's
 * or the response's (defaults to `'request'`). Repeated headers are joined with `, `.
 *
 * @example
 * ```ts
 * log.error('upstream failed', { headers: redactHeaders(req.headers, req) })
 * ```
 */
export function redactHeaders(
  headers: Headers,
  req: Request,
  side: 'request' | 'response' = 'request',
): Record<string, string> {
  const names = peekExtensions(req)?.get(sensitiveHeadersKey)?.[side] ?? EMPTY
  // A Map, then own properties: header names such as `constructor` or `__proto__` stay plain entries.
  const out = new Map<string, string>()
  for (const [name, value] of headers) {
    const prev = out.get(name)
    out.set(name, names.has(name) ? REDACTED : prev === undefined ? value : `${prev}, ${value}`)
  }
  return Object.fromEntries(out)
}

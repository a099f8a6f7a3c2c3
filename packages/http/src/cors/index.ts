/**
 * `cors`: Cross-Origin Resource Sharing headers and preflight answers, with tower-http's
 * `CorsLayer` semantics.
 * @module
 */

import { type Next, PassThrough, TurretError, type TurretErrorOptions } from '@turret/core'
import { copyExtensions } from '../extensions/index'
import type { HttpService } from '../types'

/** Marker: echo the request's `Origin` / `Access-Control-Request-Method` / `-Headers` (tower's `mirror_request()`). */
export const mirrorRequest: unique symbol = Symbol('mirrorRequest')
/** The type of {@link mirrorRequest}. */
export type MirrorRequest = typeof mirrorRequest

/** A function of the request's `Origin` (null when absent) and the request. */
export type OriginFn<T> = (origin: string | null, req: Request) => T

/** Which origins are allowed: `'*'`, one exact origin, a list, a (possibly async) predicate, or {@link mirrorRequest}. */
export type AllowOrigin =
  | '*'
  | string
  | readonly string[]
  | ((origin: string, req: Request) => boolean | PromiseLike<boolean>)
  | MirrorRequest

/** Options of {@link cors}. Without `allowOrigin` no CORS header is sent at all. */
export interface CorsOptions {
  /** `Access-Control-Allow-Origin`. Defaults to none (no header). */
  allowOrigin?: AllowOrigin | undefined
  /** `Access-Control-Allow-Methods` (preflight): `'*'`, a method, a list (joined with `,`), or {@link mirrorRequest}. Defaults to none. */
  allowMethods?: '*' | string | readonly string[] | MirrorRequest | undefined
  /** `Access-Control-Allow-Headers` (preflight): `'*'`, a header, a list, or {@link mirrorRequest}. Defaults to none. */
  allowHeaders?: '*' | string | readonly string[] | MirrorRequest | undefined
  /** `Access-Control-Expose-Headers` (non-preflight): `'*'`, a header or a list. Defaults to none. */
  exposeHeaders?: '*' | string | readonly string[] | undefined
  /** `Access-Control-Allow-Credentials: true`, always or when the predicate holds for a request with an `Origin`. Defaults to `false`. */
  allowCredentials?: boolean | ((origin: string, req: Request) => boolean) | undefined
  /**
   * `Access-Control-Max-Age` in seconds (preflight), fixed or per request. Fractions are truncated and
   * negatives sent as `0`; a value that is not a finite number (`NaN`, `Infinity`) or `undefined`
   * sends no header. Defaults to none.
   */
  maxAge?: number | OriginFn<number | undefined> | undefined
  /**
   * `Access-Control-Allow-Private-Network: true`, only sent when the request has
   * `Access-Control-Request-Private-Network: true`. Defaults to `false`.
   */
  allowPrivateNetwork?: boolean | ((origin: string | null, req: Request) => boolean) | undefined
  /**
   * The `Vary` values to append. Defaults to those derived from the options: `origin` when the
   * allowed origin depends on the request, the request method/headers when they are mirrored.
   */
  vary?: readonly string[] | undefined
}

/** The CORS options combine `Access-Control-Allow-Credentials: true` with a `*` wildcard, which browsers reject. */
export class CorsConfigError extends TurretError {
  override name = 'CorsConfigError'
  override readonly code = 'ERR_CORS_CONFIG'
  constructor(message: string, options?: TurretErrorOptions) {
    super(message, options)
  }
}

interface Config {
  readonly origin: AllowOrigin | undefined
  readonly methods: string | MirrorRequest | undefined
  readonly headers: string | MirrorRequest | undefined
  readonly expose: string | undefined
  readonly credentials: CorsOptions['allowCredentials']
  readonly maxAge: CorsOptions['maxAge']
  readonly privateNetwork: CorsOptions['allowPrivateNetwork']
  readonly vary: string | undefined
}

function joined(
  v: string | readonly string[] | MirrorRequest | undefined,
  lower: boolean,
): string | MirrorRequest | undefined {
  if (v === undefined || v === mirrorRequest) return v
  const list = typeof v === 'string' ? [v] : v
  if (list.length === 0) return undefined
  return list.map((s) => (lower ? s.trim().toLowerCase() : s.trim())).join(',')
}

function validate(o: CorsOptions): void {
  if (Array.isArray(o.allowOrigin) && o.allowOrigin.some((v: string) => v.trim() === '*')) {
    throw new CorsConfigError('Invalid CORS configuration: a list of allowed origins cannot contain `*`; use `*` alone')
  }
  if (o.allowCredentials !== true) return
  const wild: [string, unknown][] = [
    ['Access-Control-Allow-Headers', o.allowHeaders],
    ['Access-Control-Allow-Methods', o.allowMethods],
    ['Access-Control-Allow-Origin', o.allowOrigin],
    ['Access-Control-Expose-Headers', o.exposeHeaders],
  ]
  for (const [name, value] of wild) {
    // What the header would carry: values are trimmed and lists joined, so `' * '` and `['*']` send `*` too.
    const sent =
      typeof value === 'string'
        ? value.trim()
        : Array.isArray(value)
          ? value.map((v) => String(v).trim()).join(',')
          : value
    if (sent === '*') {
      throw new CorsConfigError(
        `Invalid CORS configuration: Cannot combine \`Access-Control-Allow-Credentials: true\` with \`${name}: *\``,
      )
    }
  }
}

/** Checks that the configured values are valid header values, so a bad one fails when the layer is built. */
function checkValues(config: Config): void {
  const o = config.origin
  const values: [string, unknown][] = [
    ['Access-Control-Allow-Origin', typeof o === 'string' ? o : Array.isArray(o) ? o.join(',') : undefined],
    ['Access-Control-Allow-Methods', config.methods],
    ['Access-Control-Allow-Headers', config.headers],
    ['Access-Control-Expose-Headers', config.expose],
    ['Vary', config.vary],
  ]
  for (const [name, value] of values) {
    if (typeof value !== 'string') continue
    try {
      new Headers([[name, value]])
    } catch (error) {
      throw new CorsConfigError(`Invalid CORS configuration: ${JSON.stringify(value)} is not a valid ${name} value`, {
        cause: error,
      })
    }
  }
}

function deriveVary(o: CorsOptions): string | undefined {
  if (o.vary !== undefined) return o.vary.length > 0 ? o.vary.join(', ') : undefined
  const v: string[] = []
  const origin = o.allowOrigin
  if (origin !== undefined && origin !== '*' && typeof origin !== 'string') v.push('origin')
  if (o.allowMethods === mirrorRequest) v.push('access-control-request-method')
  if (o.allowHeaders === mirrorRequest) v.push('access-control-request-headers')
  return v.length > 0 ? v.join(', ') : undefined
}

/** The service built by {@link cors}. */
export class Cors extends PassThrough<Request, Response> {
  readonly layerName = 'cors'
  constructor(
    inner: HttpService,
    private readonly config: Config,
  ) {
    super(inner)
  }

  protected async handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const c = this.config
    const origin = req.headers.get('origin')
    const out = new Headers()
    this.common(out, origin, req)
    const allowOrigin = await this.allowOrigin(origin, req)
    if (allowOrigin !== undefined) out.set('access-control-allow-origin', allowOrigin)
    if (req.method === 'OPTIONS') {
      // Every OPTIONS request is a preflight (tower-http#497): answered here, inner not called
      // (PassThrough keeps the inner reservation for the next request).
      const methods = c.methods === mirrorRequest ? req.headers.get('access-control-request-method') : c.methods
      if (methods != null) out.set('access-control-allow-methods', methods)
      const headers = c.headers === mirrorRequest ? req.headers.get('access-control-request-headers') : c.headers
      if (headers != null) out.set('access-control-allow-headers', headers)
      const maxAge = typeof c.maxAge === 'function' ? c.maxAge(origin, req) : c.maxAge
      if (maxAge !== undefined && Number.isFinite(maxAge)) {
        out.set('access-control-max-age', String(Math.max(0, Math.trunc(maxAge))))
      }
      return new Response(null, { status: 200, headers: out })
    }
    if (c.expose !== undefined) out.set('access-control-expose-headers', c.expose)
    const res = await next(req)
    let target: Headers = res.headers
    let copy: Response | undefined
    try {
      for (const [k, v] of out) k === 'vary' ? target.append(k, v) : target.set(k, v)
    } catch {
      // Immutable headers (a fetch() response): rebuild the response.
      copy = new Response(res.body, { status: res.status, statusText: res.statusText, headers: res.headers })
      copyExtensions(res, copy)
      target = copy.headers
      for (const [k, v] of out) k === 'vary' ? target.append(k, v) : target.set(k, v)
    }
    return copy ?? res
  }

  private common(out: Headers, origin: string | null, req: Request): void {
    const c = this.config
    const cred = c.credentials
    if (cred === true || (typeof cred === 'function' && origin !== null && cred(origin, req))) {
      out.set('access-control-allow-credentials', 'true')
    }
    const pna = c.privateNetwork
    if (
      pna !== undefined &&
      pna !== false &&
      req.headers.get('access-control-request-private-network') === 'true' &&
      (pna === true || pna(origin, req))
    ) {
      out.set('access-control-allow-private-network', 'true')
    }
    if (c.vary !== undefined) out.set('vary', c.vary)
  }

  private async allowOrigin(origin: string | null, req: Request): Promise<string | undefined> {
    const o = this.config.origin
    if (o === undefined) return undefined
    if (typeof o === 'string') return o
    if (origin === null) return undefined
    if (o === mirrorRequest) return origin
    if (typeof o === 'function') return (await o(origin, req)) ? origin : undefined
    return (o as readonly string[]).includes(origin) ? origin : undefined
  }
}

/**
 * Adds CORS headers and answers preflights, as tower-http's `CorsLayer`. Nothing is sent unless
 * configured (at least `allowOrigin`); every `OPTIONS` request is answered `200` here without
 * calling the inner service; `Vary` is appended to the inner response's; credentials combined
 * with a `*` wildcard throw {@link CorsConfigError} when the layer is built.
 *
 * @example
 * ```ts
 * const api = cors({
 *   allowOrigin: ['https://app.example'],
 *   allowMethods: ['GET', 'PUT'],
 *   allowHeaders: ['content-type', 'x-token'],
 *   maxAge: 600,
 * })(app)
 * ```
 */
export function cors(options: CorsOptions = {}): (inner: HttpService) => Cors {
  validate(options)
  const config: Config = {
    origin: Array.isArray(options.allowOrigin) ? [...options.allowOrigin] : options.allowOrigin,
    methods: joined(options.allowMethods, false),
    headers: joined(options.allowHeaders, true),
    expose: joined(options.exposeHeaders, true) as string | undefined,
    credentials: options.allowCredentials,
    maxAge: options.maxAge,
    privateNetwork: options.allowPrivateNetwork,
    vary: deriveVary(options),
  }
  checkValues(config)
  return function cors(inner: HttpService) {
    return new Cors(inner, config)
  }
}

/** tower's `CorsLayer::permissive()`: any origin, method and header allowed, every header exposed. */
cors.permissive = (): ((inner: HttpService) => Cors) =>
  cors({ allowOrigin: '*', allowMethods: '*', allowHeaders: '*', exposeHeaders: '*' })

/** tower's `CorsLayer::very_permissive()`: credentials, with origin, methods and headers mirrored from the request. */
cors.veryPermissive = (): ((inner: HttpService) => Cors) =>
  cors({
    allowCredentials: true,
    allowOrigin: mirrorRequest,
    allowMethods: mirrorRequest,
    allowHeaders: mirrorRequest,
  })

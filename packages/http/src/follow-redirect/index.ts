/**
 * `followRedirect`: follows 3xx redirects for client-side services (a service that makes
 * requests, such as `fromFetch(fetch)` with `redirect: 'manual'`), as tower-http's
 * `FollowRedirectLayer` with its standard policy.
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import { copyExtensions } from '../extensions/index'
import type { HttpService } from '../types'
import { sameOrigin } from './origin'

/** What a {@link RedirectPolicy} is asked about: one redirect the layer is about to follow. */
export interface RedirectAttempt {
  /** The redirect's status (301, 302, 303, 307 or 308). */
  readonly status: number
  /** Where it points, resolved against `previous`. */
  readonly location: URL
  /** The method the next request will use (after any change to GET). */
  readonly method: string
  /** The method of the request that was redirected. */
  readonly previousMethod: string
  /** The URL of the request that was redirected. */
  readonly previous: URL
  /** Redirects followed before this one. */
  readonly followed: number
}

/** Decides whether to follow a redirect; a throw or rejection fails the call with that error. */
export type RedirectPolicy = (attempt: RedirectAttempt) => 'follow' | 'stop' | PromiseLike<'follow' | 'stop'>

/** Options of {@link followRedirect}. */
export interface FollowRedirectOptions {
  /** Redirects followed at most; then the last redirect response is returned. Defaults to `20`. */
  limit?: number | undefined
  /** Stop (return the redirect response) instead of following to another origin. Defaults to `false`. */
  sameOrigin?: boolean | undefined
  /**
   * On a hop to another origin, remove `Authorization`, `Cookie` and `Proxy-Authorization` and the
   * request's extensions (for that hop and every later one). Defaults to `true`.
   */
  filterCredentials?: boolean | undefined
  /** Carry the request's extensions to each redirected request. Defaults to `true`. */
  preserveExtensions?: boolean | undefined
  /**
   * Keep a copy of a request body (a `Request.clone()` tee, which holds the whole body in memory
   * until the call ends) so 307/308 can re-send it; when `false`, a 307/308 of a request with a
   * body is not followed (the redirect response is returned). Set it to `false` for large
   * streamed uploads. Defaults to `true`.
   */
  cloneBody?: boolean | undefined
  /** A further check run before each redirect is followed, after the built-in ones. Defaults to none. */
  policy?: RedirectPolicy | undefined
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const PAYLOAD_HEADERS = ['content-type', 'content-length', 'content-encoding', 'transfer-encoding']
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization']
const finalUrls = new WeakMap<Response, string>()

/** The URL of the request that produced a response of {@link followRedirect} (tower's `RequestUri`). */
export function finalUrl(res: Response): string | undefined {
  return finalUrls.get(res)
}

interface Config {
  readonly limit: number
  readonly sameOrigin: boolean
  readonly filterCredentials: boolean
  readonly preserveExtensions: boolean
  readonly cloneBody: boolean
  readonly policy: RedirectPolicy | undefined
}

/** The service built by {@link followRedirect}. */
export class FollowRedirect extends PassThrough<Request, Response> {
  readonly layerName = 'followRedirect'
  constructor(
    inner: HttpService,
    private readonly config: Config,
  ) {
    super(inner)
  }

  protected async handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const c = this.config
    // A tee of the body kept for 307/308; cancelled when no longer needed.
    let spare = c.cloneBody && req.body !== null ? req.clone() : undefined
    let current = req
    let url = new URL(req.url)
    let keepExtensions = c.preserveExtensions
    let followed = 0
    let res = await next(req)
    try {
      for (;;) {
        const location = res.headers.get('location')
        if (!REDIRECTS.has(res.status) || location === null || followed >= c.limit) break
        let target: URL
        try {
          target = new URL(location, url)
        } catch {
          break
        }
        if (target.protocol !== 'http:' && target.protocol !== 'https:') break
        const status = res.status
        const changes =
          ((status === 301 || status === 302) && current.method === 'POST') ||
          (status === 303 && current.method !== 'HEAD')
        const method = changes ? 'GET' : current.method
        const cross = !sameOrigin(url, target)
        if (cross && c.sameOrigin) break
        const hasBody = !changes && current.body !== null
        if (hasBody && spare === undefined) break // the body cannot be sent again
        if (c.policy !== undefined) {
          const attempt = { status, location: target, method, previousMethod: current.method, previous: url, followed }
          if ((await c.policy(attempt)) === 'stop') break
        }
        const headers = new Headers(current.headers)
        if (changes) for (const h of PAYLOAD_HEADERS) headers.delete(h)
        if (cross && c.filterCredentials) {
          for (const h of CREDENTIAL_HEADERS) headers.delete(h)
          keepExtensions = false
        }
        const init: RequestInit & { duplex?: 'half' } = {
          method,
          headers,
          signal: req.signal,
          redirect: req.redirect,
        }
        if (hasBody && spare !== undefined) {
          const send = spare
          spare = send.clone()
          init.body = send.body
          init.duplex = 'half'
        }
        const nextReq = new Request(target, init)
        if (keepExtensions) copyExtensions(req, nextReq)
        res.body?.cancel().catch(() => {})
        current = nextReq
        url = target
        followed++
        res = await next(nextReq) // reserves anew: the first call used the reservation
      }
    } finally {
      spare?.body?.cancel().catch(() => {})
    }
    finalUrls.set(res, url.href)
    return res
  }
}

/**
 * Follows redirects of a client-side service: 301/302 turn POST into GET, 303 turns every method
 * but HEAD into GET (dropping the body and its `Content-*` headers), 307/308 keep method and body
 * (re-sent from a clone). Stops, returning the redirect response, at the limit, on a missing or
 * unusable `Location`, across origins when `sameOrigin` is set, or when the policy says so.
 * {@link finalUrl} tells where the returned response came from.
 *
 * @example
 * ```ts
 * const client = followRedirect({ limit: 5 })(fromFetch((req) => fetch(req, { redirect: 'manual' })))
 * ```
 */
export function followRedirect(options: FollowRedirectOptions = {}): (inner: HttpService) => FollowRedirect {
  const config: Config = {
    limit: options.limit ?? 20,
    sameOrigin: options.sameOrigin ?? false,
    filterCredentials: options.filterCredentials ?? true,
    preserveExtensions: options.preserveExtensions ?? true,
    cloneBody: options.cloneBody ?? true,
    policy: options.policy,
  }
  return function followRedirect(inner: HttpService) {
    return new FollowRedirect(inner, config)
  }
}

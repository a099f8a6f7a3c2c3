/**
 * Authorization: `requireAuthorization` lets a request through only when an authorizer accepts
 * it (`basicAuth`, `bearerAuth`, or your own async function); `addAuthorization` sets the
 * `Authorization` header on outgoing requests.
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import type { HttpService } from '../types'
import { emptyResponse } from '../util/response'

/**
 * Decides about one request: return the request to let through (the same one, or one it changed,
 * e.g. with extensions added), or a response to answer with instead (the inner service is not called).
 */
export type Authorizer = (req: Request) => Request | Response | PromiseLike<Request | Response>

function encodeBase64(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary)
}

/** Compares two strings in time that depends only on their lengths. */
function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/** The `Authorization` value of HTTP Basic credentials: `Basic base64(username:password)`. */
export function basicCredentials(username: string, password: string): string {
  return `Basic ${encodeBase64(`${username}:${password}`)}`
}

/**
 * Accepts requests whose `Authorization` is exactly `Basic base64(username:password)` (scheme
 * and credentials case-sensitive, as in tower-http); else `401` with `WWW-Authenticate: Basic`.
 */
export function basicAuth(username: string, password: string): Authorizer {
  const expected = basicCredentials(username, password)
  return (req) => {
    const got = req.headers.get('authorization')
    if (got !== null && safeEqual(got, expected)) return req
    const res = emptyResponse(401)
    res.headers.set('www-authenticate', 'Basic')
    return res
  }
}

/** Accepts requests whose `Authorization` is exactly `Bearer <token>` (case-sensitive); else `401`. */
export function bearerAuth(token: string): Authorizer {
  const expected = `Bearer ${token}`
  return (req) => {
    const got = req.headers.get('authorization')
    return got !== null && safeEqual(got, expected) ? req : emptyResponse(401)
  }
}

class RequireAuthorization extends PassThrough<Request, Response> {
  readonly layerName = 'requireAuthorization'
  constructor(
    inner: HttpService,
    private readonly authorize: Authorizer,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    let decided: Request | Response | PromiseLike<Request | Response>
    try {
      decided = this.authorize(req)
    } catch (error) {
      return Promise.reject(error)
    }
    if (decided instanceof Request) return next(decided)
    if (decided instanceof Response) return Promise.resolve(decided)
    // The reservation made by ready() is used by this call once the authorizer lets it through.
    return Promise.resolve(decided).then((d) => (d instanceof Response ? d : next(d)))
  }
}

/**
 * Lets a request through to the inner service only when `authorizer` returns a request; answers
 * the authorizer's response otherwise. The authorizer may be async and may add extensions (e.g.
 * the authenticated user) to the request it returns.
 *
 * @example
 * ```ts
 * requireAuthorization(bearerAuth(process.env.TOKEN!))
 * requireAuthorization(async (req) => {
 *   const user = await sessions.lookup(req.headers.get('cookie'))
 *   if (!user) return new Response(null, { status: 401 })
 *   extensions(req).set(userKey, user)
 *   return req
 * })
 * ```
 */
export function requireAuthorization(authorizer: Authorizer): (inner: HttpService) => HttpService {
  return function requireAuthorization(inner: HttpService): HttpService {
    return new RequireAuthorization(inner, authorizer)
  }
}

class AddAuthorization extends PassThrough<Request, Response> {
  readonly layerName = 'addAuthorization'
  constructor(
    inner: HttpService,
    private readonly value: string,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    req.headers.set('authorization', this.value)
    return next(req)
  }
}

/**
 * Sets `Authorization` on every request (replacing any value) — for clients. Pass the whole
 * value, e.g. `basicCredentials('user', 'pass')` or `` `Bearer ${token}` ``.
 */
export function addAuthorization(value: string): (inner: HttpService) => HttpService {
  return function addAuthorization(inner: HttpService): HttpService {
    return new AddAuthorization(inner, value)
  }
}

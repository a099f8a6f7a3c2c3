/**
 * What the router does with a request once it knows the route: readiness then call (`oneshot` with the
 * request's signal), HEAD without a body, the 404/405/400 answers, and services nested under a prefix.
 * @module
 */
import { type Next, PassThrough, type Ready } from '@turret/core'
import { extensions, key, peekExtensions, withRequest } from '../extensions/index'
import type { HttpLayer, HttpService } from '../types'
import { RouteMatcher } from './matcher'

/** The request's URL before a router that nests a service under a prefix took the prefix off. */
export const originalUrlKey = key<string>('originalUrl')

/** The URL the client asked for: `req.url` unless a nested service sees it with its prefix removed. */
export function originalUrl(req: Request): string {
  return peekExtensions(req)?.get(originalUrlKey) ?? req.url
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']

/** The `Allow` header of a route: its methods (HEAD with GET) in a fixed order. */
export function allowOf(methods: ReadonlyMap<string, HttpService>): string {
  const names = [...methods.keys()]
  if (methods.has('GET') && !methods.has('HEAD')) names.push('HEAD')
  const rank = (m: string) => (ORDER.indexOf(m) + 1 || ORDER.length + 1) * 1000 + names.indexOf(m)
  return names.sort((a, b) => rank(a) - rank(b)).join(',')
}

export class Status implements HttpService {
  readonly inner = undefined
  constructor(
    readonly layerName: string,
    private readonly status: number,
    private readonly allow?: string,
  ) {}
  ready(): Ready {
    return undefined
  }
  call(): Promise<Response> {
    const res = new Response(null, { status: this.status })
    if (this.allow !== undefined) res.headers.set('allow', this.allow)
    return Promise.resolve(res)
  }
}

/** The default fallback: an empty 404. */
export const notFound = new Status('notFound', 404)
/** The answer to a parameter that is not valid percent-encoded UTF-8. */
export const badPath = new Status('badPath', 400)

export function apply(svc: HttpService, layers: readonly HttpLayer[]): HttpService {
  let out = svc
  for (const layer of layers) out = layer(out)
  return out
}

/** Where the path starts and ends in a serialised URL (`scheme://authority/path?query#fragment`). */
export function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  if (start < 0) return '/'
  const q = url.indexOf('?', start)
  if (q >= 0) return url.slice(start, q)
  const h = url.indexOf('#', start)
  return h >= 0 ? url.slice(start, h) : url.slice(start)
}

export function dispatch(svc: HttpService, req: Request): Promise<Response> {
  try {
    const pending = svc.ready(req.signal)
    if (pending === undefined) return svc.call(req)
    return Promise.resolve(pending).then(() => svc.call(req))
  } catch (error) {
    return Promise.reject(error)
  }
}

export function dropBody(res: Response): Response {
  if (res.body !== null) res.body.cancel().catch(() => undefined)
  const head = new Response(null, { status: res.status, statusText: res.statusText, headers: res.headers })
  const ext = peekExtensions(res)
  if (ext !== undefined) extensions(head).extend(ext)
  return head
}

/** Nested routers' fallbacks must not overlap (two nested under one prefix): checked when nesting. */
export function checkNested(nested: readonly { readonly path: string }[]): void {
  const check = new RouteMatcher<undefined>()
  for (const n of nested) check.insert(n.path, undefined)
}

export function joinPath(prefix: string, path: string): string {
  return path === '/' ? prefix : prefix + path
}

/** The part of `url`'s path after its first `segments` segments (`/` when nothing is left). */
export function stripSegments(url: string, segments: number): string {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  let at = start
  for (let i = 0; i < segments && at >= 0; i++) at = url.indexOf('/', at + 1)
  const q = url.indexOf('?', start)
  const end = q >= 0 ? q : url.length
  const rest = at < 0 || at > end ? '' : url.slice(at, end)
  return url.slice(0, start) + (rest === '' ? '/' : rest) + url.slice(end)
}

export class Nested extends PassThrough<Request, Response> {
  readonly layerName = 'nest'
  constructor(
    inner: HttpService,
    private readonly segments: number,
  ) {
    super(inner)
  }
  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const url = req.url
    const stripped = withRequest(req, stripSegments(url, this.segments))
    if (!extensions(stripped).has(originalUrlKey)) extensions(stripped).set(originalUrlKey, url)
    return next(stripped)
  }
}

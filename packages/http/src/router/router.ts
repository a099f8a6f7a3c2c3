/**
 * `router()`: axum's `Router` for turret. A router is an `HttpService`: it matches the request path in a radix
 * tree built once, then calls the route's service for the request method.
 * @module
 */
import type { Ready } from '@turret/core'
import { extensions, key, peekExtensions, withRequest } from '../extensions/index'
import type { HttpLayer, HttpService } from '../types'
import { conflictBetween, type Leaf, RouteMatcher } from './matcher'
import { type Handler, handlerService, MethodRouter, pathParamsKey } from './methods'
import { InvalidRouteError, type PathParams, parsePattern, RouteConflictError } from './path'

/** One path of a router: its services by method, and the layers its 405 answer gets. */
interface RouteEntry {
  readonly path: string
  readonly methods: ReadonlyMap<string, HttpService>
  readonly other: HttpService | undefined
  readonly notAllowedLayers: readonly HttpLayer[]
}

interface State {
  readonly routes: readonly RouteEntry[]
  /** The fallback as set (or the default 404), before `.layer` layers. */
  readonly fallback: HttpService
  readonly customFallback: boolean
  /** Every `.layer` so far, innermost first: the fallback gets them all. */
  readonly layers: readonly HttpLayer[]
  /** Nested routers' own fallbacks, by pattern (`prefix`, `prefix/`, `prefix/*rest`). */
  readonly nested: readonly { readonly path: string; readonly service: HttpService }[]
}

/** What a matched path dispatches to. */
interface Compiled {
  readonly methods: ReadonlyMap<string, HttpService>
  readonly other: HttpService | undefined
  readonly notAllowed: HttpService
}

interface Table {
  readonly matcher: RouteMatcher<Compiled>
  readonly nested: RouteMatcher<HttpService> | undefined
  readonly fallback: HttpService
}

/** The request's URL before a router that nests a service under a prefix took the prefix off. */
export const originalUrlKey = key<string>('originalUrl')

/** The URL the client asked for: `req.url` unless a nested service sees it with its prefix removed. */
export function originalUrl(req: Request): string {
  return peekExtensions(req)?.get(originalUrlKey) ?? req.url
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']

function allowOf(methods: ReadonlyMap<string, HttpService>): string {
  const names = [...methods.keys()]
  if (methods.has('GET') && !methods.has('HEAD')) names.push('HEAD')
  const rank = (m: string) => (ORDER.indexOf(m) + 1 || ORDER.length + 1) * 1000 + names.indexOf(m)
  return names.sort((a, b) => rank(a) - rank(b)).join(',')
}

class Status implements HttpService {
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

const notFound = new Status('notFound', 404)
const badPath = new Status('badPath', 400)

function apply(svc: HttpService, layers: readonly HttpLayer[]): HttpService {
  let out = svc
  for (const layer of layers) out = layer(out)
  return out
}

/** Where the path starts and ends in a serialised URL (`scheme://authority/path?query#fragment`). */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  if (start < 0) return '/'
  const q = url.indexOf('?', start)
  if (q >= 0) return url.slice(start, q)
  const h = url.indexOf('#', start)
  return h >= 0 ? url.slice(start, h) : url.slice(start)
}

function dispatch(svc: HttpService, req: Request): Promise<Response> {
  try {
    const pending = svc.ready(req.signal)
    if (pending === undefined) return svc.call(req)
    return Promise.resolve(pending).then(() => svc.call(req))
  } catch (error) {
    return Promise.reject(error)
  }
}

function dropBody(res: Response): Response {
  if (res.body !== null) res.body.cancel().catch(() => undefined)
  const head = new Response(null, { status: res.status, statusText: res.statusText, headers: res.headers })
  const ext = peekExtensions(res)
  if (ext !== undefined) extensions(head).extend(ext)
  return head
}

/** Nested routers' fallbacks must not overlap (two nested under one prefix): checked when nesting. */
function checkNested(nested: readonly { readonly path: string }[]): void {
  const check = new RouteMatcher<undefined>()
  for (const n of nested) check.insert(n.path, undefined)
}

function joinPath(prefix: string, path: string): string {
  return path === '/' ? prefix : prefix + path
}

/** The part of `url`'s path after its first `segments` segments (`/` when nothing is left). */
function stripSegments(url: string, segments: number): string {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  let at = start
  for (let i = 0; i < segments && at >= 0; i++) at = url.indexOf('/', at + 1)
  const q = url.indexOf('?', start)
  const end = q >= 0 ? q : url.length
  const rest = at < 0 || at > end ? '' : url.slice(at, end)
  return url.slice(0, start) + (rest === '' ? '/' : rest) + url.slice(end)
}

class Nested implements HttpService {
  readonly layerName = 'nest'
  constructor(
    readonly inner: HttpService,
    private readonly segments: number,
  ) {}
  ready(signal?: AbortSignal): Ready {
    return this.inner.ready(signal)
  }
  call(req: Request): Promise<Response> {
    let next: Request
    try {
      const url = req.url
      next = withRequest(req, stripSegments(url, this.segments))
      if (!extensions(next).has(originalUrlKey)) extensions(next).set(originalUrlKey, url)
    } catch (error) {
      return Promise.reject(error)
    }
    return this.inner.call(next)
  }
}

/**
 * An HTTP router, itself an `HttpService` (axum's `Router`). Build it with {@link router}; every method returns
 * a new router, so a router can be shared and extended safely. See {@link router} for the rules.
 */
export class Router implements HttpService {
  readonly #state: State
  #table: Table | undefined

  constructor(state: State) {
    this.#state = state
  }

  #with(change: Partial<State>): Router {
    return new Router({ ...this.#state, ...change })
  }

  #add(routes: readonly RouteEntry[], entry: RouteEntry): RouteEntry[] {
    parsePattern(entry.path)
    const out = [...routes]
    for (let i = 0; i < out.length; i++) {
      const existing = out[i] as RouteEntry
      const reason = conflictBetween(entry.path, existing.path)
      if (reason === undefined) continue
      if (reason !== 'duplicate') throw new RouteConflictError(entry.path, existing.path, reason)
      // The same path again: merge the method tables (axum's behaviour); one method twice is an error.
      const methods = new Map(existing.methods)
      for (const [m, svc] of entry.methods) {
        if (methods.has(m)) throw new RouteConflictError(entry.path, existing.path, `${m} is routed twice`)
        methods.set(m, svc)
      }
      if (existing.other !== undefined && entry.other !== undefined)
        throw new RouteConflictError(entry.path, existing.path, 'any() is routed twice')
      out[i] = { ...existing, methods, other: existing.other ?? entry.other }
      return out
    }
    out.push(entry)
    return out
  }

  /**
   * Routes `path` to a method router: `.route('/users/:id', get(show).delete(remove))`. The same path added
   * again merges its methods; a method added twice, or a conflicting pattern, throws here.
   */
  route<P extends string>(path: P, methods: MethodRouter<PathParams<NoInfer<P>>>): Router {
    if (!(methods instanceof MethodRouter))
      throw new TypeError('route(path, methods): methods is a method router such as get(handler)')
    const entry: RouteEntry = { path, methods: methods.methods, other: methods.other, notAllowedLayers: [] }
    return this.#with({ routes: this.#add(this.#state.routes, entry) })
  }

  /** `GET path` (and HEAD): `.get('/users/:id', (req, { id }) => json(find(id)))`. */
  get<P extends string>(path: P, handler: Handler<PathParams<NoInfer<P>>>): Router {
    return this.route(path, new MethodRouter<PathParams<P>>().get(handler))
  }
  /** `POST path`. */
  post<P extends string>(path: P, handler: Handler<PathParams<NoInfer<P>>>): Router {
    return this.route(path, new MethodRouter<PathParams<P>>().post(handler))
  }
  /** `PUT path`. */
  put<P extends string>(path: P, handler: Handler<PathParams<NoInfer<P>>>): Router {
    return this.route(path, new MethodRouter<PathParams<P>>().put(handler))
  }
  /** `PATCH path`. */
  patch<P extends string>(path: P, handler: Handler<PathParams<NoInfer<P>>>): Router {
    return this.route(path, new MethodRouter<PathParams<P>>().patch(handler))
  }
  /** `DELETE path`. */
  delete<P extends string>(path: P, handler: Handler<PathParams<NoInfer<P>>>): Router {
    return this.route(path, new MethodRouter<PathParams<P>>().delete(handler))
  }
  /** `HEAD path` (instead of the GET route's answer without its body). */
  head<P extends string>(path: P, handler: Handler<PathParams<NoInfer<P>>>): Router {
    return this.route(path, new MethodRouter<PathParams<P>>().head(handler))
  }
  /** `OPTIONS path`. */
  options<P extends string>(path: P, handler: Handler<PathParams<NoInfer<P>>>): Router {
    return this.route(path, new MethodRouter<PathParams<P>>().options(handler))
  }
  /** Every method of `path` that has no handler of its own. */
  any<P extends string>(path: P, handler: Handler<PathParams<NoInfer<P>>>): Router {
    return this.route(path, new MethodRouter<PathParams<P>>().any(handler))
  }

  /**
   * Wraps every route added so far, their 405 answers and the fallback (whenever it is set) in `layer`; the
   * last layer added is the outermost. Each route gets its own instance of the layer, as in axum: put a layer
   * that must be shared (a concurrency limit for the whole app) around the router instead.
   */
  layer(layer: HttpLayer): Router {
    const { routes, layers, nested } = this.#state
    return this.#with({
      routes: routes.map((r) => ({
        path: r.path,
        methods: new Map([...r.methods].map(([m, svc]) => [m, layer(svc)])),
        other: r.other === undefined ? undefined : layer(r.other),
        notAllowedLayers: [...r.notAllowedLayers, layer],
      })),
      layers: [...layers, layer],
      nested: nested.map((n) => ({ path: n.path, service: layer(n.service) })),
    })
  }

  /**
   * Wraps only the routes added so far (not their 405 answers, not the fallback), so a request that matches
   * no route never runs it: auth on the routes, while unknown paths stay 404 (axum's `route_layer`).
   */
  routeLayer(layer: HttpLayer): Router {
    const { routes } = this.#state
    if (routes.length === 0) throw new InvalidRouteError('', 'routeLayer() before any route wraps nothing')
    return this.#with({
      routes: routes.map((r) => ({
        ...r,
        methods: new Map([...r.methods].map(([m, svc]) => [m, layer(svc)])),
        other: r.other === undefined ? undefined : layer(r.other),
      })),
    })
  }

  /** Answers requests no route matches (default: an empty 404). A router has one fallback. */
  fallback(handler: Handler<PathParams<string>>): Router {
    if (this.#state.customFallback) throw new RouteConflictError('*', '*', 'the router already has a fallback')
    return this.#with({ fallback: handlerService(handler as Handler<never>), customFallback: true })
  }

  /**
   * Adds every route of `other` (with its layers) and its fallback; routes that clash throw, and so do two
   * fallbacks.
   */
  merge(other: Router): Router {
    const theirs = other.#state
    const mine = this.#state
    if (mine.customFallback && theirs.customFallback)
      throw new RouteConflictError('*', '*', 'both routers have a fallback')
    let routes: RouteEntry[] = [...mine.routes]
    for (const r of theirs.routes) routes = this.#add(routes, r)
    const fallback = theirs.customFallback ? apply(theirs.fallback, theirs.layers) : mine.fallback
    const nested = [...mine.nested, ...theirs.nested]
    checkNested(nested)
    return this.#with({ routes, fallback, customFallback: mine.customFallback || theirs.customFallback, nested })
  }

  /**
   * Mounts `target` under `prefix` (`/api`, `/users/:id`). A router's routes are added with the prefix (its
   * `/` becomes `prefix` itself) and its fallback answers unmatched paths under the prefix; any other service
   * (`fromFetch(honoApp)`) gets `prefix`, `prefix/` and everything below, with the prefix taken off the URL
   * (the full URL stays readable with {@link originalUrl}).
   */
  nest(prefix: string, target: Router | HttpService): Router {
    const tokens = parsePattern(prefix)
    if (prefix === '/' || prefix.endsWith('/'))
      throw new InvalidRouteError(prefix, 'a nest prefix is not "/" and has no trailing slash (use merge at the root)')
    if (tokens.some((t) => t.kind === 'wildcard')) throw new InvalidRouteError(prefix, 'a nest prefix has no wildcard')
    const under = [prefix, `${prefix}/`, `${prefix}/*__nested`]
    if (target instanceof Router) {
      const theirs = target.#state
      let routes: RouteEntry[] = [...this.#state.routes]
      for (const r of theirs.routes) routes = this.#add(routes, { ...r, path: joinPath(prefix, r.path) })
      const nested = [
        ...this.#state.nested,
        ...theirs.nested.map((n) => ({ path: joinPath(prefix, n.path), service: n.service })),
      ]
      if (theirs.customFallback) {
        const service = apply(theirs.fallback, theirs.layers)
        for (const path of under) nested.push({ path, service })
      }
      checkNested(nested)
      return this.#with({ routes, nested })
    }
    const svc = new Nested(handlerService(target as Handler<never>), prefix.split('/').length - 1)
    let routes: RouteEntry[] = [...this.#state.routes]
    for (const path of under) routes = this.#add(routes, { path, methods: new Map(), other: svc, notAllowedLayers: [] })
    return this.#with({ routes })
  }

  #compile(): Table {
    const { routes, nested, fallback, layers } = this.#state
    const matcher = new RouteMatcher<Compiled>()
    for (const r of routes) {
      const notAllowed = apply(new Status('methodNotAllowed', 405, allowOf(r.methods)), r.notAllowedLayers)
      matcher.insert(r.path, { methods: r.methods, other: r.other, notAllowed })
    }
    let nestedMatcher: RouteMatcher<HttpService> | undefined
    if (nested.length > 0) {
      nestedMatcher = new RouteMatcher<HttpService>()
      for (const n of nested) nestedMatcher.insert(n.path, n.service)
    }
    return { matcher, nested: nestedMatcher, fallback: apply(fallback, layers) }
  }

  /** Always ready: each call waits for its own route's service (see {@link router}). */
  ready(): Ready {
    return undefined
  }

  /** Routes one request: its route's service for its method, a 405 with `Allow`, or the fallback. */
  call(req: Request): Promise<Response> {
    let table = this.#table
    if (table === undefined) {
      table = this.#compile()
      this.#table = table
    }
    const path = pathOf(req.url)
    const leaf = table.matcher.find(path)
    if (leaf === undefined) return this.#miss(table, req, path)
    if (leaf.names.length > 0) {
      const params = table.matcher.params(path, leaf)
      if (params === undefined) return dispatch(badPath, req)
      extensions(req).set(pathParamsKey, params)
    } else {
      const ext = peekExtensions(req)
      if (ext?.has(pathParamsKey)) ext.delete(pathParamsKey)
    }
    return this.#method(leaf, req)
  }

  #method(leaf: Leaf<Compiled>, req: Request): Promise<Response> {
    const route = leaf.value
    const method = req.method
    const svc = route.methods.get(method)
    if (svc !== undefined) return dispatch(svc, req)
    if (method === 'HEAD') {
      const get = route.methods.get('GET')
      if (get !== undefined) return dispatch(get, req).then(dropBody)
    }
    return dispatch(route.other ?? route.notAllowed, req)
  }

  #miss(table: Table, req: Request, path: string): Promise<Response> {
    if (table.nested !== undefined) {
      const hit = table.nested.find(path)
      if (hit !== undefined) return dispatch(hit.value, req)
    }
    return dispatch(table.fallback, req)
  }
}

/**
 * A new, empty router: an `HttpService` that routes by path and method (axum's `Router`).
 *
 * - Patterns: static segments, `:name` (one whole, non-empty segment) and a final `*rest` (the non-empty
 *   rest). Static beats parameter beats wildcard. Matching is case-sensitive, on the percent-encoded path; each
 *   parameter is percent-decoded on its own (`%2F` stays inside the value); bad UTF-8 answers 400.
 * - `/a` and `/a/` are different routes, as in axum: put `normalizePath('trim')` around the router to merge them.
 * - A path whose method has no handler answers 405 with `Allow`; HEAD is answered by GET without the body.
 * - Mistakes (a malformed pattern, a route or method twice, parameters named differently at one position, a
 *   wildcard not last) throw when the router is built, never at request time.
 * - Readiness: the router's `ready()` is always ready. Requests to different routes cannot share one
 *   reservation, so each call waits for its own route's service and then calls it (`oneshot`, with the
 *   request's signal): a route whose service is not ready makes only that route wait.
 *
 * @example
 * ```ts
 * const app = router()
 *   .get('/users/:id', (req, { id }) => json({ id }))
 *   .route('/users', get(list).post(create))
 *   .routeLayer(requireAuthorization(bearerAuth(token)))
 *   .layer(trace())
 * export const handler = httpHandler(app)
 * ```
 */
export function router(): Router {
  return new Router({ routes: [], fallback: notFound, customFallback: false, layers: [], nested: [] })
}

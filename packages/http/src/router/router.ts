/**
 * `router()`: axum's `Router` for turret. A router is an `HttpService`: it matches the request path in a radix
 * tree built once, then calls the route's service for the request method.
 * @module
 */
import type { Ready } from '@turret/core'
import { extensions, peekExtensions } from '../extensions/index'
import type { HttpLayer, HttpService } from '../types'
import {
  allowOf,
  apply,
  badPath,
  checkNested,
  dispatch,
  dropBody,
  joinPath,
  Nested,
  notFound,
  pathOf,
  Status,
} from './dispatch'
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

/**
 * An HTTP router, itself an `HttpService` (axum's `Router`). Build it with {@link router}; every method returns
 * a new router, so a router can be shared and extended safely. See {@link router} for the rules.
 */
export class Router implements HttpService {
  readonly #state: State
  #table: Table | undefined

  /** Not for direct use: start from {@link router}. */
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

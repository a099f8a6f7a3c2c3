/**
 * Handlers and method routers: `get(a).post(b)` says which service answers which method of one path.
 * @module
 */
import type { Ready } from '@turret/core'
import { key, peekExtensions } from '../extensions/index'
import { isToken } from '../internal/token'
import type { HttpLayer, HttpService } from '../types'
import { InvalidRouteError, type PathParams } from './path'

/**
 * What answers a route: a service (it reads its parameters with `pathParams(req)`), or a function of the
 * request and the route's typed parameters.
 */
export type Handler<Ps = PathParams<string>> =
  | HttpService
  | ((req: Request, params: Ps) => Response | PromiseLike<Response>)

/** The extension key under which the router stores the matched route's decoded parameters. */
export const pathParamsKey = key<Readonly<Record<string, string>>>('pathParams')

const NONE: Readonly<Record<string, string>> = Object.freeze({})

/**
 * The path parameters the router matched for this request (decoded), for services deeper in the stack; an
 * empty object outside a parametric route. Pass the pattern as a type argument to type them.
 *
 * @example
 * ```ts
 * const show = serviceFn((req: Request) => json({ id: pathParams<'/users/:id'>(req).id }))
 * router().get('/users/:id', show)
 * ```
 */
export function pathParams<P extends string = string>(req: Request): PathParams<P> {
  return (peekExtensions(req)?.get(pathParamsKey) ?? NONE) as PathParams<P>
}

class HandlerFn implements HttpService {
  readonly layerName: string
  readonly inner = undefined
  constructor(readonly fn: (req: Request, params: never) => Response | PromiseLike<Response>) {
    this.layerName = fn.name ? `handler(${fn.name})` : 'handler'
  }
  ready(): Ready {
    return undefined
  }
  call(req: Request): Promise<Response> {
    try {
      return Promise.resolve(this.fn(req, pathParams(req) as never))
    } catch (error) {
      return Promise.reject(error)
    }
  }
}

/** A handler as a service (a service is kept as it is). */
export function handlerService(handler: Handler<never>): HttpService {
  if (typeof handler === 'function') return new HandlerFn(handler)
  if (handler !== null && typeof handler === 'object' && typeof handler.call === 'function') return handler
  throw new TypeError('a route handler is a Service<Request, Response> or a function (req, params) => Response')
}

function methodName(method: string): string {
  if (typeof method !== 'string' || !isToken(method))
    throw new InvalidRouteError(String(method), 'not an HTTP method name')
  return method.toUpperCase()
}

/**
 * The services of one path by method, built with {@link get}, {@link post}… and chained
 * (`get(list).post(create)`), then given to `router().route(path, methods)`. Immutable: each call returns a
 * new method router. A method added twice throws. Handlers are typed by the route when the helper is the
 * argument itself (`.route('/u/:id', get((req, { id }) => …))`); in a chain the first handler sets the type,
 * so annotate it (`get((req, { id }: { id: string }) => …).post(…)`) or use the router's shorthands.
 */
export class MethodRouter<Ps = PathParams<string>> {
  /** Phantom: the parameters the handlers expect (checked against the route's pattern). */
  declare readonly __params?: (params: Ps) => void
  /** Services by upper-case method, in the order added. */
  readonly methods: ReadonlyMap<string, HttpService>
  /** The service for every method not listed ({@link any}). */
  readonly other: HttpService | undefined

  constructor(methods: ReadonlyMap<string, HttpService> = new Map(), other?: HttpService) {
    this.methods = methods
    this.other = other
  }

  /** Adds `handler` for each of `methods` (names are upper-cased). */
  on(methods: string | readonly string[], handler: Handler<Ps>): MethodRouter<Ps> {
    const next = new Map(this.methods)
    const svc = handlerService(handler as Handler<never>)
    for (const m of typeof methods === 'string' ? [methods] : methods) {
      const name = methodName(m)
      if (next.has(name)) throw new InvalidRouteError(name, `a handler for ${name} is already set on this route`)
      next.set(name, svc)
    }
    return new MethodRouter(next, this.other)
  }

  /** Answers GET (and HEAD, unless a HEAD handler is set: the body is dropped). */
  get(handler: Handler<Ps>): MethodRouter<Ps> {
    return this.on('GET', handler)
  }
  /** Answers POST. */
  post(handler: Handler<Ps>): MethodRouter<Ps> {
    return this.on('POST', handler)
  }
  /** Answers PUT. */
  put(handler: Handler<Ps>): MethodRouter<Ps> {
    return this.on('PUT', handler)
  }
  /** Answers PATCH. */
  patch(handler: Handler<Ps>): MethodRouter<Ps> {
    return this.on('PATCH', handler)
  }
  /** Answers DELETE. */
  delete(handler: Handler<Ps>): MethodRouter<Ps> {
    return this.on('DELETE', handler)
  }
  /** Answers HEAD (instead of the GET handler). */
  head(handler: Handler<Ps>): MethodRouter<Ps> {
    return this.on('HEAD', handler)
  }
  /** Answers OPTIONS. */
  options(handler: Handler<Ps>): MethodRouter<Ps> {
    return this.on('OPTIONS', handler)
  }
  /** Answers every method that has no handler of its own (so the route never answers 405). */
  any(handler: Handler<Ps>): MethodRouter<Ps> {
    if (this.other !== undefined) throw new InvalidRouteError('any', 'any() is already set on this route')
    return new MethodRouter(this.methods, handlerService(handler as Handler<never>))
  }

  /** Wraps every handler of this method router in `layer` (each method gets its own instance). */
  layer(layer: HttpLayer): MethodRouter<Ps> {
    const next = new Map<string, HttpService>()
    for (const [m, svc] of this.methods) next.set(m, layer(svc))
    return new MethodRouter(next, this.other === undefined ? undefined : layer(this.other))
  }
}

/** A method router answering GET (and HEAD) with `handler`. */
export function get<Ps = PathParams<string>>(handler: Handler<Ps>): MethodRouter<Ps> {
  return new MethodRouter<Ps>().get(handler)
}
/** A method router answering POST with `handler`. */
export function post<Ps = PathParams<string>>(handler: Handler<Ps>): MethodRouter<Ps> {
  return new MethodRouter<Ps>().post(handler)
}
/** A method router answering PUT with `handler`. */
export function put<Ps = PathParams<string>>(handler: Handler<Ps>): MethodRouter<Ps> {
  return new MethodRouter<Ps>().put(handler)
}
/** A method router answering PATCH with `handler`. */
export function patch<Ps = PathParams<string>>(handler: Handler<Ps>): MethodRouter<Ps> {
  return new MethodRouter<Ps>().patch(handler)
}
/** A method router answering DELETE with `handler` (`delete` is a reserved word; chain `.delete()` elsewhere). */
export function del<Ps = PathParams<string>>(handler: Handler<Ps>): MethodRouter<Ps> {
  return new MethodRouter<Ps>().delete(handler)
}
/** A method router answering HEAD with `handler`. */
export function head<Ps = PathParams<string>>(handler: Handler<Ps>): MethodRouter<Ps> {
  return new MethodRouter<Ps>().head(handler)
}
/** A method router answering OPTIONS with `handler`. */
export function options<Ps = PathParams<string>>(handler: Handler<Ps>): MethodRouter<Ps> {
  return new MethodRouter<Ps>().options(handler)
}
/** A method router answering every method with `handler`. */
export function any<Ps = PathParams<string>>(handler: Handler<Ps>): MethodRouter<Ps> {
  return new MethodRouter<Ps>().any(handler)
}
/** A method router answering each of `methods` with `handler`. */
export function on<Ps = PathParams<string>>(
  methods: string | readonly string[],
  handler: Handler<Ps>,
): MethodRouter<Ps> {
  return new MethodRouter<Ps>().on(methods, handler)
}

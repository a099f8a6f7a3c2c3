/**
 * fetch interop: any `(req) => Response` handler (a Hono app's `app.fetch`, a Next.js route…)
 * as a service, and any HTTP service as a fetch handler.
 * @module
 */
import { oneshot, type Ready } from '@turret/core'
import type { HttpService } from '../types'

/** A fetch handler: what Hono, itty-router, Bun and Deno servers call `fetch`. */
export type FetchHandler = (req: Request) => Response | PromiseLike<Response>

/** An object with a `fetch` method, such as a Hono app (called as a method, so `this` is kept). */
export interface FetchObject {
  /** The fetch handler. */
  fetch(req: Request): Response | PromiseLike<Response>
}

class FetchService implements HttpService {
  readonly layerName = 'fromFetch'
  readonly inner = undefined
  /** The wrapped handler. */
  readonly handler: FetchHandler | FetchObject
  readonly #call: (req: Request) => Response | PromiseLike<Response>

  constructor(handler: FetchHandler | FetchObject) {
    this.handler = handler
    if (typeof handler === 'function') {
      // Called as a plain function (never with this service as `this`).
      this.#call = (req) => handler(req)
    } else {
      this.#call = (req) => handler.fetch(req)
    }
  }

  ready(): Ready {
    return undefined
  }

  call(req: Request): Promise<Response> {
    try {
      return Promise.resolve(this.#call(req))
    } catch (error) {
      return Promise.reject(error)
    }
  }
}

/**
 * Wraps a fetch handler as an always-ready {@link HttpService}, so turret layers can go around it.
 * Pass a function, or an object with a `fetch` method (a Hono app) to have it called as a method.
 * A synchronous throw becomes a rejection.
 *
 * @example
 * ```ts
 * const app = new Hono().get('/', (c) => c.text('hi'))
 * const svc = new ServiceBuilder().layer(catchPanic()).service(fromFetch(app))
 * ```
 */
export function fromFetch(handler: FetchHandler | FetchObject): HttpService {
  return new FetchService(handler)
}

/**
 * Turns a service back into a fetch handler: each call awaits readiness, then calls (`oneshot`);
 * the request's `signal` is passed to `ready()`, so a client that leaves abandons the wait.
 * The result is an arrow function, safe to pass around unbound (`export default { fetch: toFetch(svc) }`).
 *
 * @example
 * ```ts
 * Bun.serve({ fetch: toFetch(svc) })
 * ```
 */
export function toFetch(service: HttpService): (req: Request) => Promise<Response> {
  return (req: Request) => oneshot(service, req, { signal: req.signal })
}

/**
 * `PassThrough`: the base of a layer that forwards readiness to its inner service and may answer
 * without calling it (a 401, a 413, a rejected check), without ever losing the inner reservation.
 * @module
 */
import { type Layered, oneshot, type Ready, type Service } from '../service'

/**
 * Calls the inner service for the request being handled. The first call uses the reservation the
 * layer's `ready()` made; a further call for the same request (a redirect followed, a retry) or a
 * call made after `handle` settled reserves anew with `oneshot`.
 */
export type Next<Req, Res> = (req: Req) => Promise<Res>

const HELD = 0
const USED = 1
const RELEASED = 2

/**
 * The base class of a layer over one inner service: the one correct way to write a layer that
 * passes requests through and may answer, reject or throw without calling the inner service.
 *
 * - `ready(signal)` forwards to `inner.ready(signal)`, so a caller that gives up (a client that
 *   disconnects) abandons its wait for capacity, as the Service contract requires.
 * - Subclasses implement `handle(req, next)` instead of `call`. When `handle` returns, throws or
 *   settles without having called `next`, the reservation its `ready()` took on the inner service
 *   is kept as a spare, and the next `ready()` uses it: a short-circuited request never leaks
 *   capacity of an inner `concurrencyLimit`, buffer or rate limit.
 * - `next` may be called once per request on the reservation; later calls reserve their own.
 *
 * @example
 * ```ts
 * class RequireTenant extends PassThrough<Request, Response> {
 *   readonly layerName = 'requireTenant'
 *   protected handle(req: Request, next: Next<Request, Response>): Promise<Response> | Response {
 *     if (!req.headers.has('x-tenant')) return new Response(null, { status: 400 }) // inner not called: no leak
 *     return next(req)
 *   }
 * }
 * const requireTenant = (inner: Service<Request, Response>) => new RequireTenant(inner)
 * ```
 */
export abstract class PassThrough<Req, Res, InReq = Req, InRes = Res> implements Service<Req, Res>, Layered {
  /** The layer's name, listed by `describeStack`. */
  abstract readonly layerName: string
  #spare = 0

  constructor(
    /** The wrapped service. */
    readonly inner: Service<InReq, InRes>,
  ) {}

  /** Inner reservations kept from requests answered without calling the inner service, used by the next `ready()`. */
  get spare(): number {
    return this.#spare
  }

  /** Uses a spare inner reservation if there is one, else forwards to `inner.ready(signal)`. */
  ready(signal?: AbortSignal): Ready {
    if (this.#spare > 0) {
      this.#spare--
      return undefined
    }
    return this.inner.ready(signal)
  }

  /** Runs `handle`; keeps the reservation as a spare when `handle` settles without calling `next`. */
  call(req: Req): Promise<Res> {
    let state = HELD
    const inner = this.inner
    let out: Res | PromiseLike<Res>
    try {
      // Inline, unnamed closures: a named one would be wrapped per call by tools that keep names (tsx).
      out = this.handle(req, (r) => {
        if (state !== HELD) return oneshot(inner, r)
        state = USED
        try {
          return inner.call(r)
        } catch (error) {
          return Promise.reject(error)
        }
      })
    } catch (error) {
      if (state === HELD) {
        state = RELEASED
        this.#spare++
      }
      return Promise.reject(error)
    }
    // The hot path: `next` was called synchronously, nothing more to track.
    if (state !== HELD) return Promise.resolve(out)
    return Promise.resolve(out).then(
      (res) => {
        if (state === HELD) {
          state = RELEASED
          this.#spare++
        }
        return res
      },
      (error: unknown) => {
        if (state === HELD) {
          state = RELEASED
          this.#spare++
        }
        throw error
      },
    )
  }

  /**
   * Handles one request: answer it (a value, a promise, a throw or a rejection), calling
   * `next(req)` to pass it (or another request) to the inner service.
   */
  protected abstract handle(req: Req, next: Next<InReq, InRes>): Res | PromiseLike<Res>
}

import { NotReadyError } from '../errors'
import { observer } from '../internal/observer'
import { InnerReservations } from '../internal/wait'
import type { Layered, Ready, Service } from '../service'
import { Semaphore } from './semaphore'

/** The service built by {@link concurrencyLimit} and {@link globalConcurrencyLimit}. */
export interface ConcurrencyLimitService<Req, Res> extends Service<Req, Res>, Layered {
  readonly inner: Service<Req, Res>
  /** The semaphore the permits come from. */
  readonly semaphore: Semaphore
  /** Reservations (each holding a permit) made by `ready()` and not yet used by `call()`. */
  readonly reserved: number
  /** Inner reservations that arrived after their wait was abandoned, kept (without a permit) for the next caller. */
  readonly spare: number
  /**
   * Reserves a permit and one call of the inner service. Aborting `signal` abandons the wait:
   * the promise rejects with the signal's reason and the permit is released (or never taken).
   */
  ready(signal?: AbortSignal): Ready
}

class ConcurrencyLimit<Req, Res> implements ConcurrencyLimitService<Req, Res> {
  #reserved = 0
  readonly #inner: InnerReservations
  readonly #release = () => this.semaphore.release()
  readonly #reservedOne = () => {
    this.#reserved++
  }
  readonly #failed = (error: unknown) => {
    this.semaphore.release()
    throw error
  }

  constructor(
    readonly inner: Service<Req, Res>,
    readonly semaphore: Semaphore,
    readonly layerName: 'concurrencyLimit' | 'globalConcurrencyLimit',
  ) {
    this.#inner = new InnerReservations(inner)
  }

  get reserved(): number {
    return this.#reserved
  }
  get spare(): number {
    return this.#inner.spare
  }

  ready(signal?: AbortSignal): Ready {
    const acquired = this.semaphore.acquire(signal)
    if (acquired === undefined) return this.#readyInner(signal)
    return acquired.then(() => this.#readyInner(signal))
  }

  /** With a permit held: reserves a call of the inner service (the permit goes back if that fails or aborts). */
  #readyInner(signal: AbortSignal | undefined): Ready {
    let pending: Ready
    try {
      pending = this.#inner.reserve(signal)
    } catch (error) {
      this.semaphore.release()
      throw error
    }
    if (pending === undefined) {
      this.#reserved++
      return undefined
    }
    return pending.then(this.#reservedOne, this.#failed)
  }

  call(req: Req): Promise<Res> {
    if (this.#reserved === 0) {
      const error = new NotReadyError(`${this.layerName}: no permit reserved; call ready() first`)
      if (observer !== undefined) observer.rejected(error, this.layerName)
      return Promise.reject(error)
    }
    this.#reserved--
    let res: Promise<Res>
    try {
      res = this.inner.call(req)
    } catch (error) {
      this.semaphore.release()
      return Promise.reject(error)
    }
    return res.finally(this.#release)
  }
}

/**
 * Allows at most `max` calls in flight; further callers wait in `ready()` (FIFO) until a call
 * settles. Each service this layer wraps gets its own limit (tower's `ConcurrencyLimitLayer`).
 *
 * `ready()` takes a permit; `call()` uses it and the permit returns when the call settles
 * (success or error). A reservation that is never used keeps its permit: call, or abort the
 * wait through `ready(signal)`, never leave a reservation behind.
 *
 * @example
 * ```ts
 * const svc = concurrencyLimit(8)(backend)
 * ```
 */
export function concurrencyLimit(
  max: number,
): <Req, Res>(inner: Service<Req, Res>) => ConcurrencyLimitService<Req, Res> {
  if (!Number.isInteger(max) || max < 0)
    throw new RangeError(`concurrencyLimit: max must be an integer >= 0, got ${max}`)
  return function concurrencyLimit<Req, Res>(inner: Service<Req, Res>): ConcurrencyLimitService<Req, Res> {
    return new ConcurrencyLimit(inner, new Semaphore(max), 'concurrencyLimit')
  }
}

/**
 * Like {@link concurrencyLimit}, but every service this layer wraps shares `semaphore`: one limit
 * across all of them (tower's `GlobalConcurrencyLimitLayer`).
 *
 * @example
 * ```ts
 * const shared = new Semaphore(16)
 * const users = globalConcurrencyLimit(shared)(userService)
 * const orders = globalConcurrencyLimit(shared)(orderService)
 * ```
 */
export function globalConcurrencyLimit(
  semaphore: Semaphore,
): <Req, Res>(inner: Service<Req, Res>) => ConcurrencyLimitService<Req, Res> {
  return function globalConcurrencyLimit<Req, Res>(inner: Service<Req, Res>): ConcurrencyLimitService<Req, Res> {
    return new ConcurrencyLimit(inner, semaphore, 'globalConcurrencyLimit')
  }
}

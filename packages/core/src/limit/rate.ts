import { type Clock, systemClock, type TimerHandle } from '../clock'
import { NotReadyError } from '../errors'
import { InnerReservations, WaitQueue } from '../internal/wait'
import type { Layered, Ready, Service } from '../service'

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** The clock that measures windows. Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
}

/** The service built by {@link rateLimit}. */
export interface RateLimitService<Req, Res> extends Service<Req, Res>, Layered {
  readonly inner: Service<Req, Res>
  /** Calls still allowed in the current window. */
  readonly remaining: number
  /** Reservations made by `ready()` and not yet used by `call()`. */
  readonly reserved: number
  /** Callers waiting for the next window. */
  readonly waiting: number
  /**
   * Reserves one call of the current window (waiting, FIFO, for the next window when none is
   * left). Aborting `signal` abandons the wait; the promise rejects with the signal's reason.
   */
  ready(signal?: AbortSignal): Ready
}

class RateLimit<Req, Res> implements RateLimitService<Req, Res> {
  readonly layerName = 'rateLimit'
  #until: number
  #remaining = 0
  #reserved = 0
  readonly #inner: InnerReservations
  readonly #reservedOne = () => {
    this.#reserved++
  }
  readonly #waiters = new WaitQueue()
  #timer: TimerHandle | undefined
  readonly #drain = () => {
    this.#timer = undefined
    this.#refresh()
    while (this.#remaining > 0 && this.#waiters.wakeOne()) this.#remaining--
    if (this.#waiters.length > 0) this.#arm()
  }

  constructor(
    readonly inner: Service<Req, Res>,
    readonly limit: number,
    readonly perMs: number,
    private readonly clock: Clock,
  ) {
    this.#until = clock.now()
    this.#inner = new InnerReservations(inner)
  }

  get remaining(): number {
    this.#refresh()
    return this.#remaining
  }
  get reserved(): number {
    return this.#reserved
  }
  get waiting(): number {
    return this.#waiters.length
  }

  /** Starts a new window when the current one is over. */
  #refresh(): void {
    const now = this.clock.now()
    if (now >= this.#until) {
      this.#until = now + this.perMs
      this.#remaining = this.limit
    }
  }

  #arm(): void {
    if (this.#timer === undefined) this.#timer = this.clock.setTimeout(this.#drain, this.#until - this.clock.now())
  }

  ready(signal?: AbortSignal): Ready {
    this.#refresh()
    if (this.#remaining > 0 && this.#waiters.length === 0) {
      this.#remaining--
      return this.#readyInner(signal)
    }
    const wait = this.#waiters.wait(signal)
    this.#arm()
    return wait.then(() => this.#readyInner(signal))
  }

  #readyInner(signal: AbortSignal | undefined): Ready {
    const pending = this.#inner.reserve(signal)
    if (pending === undefined) {
      this.#reserved++
      return undefined
    }
    return pending.then(this.#reservedOne)
  }

  call(req: Req): Promise<Res> {
    if (this.#reserved === 0)
      return Promise.reject(new NotReadyError('rateLimit: no call reserved; call ready() first'))
    this.#reserved--
    return this.inner.call(req)
  }
}

/**
 * Allows at most `limit` calls per window of `perMs` milliseconds (tower's `RateLimit`): a
 * window starts with the first call after the previous one ended; once its calls are used up,
 * `ready()` is pending until the window ends. Each service wrapped gets its own budget.
 *
 * A reservation counts against the window in which `ready()` made it.
 *
 * @example
 * ```ts
 * const svc = rateLimit(100, 1_000)(api) // 100 calls per second
 * ```
 */
export function rateLimit(
  limit: number,
  perMs: number,
  options: RateLimitOptions = {},
): <Req, Res>(inner: Service<Req, Res>) => RateLimitService<Req, Res> {
  if (!Number.isInteger(limit) || limit <= 0)
    throw new RangeError(`rateLimit: limit must be an integer > 0, got ${limit}`)
  if (!(perMs > 0) || !Number.isFinite(perMs)) throw new RangeError(`rateLimit: perMs must be > 0, got ${perMs}`)
  const clock = options.clock ?? systemClock
  return function rateLimit<Req, Res>(inner: Service<Req, Res>): RateLimitService<Req, Res> {
    return new RateLimit(inner, limit, perMs, clock)
  }
}

import type { Layered, Ready, Service } from '../service'
import { Buffer } from './worker'

export { ServiceFailedError } from './worker'

/** Options of {@link buffer}. */
export interface BufferOptions<Req> {
  /**
   * Reads the signal that cancels a request while it waits in the queue: an aborted request is
   * rejected with the signal's reason, skipped by the worker, and its slot is freed. Defaults to
   * `req.signal` when the request has an `AbortSignal` there (a fetch `Request` does), else none.
   */
  readonly signal?: ((req: Req) => AbortSignal | undefined) | undefined
}

/** The service built by {@link buffer}. */
export interface BufferService<Req, Res> extends Service<Req, Res>, Layered {
  readonly inner: Service<Req, Res>
  /** Queue slots: the `bound` given. */
  readonly bound: number
  /** Slots free now. */
  readonly available: number
  /** Slots reserved by `ready()` and not yet used by `call()`. */
  readonly reserved: number
  /** Requests waiting in the queue. */
  readonly queued: number
  /** Callers waiting in `ready()` for a slot. */
  readonly waiting: number
  /**
   * Reserves a queue slot. Aborting `signal` abandons the wait: the promise rejects with the
   * signal's reason and no slot is taken.
   */
  ready(signal?: AbortSignal): Ready
  /**
   * Stops the buffer (tower's dropped worker): queued requests, waiters and later calls fail
   * with `ClosedError`. Calls already passed to the inner service are not affected.
   */
  close(): void
}

function defaultSignal(req: unknown): AbortSignal | undefined {
  const signal = typeof req === 'object' && req !== null ? (req as { signal?: unknown }).signal : undefined
  return signal instanceof AbortSignal ? signal : undefined
}

/**
 * Puts a bounded queue and a worker in front of a service (tower's `Buffer`): callers reserve one
 * of `bound` slots in `ready()` (FIFO when full), `call()` queues the request, and the worker
 * takes each request in turn, waits for the inner service's readiness and calls it. Many callers
 * can then share one service that takes one caller at a time.
 *
 * If the inner readiness fails, the queued requests, the waiters and every later call fail
 * with {@link ServiceFailedError}; after `close()` they fail with `ClosedError`. A slot reserved
 * by `ready()` stays taken until `call()` uses it: choose `bound` >= the number of concurrent
 * callers, and abandon waits through `ready(signal)`, never by walking away from a reservation.
 *
 * @example
 * ```ts
 * const shared = buffer(100)(concurrencyLimit(10)(backend)) // up to 110 requests accepted
 * ```
 */
export function buffer(
  bound: number,
  options?: BufferOptions<unknown>,
): <Req, Res>(inner: Service<Req, Res>) => BufferService<Req, Res>
export function buffer<Req>(
  bound: number,
  options: BufferOptions<Req>,
): <Res>(inner: Service<Req, Res>) => BufferService<Req, Res>
export function buffer(
  bound: number,
  options: BufferOptions<never> = {},
): <Req, Res>(inner: Service<Req, Res>) => BufferService<Req, Res> {
  if (!Number.isInteger(bound) || bound < 1) throw new RangeError(`buffer: bound must be an integer >= 1, got ${bound}`)
  const signalOf = (options.signal ?? defaultSignal) as (req: unknown) => AbortSignal | undefined
  return function buffer<Req, Res>(inner: Service<Req, Res>): BufferService<Req, Res> {
    return new Buffer(inner, bound, signalOf)
  }
}

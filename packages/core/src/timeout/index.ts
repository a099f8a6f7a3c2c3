import { type Clock, systemClock } from '../clock'
import { TurretError, type TurretErrorOptions } from '../errors'
import { observer } from '../internal/observer'
import { readyWith } from '../internal/wait'
import type { Layered, Ready, Service } from '../service'

/** A call took longer than the `timeout` layer allows (tower's `Elapsed`). */
export class TimeoutError extends TurretError {
  override name = 'TimeoutError'
  override readonly code = 'ERR_TIMEOUT'
  constructor(message = 'request timed out', options?: TurretErrorOptions) {
    super(message, options)
  }
}

/** Options of {@link timeout}. */
export interface TimeoutOptions {
  /** The clock that runs the timer. Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
}

class Timeout<Req, Res> implements Service<Req, Res>, Layered {
  readonly layerName = 'timeout'
  constructor(
    readonly inner: Service<Req, Res>,
    readonly ms: number,
    private readonly clock: Clock,
  ) {}

  /** Forwards readiness, and the optional abort signal, to the inner service. */
  ready(signal?: AbortSignal): Ready {
    return readyWith(this.inner, signal)
  }

  call(req: Req): Promise<Res> {
    let res: Promise<Res>
    try {
      res = this.inner.call(req)
    } catch (error) {
      return Promise.reject(error)
    }
    const { clock, ms } = this
    return new Promise<Res>((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        const error = new TimeoutError(`request timed out after ${ms} ms`)
        if (observer !== undefined) observer.rejected(error, 'timeout')
        reject(error)
      }, ms)
      res.then(
        (value) => {
          clock.clearTimeout(timer)
          resolve(value)
        },
        (error: unknown) => {
          clock.clearTimeout(timer)
          reject(error)
        },
      )
    })
  }
}

/**
 * Fails a call with {@link TimeoutError} when it has not settled `ms` milliseconds after it
 * started. Readiness is not time-limited (as in tower); the timer is cleared as soon as the call
 * settles. A response that settles before the timer fires always wins.
 *
 * @example
 * ```ts
 * const svc = timeout(1_000)(slowService)
 * ```
 */
export function timeout(
  ms: number,
  options: TimeoutOptions = {},
): <Req, Res>(inner: Service<Req, Res>) => Service<Req, Res> {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`timeout: ms must be a finite number >= 0, got ${ms}`)
  const clock = options.clock ?? systemClock
  return function timeout<Req, Res>(inner: Service<Req, Res>): Service<Req, Res> {
    return new Timeout(inner, ms, clock)
  }
}

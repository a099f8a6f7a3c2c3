/**
 * `requestTimeout`: answers with a status (408 by default) when the inner service takes too long.
 * @module
 */
import { type Clock, type Next, PassThrough, systemClock } from '@turret/core'
import type { HttpService } from '../types'

/** Options of {@link requestTimeout}. */
export interface RequestTimeoutOptions {
  /** The status of the response sent on timeout (with an empty body). Defaults to `408`. */
  status?: number | undefined
  /** The clock the timer runs on. Defaults to `systemClock`. */
  clock?: Clock | undefined
}

class RequestTimeout extends PassThrough<Request, Response> {
  readonly layerName = 'requestTimeout'
  constructor(
    inner: HttpService,
    private readonly ms: number,
    private readonly status: number,
    private readonly clock: Clock,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const { clock, ms, status } = this
    const deadline = clock.now() + ms
    let inner: Promise<Response>
    try {
      inner = next(req)
    } catch (error) {
      return Promise.reject(error)
    }
    return new Promise<Response>((resolve, reject) => {
      let done = false
      const timer = clock.setTimeout(() => {
        if (done) return
        done = true
        resolve(new Response(null, { status }))
      }, ms)
      inner.then(
        (res) => {
          if (done || clock.now() >= deadline) {
            // Too late (the timeout wins a tie, as in tower-http): drop this response.
            res.body?.cancel().catch(() => {})
            if (!done) {
              done = true
              clock.clearTimeout(timer)
              resolve(new Response(null, { status }))
            }
            return
          }
          done = true
          clock.clearTimeout(timer)
          resolve(res)
        },
        (error: unknown) => {
          if (done) return
          done = true
          clock.clearTimeout(timer)
          reject(error)
        },
      )
    })
  }
}

/**
 * Answers `status` (`408 Request Timeout` by default) with an empty body when the inner call has
 * not produced a response within `ms`. The timer starts at `call()`, and the timeout wins a tie.
 * Unlike core's `timeout`, this answers with a response instead of rejecting. The inner call is
 * not cancelled (fetch gives no way to); its late response body is discarded. The second
 * argument is the status, or the options.
 *
 * @example
 * ```ts
 * requestTimeout(10_000)                     // 408 after 10 s
 * requestTimeout(5_000, 503)                 // 503 after 5 s
 * requestTimeout(5_000, { status: 504, clock })
 * ```
 */
export function requestTimeout(
  ms: number,
  statusOrOptions: number | RequestTimeoutOptions = {},
): (inner: HttpService) => HttpService {
  const options = typeof statusOrOptions === 'number' ? { status: statusOrOptions } : statusOrOptions
  const status = options.status ?? 408
  const clock = options.clock ?? systemClock
  if (!(ms >= 0)) throw new RangeError(`requestTimeout: ms must be >= 0, got ${ms}`)
  if (!(Number.isInteger(status) && status >= 200 && status <= 599)) {
    throw new RangeError(`requestTimeout: status must be an integer in 200..599, got ${status}`)
  }
  return function requestTimeout(inner: HttpService): HttpService {
    return new RequestTimeout(inner, ms, status, clock)
  }
}

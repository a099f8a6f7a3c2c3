/**
 * `inFlightRequests`: counts the requests being handled, until their response body is done.
 * @module
 */
import { type Clock, type Next, PassThrough, systemClock } from '@turret/core'
import type { HttpService } from '../types'
import { withBody } from '../util/response'

/** Options of {@link InFlightRequestsCounter.emit}. */
export interface EmitOptions {
  /** The clock the interval runs on. Defaults to `systemClock`. */
  clock?: Clock | undefined
  /** Aborting it stops the emitter. Defaults to none. */
  signal?: AbortSignal | undefined
}

/** A count of in-flight requests, shared by the services {@link inFlightRequests} builds with it. */
export class InFlightRequestsCounter {
  #count = 0

  /** The number of requests called and not yet finished. */
  get(): number {
    return this.#count
  }

  /** Counts one more request in flight. */
  increment(): void {
    this.#count++
  }

  /** Counts one request as finished. */
  decrement(): void {
    this.#count--
  }

  /**
   * Calls `fn` with the count every `intervalMs` until the returned function is called or the
   * signal aborts (tower-http's `run_emitter`), e.g. to feed a metrics gauge.
   */
  emit(intervalMs: number, fn: (count: number) => void, options: EmitOptions = {}): () => void {
    const clock = options.clock ?? systemClock
    let handle: unknown
    let stopped = false
    const tick = () => {
      if (stopped) return
      fn(this.#count)
      handle = clock.setTimeout(tick, intervalMs)
    }
    const stop = () => {
      stopped = true
      clock.clearTimeout(handle)
    }
    options.signal?.addEventListener('abort', stop, { once: true })
    handle = clock.setTimeout(tick, intervalMs)
    return stop
  }
}

class InFlightRequests extends PassThrough<Request, Response> {
  readonly layerName = 'inFlightRequests'
  constructor(
    inner: HttpService,
    private readonly counter: InFlightRequestsCounter,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const counter = this.counter
    counter.increment()
    let pending: Promise<Response>
    try {
      pending = next(req)
    } catch (error) {
      counter.decrement()
      return Promise.reject(error)
    }
    return pending.then(
      (res) => {
        const body = res.body
        if (body === null) {
          counter.decrement()
          return res
        }
        let done = false
        const finish = () => {
          if (!done) {
            done = true
            counter.decrement()
          }
        }
        const reader = body.getReader()
        return withBody(
          res,
          new ReadableStream<Uint8Array>(
            {
              async pull(controller) {
                try {
                  const next = await reader.read()
                  if (next.done) {
                    finish()
                    controller.close()
                  } else controller.enqueue(next.value)
                } catch (error) {
                  finish()
                  controller.error(error)
                }
              },
              cancel(reason) {
                finish()
                return reader.cancel(reason)
              },
            },
            { highWaterMark: 0 },
          ),
        )
      },
      (error: unknown) => {
        counter.decrement()
        throw error
      },
    )
  }
}

/**
 * Counts in-flight requests in `counter`: one more at `call()`, one less when the response body
 * is fully read or cancelled (or at once for a response without body), or when the call rejects.
 * `ready()` does not count.
 *
 * @example
 * ```ts
 * const inFlight = new InFlightRequestsCounter()
 * const svc = inFlightRequests(inFlight)(app)
 * inFlight.emit(10_000, (n) => gauge.set(n))
 * ```
 */
export function inFlightRequests(counter: InFlightRequestsCounter): (inner: HttpService) => HttpService {
  return function inFlightRequests(inner: HttpService): HttpService {
    return new InFlightRequests(inner, counter)
  }
}

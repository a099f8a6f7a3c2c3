import { type Clock, systemClock } from '../clock'
import { observer } from '../internal/observer'
import { readyWith } from '../internal/wait'
import { type Layered, oneshot, type Ready, type Service } from '../service'
import { RotatingHistogram } from './histogram'

/** Which requests may be hedged (tower's `hedge::Policy`). */
export interface HedgePolicy<Req> {
  /** A copy of the request for the hedge; `undefined` means this request is never hedged. */
  cloneRequest(req: Req): Req | undefined
  /** Checked when the hedge is due: `false` sends no hedge, and the original request decides. */
  canRetry(req: Req): boolean
}

/** Options of {@link hedge}. */
export interface HedgeOptions {
  /** Latencies the histogram needs (in the last period) before any request is hedged. Defaults to `10`. */
  readonly minDataPoints?: number | undefined
  /** The latency percentile after which a hedge is sent, from 0 to 1. Defaults to `0.9`. */
  readonly latencyPercentile?: number | undefined
  /** How long, in ms, latencies are kept: the histogram rotates every period. Defaults to `10_000`. */
  readonly period?: number | undefined
  /** The clock that times calls and runs the hedge timer. Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
  /** Latencies (ms) to start from, as if seen in the last period (tower's `new_with_mock_latencies`). Defaults to none. */
  readonly latencies?: readonly number[] | undefined
}

class Hedge<Req, Res> implements Service<Req, Res>, Layered {
  readonly layerName = 'hedge'
  readonly #histogram: RotatingHistogram

  constructor(
    readonly inner: Service<Req, Res>,
    private readonly policy: HedgePolicy<Req>,
    private readonly minDataPoints: number,
    private readonly percentile: number,
    private readonly clock: Clock,
    period: number,
    latencies: readonly number[],
  ) {
    this.#histogram = new RotatingHistogram(period, () => clock.now())
    const read = this.#histogram.read()
    for (const ms of latencies) read.record(ms)
  }

  /** Forwards readiness, and the optional abort signal, to the inner service. */
  ready(signal?: AbortSignal): Ready {
    return readyWith(this.inner, signal)
  }

  #timed(res: Promise<Res>, start: number): Promise<Res> {
    return res.then((value) => {
      this.#histogram.write().record(this.clock.now() - start)
      return value
    })
  }

  call(req: Req): Promise<Res> {
    const read = this.#histogram.read()
    const copy = read.total >= this.minDataPoints ? this.policy.cloneRequest(req) : undefined
    let original: Promise<Res>
    try {
      original = this.#timed(this.inner.call(req), this.clock.now())
    } catch (error) {
      return Promise.reject(error)
    }
    if (copy === undefined) return original
    const delay = read.valueAtQuantile(this.percentile)
    const { clock } = this
    return new Promise<Res>((resolve, reject) => {
      let settled = false
      const win = (value: Res) => {
        if (settled) return
        settled = true
        clock.clearTimeout(timer)
        resolve(value)
      }
      const lose = (error: unknown) => {
        if (settled) return
        settled = true
        clock.clearTimeout(timer)
        reject(error)
      }
      const timer = clock.setTimeout(() => {
        if (settled || !this.policy.canRetry(copy)) return
        if (observer !== undefined) observer.hedge()
        // The hedge waits for readiness only now, so it never holds a reservation in advance.
        this.#timed(oneshot(this.inner, copy), clock.now()).then(win, lose)
      }, delay)
      original.then(win, lose)
    })
  }
}

/**
 * Sends a second copy of a request when the first has taken longer than the chosen percentile of
 * recent latencies, and answers with whichever settles first (tower's `Hedge`). Cuts tail latency
 * of idempotent requests at the cost of a little extra load.
 *
 * @example
 * ```ts
 * const svc = hedge({ cloneRequest: (r: Query) => r, canRetry: () => true }, { latencyPercentile: 0.95 })(replicas)
 * ```
 */
export function hedge<Req>(
  policy: HedgePolicy<Req>,
  options: HedgeOptions = {},
): <Res>(inner: Service<Req, Res>) => Service<Req, Res> {
  const minDataPoints = options.minDataPoints ?? 10
  const percentile = options.latencyPercentile ?? 0.9
  const period = options.period ?? 10_000
  if (!(percentile >= 0 && percentile <= 1))
    throw new RangeError(`hedge: latencyPercentile must be 0..1, got ${percentile}`)
  if (!(period > 0)) throw new RangeError(`hedge: period must be > 0, got ${period}`)
  const clock = options.clock ?? systemClock
  const latencies = options.latencies ?? []
  return function hedge<Res>(inner: Service<Req, Res>): Service<Req, Res> {
    return new Hedge<Req, Res>(inner, policy, minDataPoints, percentile, clock, period, latencies)
  }
}

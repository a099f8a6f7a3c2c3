import { type Clock, systemClock } from '../clock'
import { readyWith } from '../internal/wait'
import type { Ready, Service } from '../service'
import { type Completion, type CompletionHandle, completeOnResponse, type LoadService, track } from './completion'

/** Options of {@link peakEwma}; durations in milliseconds. */
export interface PeakEwmaOptions<Res> {
  /** The round-trip time assumed until one is measured. Defaults to `1_000` (tower's documented default). */
  readonly defaultRtt?: number | undefined
  /** How fast the estimate decays towards recent round trips. Defaults to `10_000`. */
  readonly decay?: number | undefined
  /** The clock that times calls. Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
  /** When a call stops counting. Defaults to when its response (or error) arrives. */
  readonly completion?: Completion<Res> | undefined
}

class PeakEwma<Req, Res> implements LoadService<Req, Res> {
  readonly layerName = 'peakEwma'
  #pending = 0
  #rtt: number
  #updatedAt: number
  constructor(
    readonly inner: Service<Req, Res>,
    defaultRtt: number,
    private readonly decay: number,
    private readonly clock: Clock,
    private readonly completion: Completion<Res>,
  ) {
    this.#rtt = defaultRtt
    this.#updatedAt = clock.now()
  }

  /** The current round-trip estimate in ms (decayed to now). */
  get rttEstimate(): number {
    const now = this.clock.now()
    return this.#update(now, now)
  }

  /** The estimated round trip times (calls in flight + 1), in ms. */
  load(): number {
    return this.rttEstimate * (this.#pending + 1)
  }

  #update(sentAt: number, recvAt: number): number {
    const rtt = Math.max(0, recvAt - sentAt)
    const now = this.clock.now()
    if (this.#rtt < rtt) {
      this.#rtt = rtt // peak: the worst recent round trip counts at once
    } else {
      const decay = Math.exp(-Math.max(0, now - this.#updatedAt) / this.decay)
      this.#rtt = this.#rtt * decay + rtt * (1 - decay)
    }
    this.#updatedAt = now
    return this.#rtt
  }

  /** Forwards readiness, and the optional abort signal, to the inner service. */
  ready(signal?: AbortSignal): Ready {
    return readyWith(this.inner, signal)
  }

  call(req: Req): Promise<Res> {
    this.#pending++
    const sentAt = this.clock.now()
    let open = true
    const handle: CompletionHandle = {
      done: () => {
        if (!open) return
        open = false
        this.#pending--
        this.#update(sentAt, this.clock.now())
      },
    }
    return track(this.inner, req, handle, this.completion)
  }
}

/**
 * Load = a peak-sensitive moving average of round-trip times, times the calls in flight + 1
 * (tower's `PeakEwma`, from Finagle): a slow response raises the estimate at once, which then
 * decays towards recent round trips.
 *
 * @example
 * ```ts
 * const lb = balance(peakEwmaDiscover(serviceList(replicas), { defaultRtt: 50 }))
 * ```
 */
export function peakEwma(
  options?: PeakEwmaOptions<never>,
): <Req, Res>(inner: Service<Req, Res>) => LoadService<Req, Res>
export function peakEwma<Res>(options: PeakEwmaOptions<Res>): <Req>(inner: Service<Req, Res>) => LoadService<Req, Res>
export function peakEwma(
  options: Omit<PeakEwmaOptions<unknown>, 'completion'> & { readonly completion?: unknown } = {},
): <Req, Res>(inner: Service<Req, Res>) => LoadService<Req, Res> {
  const defaultRtt = options.defaultRtt ?? 1_000
  const decay = options.decay ?? 10_000
  if (!(defaultRtt > 0)) throw new RangeError(`peakEwma: defaultRtt must be > 0, got ${defaultRtt}`)
  if (!(decay > 0)) throw new RangeError(`peakEwma: decay must be > 0, got ${decay}`)
  const clock = options.clock ?? systemClock
  const completion = (options.completion as Completion<unknown> | undefined) ?? completeOnResponse
  return function peakEwma<Req, Res>(inner: Service<Req, Res>): LoadService<Req, Res> {
    return new PeakEwma(inner, defaultRtt, decay, clock, completion as Completion<Res>)
  }
}

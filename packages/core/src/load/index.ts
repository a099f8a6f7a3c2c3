import { type Clock, systemClock } from '../clock'
import { type Discover, mapDiscover } from '../discover/index'
import type { Layered, Ready, Service } from '../service'

/** A service that reports its load: lower is preferred by `balance` (tower's `Load`). */
export interface Load {
  /** The current load metric. */
  load(): number
}

/** A service with a load metric, built by the layers of this module. */
export interface LoadService<Req, Res> extends Service<Req, Res>, Layered, Load {
  readonly inner: Service<Req, Res>
}

/** Marks the end of one tracked call; calling `done()` more than once has no further effect. */
export interface CompletionHandle {
  /** The call is complete: stop counting it. */
  done(): void
}

/**
 * Decides when a call stops counting towards the load (tower's `TrackCompletion`). It receives
 * the response and the call's handle and returns the response to hand out; the default calls
 * `handle.done()` as soon as the response arrives. Keep the handle (for example in a streamed
 * body) to count the call until later.
 */
export type Completion<Res> = (res: Res, handle: CompletionHandle) => Res

function completeOnResponse<Res>(res: Res, handle: CompletionHandle): Res {
  handle.done()
  return res
}

/** Calls `inner` and hands its outcome to `completion` (failures complete at once). */
function track<Req, Res>(inner: Service<Req, Res>, req: Req, handle: CompletionHandle, completion: Completion<Res>) {
  let res: Promise<Res>
  try {
    res = inner.call(req)
  } catch (error) {
    handle.done()
    return Promise.reject(error)
  }
  return res.then(
    (value) => completion(value, handle),
    (error: unknown) => {
      handle.done()
      throw error
    },
  )
}

class Constant<Req, Res> implements LoadService<Req, Res> {
  readonly layerName = 'constantLoad'
  constructor(
    readonly inner: Service<Req, Res>,
    private readonly metric: number,
  ) {}
  load(): number {
    return this.metric
  }
  ready(): Ready {
    return this.inner.ready()
  }
  call(req: Req): Promise<Res> {
    return this.inner.call(req)
  }
}

/**
 * Gives a service a fixed load (tower's `Constant`).
 *
 * @example
 * ```ts
 * const backup = constantLoad(100)(standbyService)
 * ```
 */
export function constantLoad(metric: number): <Req, Res>(inner: Service<Req, Res>) => LoadService<Req, Res> {
  return function constantLoad<Req, Res>(inner: Service<Req, Res>): LoadService<Req, Res> {
    return new Constant(inner, metric)
  }
}

/** Options of {@link pendingRequests}. */
export interface PendingRequestsOptions<Res> {
  /** When a call stops counting. Defaults to when its response (or error) arrives. */
  readonly completion?: Completion<Res> | undefined
}

class PendingRequests<Req, Res> implements LoadService<Req, Res> {
  readonly layerName = 'pendingRequests'
  #pending = 0
  constructor(
    readonly inner: Service<Req, Res>,
    private readonly completion: Completion<Res>,
  ) {}
  load(): number {
    return this.#pending
  }
  ready(): Ready {
    return this.inner.ready()
  }
  call(req: Req): Promise<Res> {
    this.#pending++
    let open = true
    const handle: CompletionHandle = {
      done: () => {
        if (open) {
          open = false
          this.#pending--
        }
      },
    }
    return track(this.inner, req, handle, this.completion)
  }
}

/**
 * Load = the number of calls in flight (tower's `PendingRequests`).
 *
 * @example
 * ```ts
 * const lb = balance(pendingRequestsDiscover(serviceList(replicas)))
 * ```
 */
export function pendingRequests(
  options?: PendingRequestsOptions<never>,
): <Req, Res>(inner: Service<Req, Res>) => LoadService<Req, Res>
export function pendingRequests<Res>(
  options: PendingRequestsOptions<Res>,
): <Req>(inner: Service<Req, Res>) => LoadService<Req, Res>
export function pendingRequests(
  options: { readonly completion?: unknown } = {},
): <Req, Res>(inner: Service<Req, Res>) => LoadService<Req, Res> {
  const completion = (options.completion as Completion<unknown> | undefined) ?? completeOnResponse
  return function pendingRequests<Req, Res>(inner: Service<Req, Res>): LoadService<Req, Res> {
    return new PendingRequests(inner, completion as Completion<Res>)
  }
}

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

  ready(): Ready {
    return this.inner.ready()
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

/** Wraps every service a discover source inserts in {@link pendingRequests} (tower's `PendingRequestsDiscover`). */
export function pendingRequestsDiscover<K, Req, Res>(
  discover: Discover<K, Service<Req, Res>>,
  options: PendingRequestsOptions<Res> = {},
): Discover<K, LoadService<Req, Res>> {
  const layer = pendingRequests<Res>(options)
  return mapDiscover(discover, (svc) => layer(svc))
}

/** Wraps every service a discover source inserts in {@link peakEwma} (tower's `PeakEwmaDiscover`). */
export function peakEwmaDiscover<K, Req, Res>(
  discover: Discover<K, Service<Req, Res>>,
  options: PeakEwmaOptions<Res> = {},
): Discover<K, LoadService<Req, Res>> {
  const layer = peakEwma<Res>(options)
  return mapDiscover(discover, (svc) => layer(svc))
}

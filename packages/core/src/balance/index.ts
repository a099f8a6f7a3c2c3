import type { Discover } from '../discover/index'
import { NotReadyError, TurretError, type TurretErrorOptions } from '../errors'
import { WaitQueue } from '../internal/wait'
import { ReadyCache, ReadyCacheFailedError } from '../ready-cache/index'
import type { Layered, Ready, Service } from '../service'

export {
  type Change,
  type Discover,
  type DiscoverChannel,
  discoverChannel,
  mapDiscover,
  serviceList,
} from '../discover/index'

/** The discover source of a `balance` failed; the balancer takes no more calls (tower's `error::Discover`). */
export class DiscoverError extends TurretError {
  override name = 'DiscoverError'
  override readonly code = 'ERR_DISCOVER'
  constructor(message = 'service discovery failed', options?: TurretErrorOptions) {
    super(message, options)
  }
}

/** Options of {@link balance}. */
export interface BalanceOptions {
  /** The random source for picking endpoints, returning values in [0, 1). Defaults to `Math.random`. */
  readonly random?: (() => number) | undefined
  /** Called with each endpoint dropped because its readiness failed. Defaults to ignoring them. */
  readonly onEndpointFailed?: ((error: ReadyCacheFailedError) => void) | undefined
}

/** The service built by {@link balance}. */
export interface BalanceService<K, Req, Res> extends Service<Req, Res>, Layered {
  /** Endpoints known (ready, reserved or pending). */
  readonly len: number
  /** Endpoints ready now. */
  readonly readyLen: number
  /**
   * Reserves a ready endpoint. Pending while none is ready (even with no endpoint at all).
   * Aborting `signal` abandons the wait; the promise rejects with the signal's reason.
   */
  ready(signal?: AbortSignal): Ready
  /** The key of the endpoint the next `call()` goes to, if one is reserved. */
  readonly nextKey: K | undefined
}

function loadOf(svc: unknown): number {
  const load = (svc as { load?: unknown }).load
  return typeof load === 'function' ? Number((load as () => unknown).call(svc)) : 0
}

class Balance<K, Req, Res> implements BalanceService<K, Req, Res> {
  readonly layerName = 'balance'
  readonly inner = undefined
  readonly #cache: ReadyCache<K, Req, Res>
  /** Endpoints taken out of the cache by `ready()`, one per coming call. */
  readonly #chosen: Array<readonly [K, Service<Req, Res>]> = []
  /** The current service of each discovered key. */
  readonly #active = new Map<K, Service<Req, Res>>()
  readonly #waiters = new WaitQueue()
  #error: DiscoverError | undefined
  /** Reserved endpoints whose waiter gave up after being served: handed to the next `ready()`. */
  #surplus = 0
  #started = false
  readonly #wake = () => this.#serveWaiters()

  constructor(
    private readonly discover: Discover<K, Service<Req, Res>>,
    private readonly random: () => number,
    private readonly onEndpointFailed: (error: ReadyCacheFailedError) => void,
  ) {
    this.#cache = new ReadyCache<K, Req, Res>(this.#wake)
    this.#start()
  }

  get len(): number {
    return this.#cache.len + this.#chosen.length
  }
  get readyLen(): number {
    this.#promote()
    return this.#cache.readyLen
  }
  get nextKey(): K | undefined {
    return this.#chosen[0]?.[0]
  }

  #start(): void {
    if (this.#started) return
    this.#started = true
    void (async () => {
      try {
        for await (const change of this.discover) {
          if (change.type === 'insert') {
            this.#active.set(change.key, change.service)
            this.#cache.push(change.key, change.service)
          } else {
            this.#active.delete(change.key)
            this.#cache.evict(change.key)
          }
          this.#serveWaiters()
        }
      } catch (cause) {
        this.#error = new DiscoverError(undefined, { cause })
        this.#waiters.rejectAll(this.#error)
      }
    })()
  }

  /** Drops endpoints whose readiness failed. */
  #promote(): void {
    for (;;) {
      try {
        this.#cache.pollPending()
        return
      } catch (error) {
        if (error instanceof ReadyCacheFailedError) {
          if (this.#active.get(error.key as K) !== undefined && !this.#cache.pendingContains(error.key as K)) {
            this.#active.delete(error.key as K)
          }
          this.onEndpointFailed(error)
        } else throw error
      }
    }
  }

  /** Power of two choices: two distinct random ready endpoints, the less loaded wins (ties: the first). */
  #pick(): number {
    const n = this.#cache.readyLen
    if (n === 0) return -1
    if (n === 1) return 0
    const a = Math.floor(this.random() * n)
    let b = Math.floor(this.random() * (n - 1))
    if (b >= a) b++
    const la = loadOf(this.#cache.getReadyIndex(a)?.[1])
    const lb = loadOf(this.#cache.getReadyIndex(b)?.[1])
    return lb < la ? b : a
  }

  #reserve(): boolean {
    const index = this.#pick()
    if (index < 0) return false
    this.#chosen.push(this.#cache.takeReadyIndex(index))
    return true
  }

  #serveWaiters(): void {
    this.#promote()
    while (this.#waiters.length > 0 && this.#reserve()) this.#waiters.wakeOne()
  }

  ready(signal?: AbortSignal): Ready {
    if (this.#error) throw this.#error
    if (this.#surplus > 0) {
      this.#surplus--
      return undefined
    }
    this.#promote()
    if (this.#waiters.length === 0 && this.#reserve()) return undefined
    const wait = this.#waiters.wait(signal)
    if (!signal) return wait
    return wait.then(() => {
      if (!signal.aborted) return
      // Granted an endpoint in the same tick as the abort: keep it for the next caller.
      this.#surplus++
      throw signal.reason
    })
  }

  call(req: Req): Promise<Res> {
    const chosen = this.#chosen.shift()
    if (!chosen) return Promise.reject(new NotReadyError('balance: no endpoint reserved; call ready() first'))
    const [key, service] = chosen
    let res: Promise<Res>
    try {
      res = service.call(req)
    } catch (error) {
      res = Promise.reject(error)
    }
    // Back to the cache to get ready again, unless it was removed or replaced meanwhile.
    if (this.#active.get(key) === service && !this.#cache.pendingContains(key) && !this.#cache.checkReady(key)) {
      this.#cache.push(key, service)
      this.#serveWaiters()
    }
    return res
  }
}

/**
 * Spreads calls over the endpoints a discover source provides, by the power of two choices
 * (tower's p2c `Balance`): of two random ready endpoints, the one with the lower `load()` gets
 * the call (see `pendingRequests` and `peakEwma`). Endpoints whose readiness fails are dropped.
 * Pending while no endpoint is ready; a discover error fails the balancer with `DiscoverError`.
 *
 * @example
 * ```ts
 * const lb = balance(pendingRequestsDiscover(serviceList([replicaA, replicaB])))
 * await oneshot(lb, req)
 * ```
 */
export function balance<K, Req, Res>(
  discover: Discover<K, Service<Req, Res>>,
  options: BalanceOptions = {},
): BalanceService<K, Req, Res> {
  return new Balance(discover, options.random ?? Math.random, options.onEndpointFailed ?? (() => {}))
}

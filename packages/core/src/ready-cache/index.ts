import { NotReadyError, TurretError, type TurretErrorOptions } from '../errors'
import { readyWith } from '../internal/wait'
import type { Ready, Service } from '../service'

/** A service in a {@link ReadyCache} failed its readiness check and was removed (tower's `error::Failed`). */
export class ReadyCacheFailedError<K = unknown> extends TurretError {
  override name = 'ReadyCacheFailedError'
  override readonly code = 'ERR_READY_CACHE_FAILED'
  constructor(
    readonly key: K,
    options?: TurretErrorOptions,
  ) {
    super(`service ${String(key)} failed`, options)
  }
}

interface Pending<S> {
  readonly service: S
  readonly controller: AbortController
}

const evicted = new Error('evicted from ready cache')

/**
 * Services by key, split into those waiting for readiness and those ready, each ready one holding
 * one reservation (tower's `ReadyCache`, the core of `balance`). Pushing a key that is already
 * ready replaces that service once the new one is ready.
 *
 * `onChange` runs whenever a pending service becomes ready or fails: call
 * {@link ReadyCache.pollPending} then.
 *
 * @example
 * ```ts
 * const cache = new ReadyCache<string, Req, Res>(() => wake())
 * cache.push('a', serviceA)
 * cache.pollPending()
 * if (cache.readyLen > 0) await cache.callReadyIndex(0, req)
 * ```
 */
export class ReadyCache<K, Req, Res, S extends Service<Req, Res> = Service<Req, Res>> {
  readonly #pending = new Map<K, Pending<S>>()
  readonly #readyKeys: K[] = []
  readonly #readyServices: S[] = []
  readonly #failed: Array<{ key: K; error: unknown }> = []

  constructor(private readonly onChange: () => void = () => {}) {}

  /** Services known: ready and pending (a key being replaced counts twice). */
  get len(): number {
    return this.#readyKeys.length + this.#pending.size
  }
  /** Ready services. */
  get readyLen(): number {
    return this.#readyKeys.length
  }
  /** Services waiting for readiness. */
  get pendingLen(): number {
    return this.#pending.size
  }
  /** Whether `key` is waiting for readiness. */
  pendingContains(key: K): boolean {
    return this.#pending.has(key)
  }
  /** Whether `key` has a ready service (with its reservation). */
  checkReady(key: K): boolean {
    return this.#readyKeys.includes(key)
  }
  /** The ready service at `index` (order changes after pushes, evictions and calls). */
  getReadyIndex(index: number): readonly [K, S] | undefined {
    const service = this.#readyServices[index]
    return service === undefined ? undefined : [this.#readyKeys[index] as K, service]
  }
  /** The keys of the ready services, by index. */
  readyKeys(): readonly K[] {
    return this.#readyKeys
  }

  /** Adds `service` under `key`, waiting for its readiness; a pending service with the same key is dropped. */
  push(key: K, service: S): void {
    const old = this.#pending.get(key)
    if (old) old.controller.abort(evicted)
    const entry: Pending<S> = { service, controller: new AbortController() }
    this.#pending.set(key, entry)
    let ready: Ready
    try {
      ready = readyWith(service, entry.controller.signal)
    } catch (error) {
      this.#pending.delete(key)
      this.#failed.push({ key, error })
      return
    }
    if (ready === undefined) {
      this.#promote(key, entry)
      return
    }
    Promise.resolve(ready).then(
      () => {
        if (this.#pending.get(key) !== entry) return
        this.#promote(key, entry)
        this.onChange()
      },
      (error: unknown) => {
        if (this.#pending.get(key) !== entry) return
        this.#pending.delete(key)
        this.#failed.push({ key, error })
        this.onChange()
      },
    )
  }

  #promote(key: K, entry: Pending<S>): void {
    this.#pending.delete(key)
    const i = this.#readyKeys.indexOf(key)
    if (i >= 0) this.#readyServices[i] = entry.service
    else {
      this.#readyKeys.push(key)
      this.#readyServices.push(entry.service)
    }
  }

  /**
   * Reports readiness failures, one per call: throws {@link ReadyCacheFailedError} for a service
   * that failed (it is already removed; call again to continue). Otherwise `true` when no service
   * is pending, `false` while some are.
   */
  pollPending(): boolean {
    const failed = this.#failed.shift()
    if (failed) throw new ReadyCacheFailedError(failed.key, { cause: failed.error })
    return this.#pending.size === 0
  }

  /** Removes `key`: a ready service at once, a pending one with its wait abandoned. Whether anything was removed. */
  evict(key: K): boolean {
    let found = false
    const pending = this.#pending.get(key)
    if (pending) {
      this.#pending.delete(key)
      pending.controller.abort(evicted)
      found = true
    }
    const i = this.#readyKeys.indexOf(key)
    if (i >= 0) {
      this.#swapRemove(i)
      found = true
    }
    for (let f = this.#failed.length - 1; f >= 0; f--) if (this.#failed[f]?.key === key) this.#failed.splice(f, 1)
    return found
  }

  #swapRemove(index: number): readonly [K, S] {
    const key = this.#readyKeys[index] as K
    const service = this.#readyServices[index] as S
    const last = this.#readyKeys.length - 1
    this.#readyKeys[index] = this.#readyKeys[last] as K
    this.#readyServices[index] = this.#readyServices[last] as S
    this.#readyKeys.pop()
    this.#readyServices.pop()
    return [key, service]
  }

  /**
   * Takes the ready service at `index` out of the cache with its reservation, for the caller to
   * call; push it back afterwards to reuse it.
   */
  takeReadyIndex(index: number): readonly [K, S] {
    if (index < 0 || index >= this.#readyKeys.length)
      throw new NotReadyError(`ready cache: no ready service at ${index}`)
    return this.#swapRemove(index)
  }

  /** Calls the ready service at `index`; it then waits for readiness again (unless a replacement is pending). */
  callReadyIndex(index: number, req: Req): Promise<Res> {
    let taken: readonly [K, S]
    try {
      taken = this.takeReadyIndex(index)
    } catch (error) {
      return Promise.reject(error)
    }
    const [key, service] = taken
    const res = service.call(req)
    if (!this.#pending.has(key)) this.push(key, service)
    return res
  }

  /** Calls the ready service under `key` (see {@link ReadyCache.callReadyIndex}). */
  callReady(key: K, req: Req): Promise<Res> {
    const index = this.#readyKeys.indexOf(key)
    if (index < 0) return Promise.reject(new NotReadyError(`ready cache: ${String(key)} is not ready`))
    return this.callReadyIndex(index, req)
  }
}

/**
 * Makes a {@link ReadyCache} (the and tower's `ready_cache` by its function name).
 *
 * @example
 * ```ts
 * const cache = readyCache<string, Req, Res>(() => wake())
 * ```
 */
export function readyCache<K, Req, Res, S extends Service<Req, Res> = Service<Req, Res>>(
  onChange?: () => void,
): ReadyCache<K, Req, Res, S> {
  return new ReadyCache<K, Req, Res, S>(onChange)
}

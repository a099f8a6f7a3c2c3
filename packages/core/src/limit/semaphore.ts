import { WaitQueue } from '../internal/wait'

/**
 * A counting semaphore with FIFO waiters, shared by the services that
 * {@link globalConcurrencyLimit} wraps (one limit across all of them).
 *
 * @example
 * ```ts
 * const shared = new Semaphore(8)
 * const a = globalConcurrencyLimit(shared)(serviceA)
 * const b = globalConcurrencyLimit(shared)(serviceB) // at most 8 calls across a and b
 * ```
 */
export class Semaphore {
  #available: number
  readonly #waiters = new WaitQueue()

  constructor(readonly permits: number) {
    if (!Number.isInteger(permits) || permits < 0) {
      throw new RangeError(`Semaphore: permits must be an integer >= 0, got ${permits}`)
    }
    this.#available = permits
  }

  /** Permits free now. */
  get available(): number {
    return this.#available
  }

  /** Callers waiting for a permit. */
  get waiting(): number {
    return this.#waiters.length
  }

  /** Takes a permit if one is free and nobody waits before us. */
  tryAcquire(): boolean {
    if (this.#available > 0 && this.#waiters.length === 0) {
      this.#available--
      return true
    }
    return false
  }

  /**
   * Takes a permit: `undefined` when one was free now, else a promise that resolves (FIFO) once
   * the permit is the caller's, or rejects with the signal's reason when `signal` aborts first
   * (no permit is then taken).
   */
  acquire(signal?: AbortSignal): Promise<void> | undefined {
    if (this.tryAcquire()) return undefined
    return this.#waiters.wait(signal)
  }

  /** Gives a permit back: to the oldest waiter if there is one, else to the pool. */
  release(): void {
    if (!this.#waiters.wakeOne()) this.#available++
  }
}

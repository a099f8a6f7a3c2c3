import { WaitQueue } from '../internal/wait'
import type { Layered, Ready, Service } from '../service'

/** The service built by {@link spawnReady}. */
export interface SpawnReadyService<Req, Res> extends Service<Req, Res>, Layered {
  readonly inner: Service<Req, Res>
  /** Inner reservations made in the background and held for the next callers. */
  readonly spare: number
  /**
   * Ready now, or waits (FIFO) for the background readiness task. Aborting `signal` abandons the
   * wait; a reservation the task still makes is kept for the next caller.
   */
  ready(signal?: AbortSignal): Ready
}

class SpawnReady<Req, Res> implements SpawnReadyService<Req, Res> {
  readonly layerName = 'spawnReady'
  #spare = 0
  #driving = false
  #failure: { error: unknown } | undefined
  readonly #waiters = new WaitQueue()

  constructor(readonly inner: Service<Req, Res>) {}

  get spare(): number {
    return this.#spare
  }

  ready(signal?: AbortSignal): Ready {
    if (this.#failure) throw this.#failure.error
    if (this.#spare > 0) {
      this.#spare--
      return undefined
    }
    if (!this.#driving && this.#waiters.length === 0) {
      const pending = this.inner.ready()
      if (pending === undefined) return undefined
      const wait = this.#waiters.wait(signal)
      this.#drive(pending)
      return wait
    }
    return this.#waiters.wait(signal)
  }

  /** The background task: waits for the inner readiness, hands each reservation to the oldest waiter. */
  #drive(pending: PromiseLike<void>): void {
    this.#driving = true
    Promise.resolve(pending).then(
      () => {
        if (!this.#waiters.wakeOne()) this.#spare++
        this.#driving = false
        this.#next()
      },
      (error: unknown) => {
        this.#driving = false
        this.#failure = { error }
        this.#waiters.rejectAll(error)
      },
    )
  }

  /** Keeps driving while callers wait. */
  #next(): void {
    while (this.#waiters.length > 0) {
      let pending: Ready
      try {
        pending = this.inner.ready()
      } catch (error) {
        this.#failure = { error }
        this.#waiters.rejectAll(error)
        return
      }
      if (pending !== undefined) {
        this.#drive(pending)
        return
      }
      this.#waiters.wakeOne()
    }
  }

  call(req: Req): Promise<Res> {
    return this.inner.call(req)
  }
}

/**
 * Drives the inner service to readiness in the background (tower's `SpawnReady`): one readiness
 * task at a time, its reservations handed to waiting callers in order. A caller that gives up
 * (through `ready(signal)`) loses nothing: the reservation goes to the next caller.
 *
 * @example
 * ```ts
 * const svc = spawnReady()(connectionPool)
 * ```
 */
export function spawnReady(): <Req, Res>(inner: Service<Req, Res>) => SpawnReadyService<Req, Res> {
  return function spawnReady<Req, Res>(inner: Service<Req, Res>): SpawnReadyService<Req, Res> {
    return new SpawnReady(inner)
  }
}

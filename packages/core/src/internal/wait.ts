import type { Ready, Service } from '../service'

/** `svc.ready(signal)`: passes the signal on to services that take one. */
export function readyWith(svc: Service<never, unknown>, signal: AbortSignal | undefined): Ready {
  return svc.ready(signal)
}

interface Entry {
  resolve(): void
  reject(error: unknown): void
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
}

/**
 * A FIFO queue of pending readiness waits. `wakeOne()` hands the freed resource to the oldest
 * waiter; an aborted waiter leaves the queue at once and its promise rejects with the reason.
 */
export class WaitQueue {
  #entries: Entry[] = []

  /** Waiters still queued. */
  get length(): number {
    return this.#entries.length
  }

  wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise<void>((resolve, reject) => {
      const entry: Entry = { resolve, reject, signal, onAbort: undefined }
      if (signal) {
        entry.onAbort = () => {
          const i = this.#entries.indexOf(entry)
          if (i >= 0) this.#entries.splice(i, 1)
          reject(signal.reason)
        }
        signal.addEventListener('abort', entry.onAbort, { once: true })
      }
      this.#entries.push(entry)
    })
  }

  /** Resolves the oldest waiter; `false` when there is none. */
  wakeOne(): boolean {
    const entry = this.#entries.shift()
    if (!entry) return false
    if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort)
    entry.resolve()
    return true
  }

  /** Rejects every waiter with `error`. */
  rejectAll(error: unknown): void {
    for (const entry of this.#entries.splice(0)) {
      if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort)
      entry.reject(error)
    }
  }
}

interface Handoff {
  give(): void
}

/**
 * The reservations a wrapper holds on its inner service. A readiness wait the caller abandons
 * (abort) may still end in a reservation later: it goes to the next caller waiting on the inner
 * service, or is kept as a spare for the next `reserve()`, so it is never lost.
 */
export class InnerReservations {
  #spare = 0
  #waiting: Handoff[] = []

  constructor(private readonly inner: Service<never, unknown>) {}

  /** Inner reservations held for no caller yet. */
  get spare(): number {
    return this.#spare
  }

  /**
   * Reserves one call of the inner service: `undefined` when done now, else a promise that
   * resolves once reserved, rejects when the inner service fails, or rejects with the signal's
   * reason when `signal` aborts first (after running `onAbort`). Throws when the inner throws or
   * when `signal` has already aborted.
   */
  reserve(signal: AbortSignal | undefined, onAbort?: () => void): Ready {
    if (signal?.aborted) throw signal.reason // the caller gave up: take nothing
    if (this.#spare > 0) {
      this.#spare--
      return undefined
    }
    const pending = readyWith(this.inner, signal)
    if (pending === undefined) return undefined
    return new Promise<void>((resolve, reject) => {
      let settled = false
      const finish = () => {
        settled = true
        const i = this.#waiting.indexOf(entry)
        if (i >= 0) this.#waiting.splice(i, 1)
        signal?.removeEventListener('abort', abort)
      }
      const entry: Handoff = {
        give: () => {
          finish()
          resolve()
        },
      }
      const abort = () => {
        if (settled) return
        finish()
        onAbort?.()
        reject(signal?.reason)
      }
      this.#waiting.push(entry)
      Promise.resolve(pending).then(
        () => {
          if (settled) this.#give()
          else entry.give()
        },
        (error: unknown) => {
          if (settled) return
          finish()
          reject(error)
        },
      )
      if (signal?.aborted) abort()
      else signal?.addEventListener('abort', abort, { once: true })
    })
  }

  #give(): void {
    const next = this.#waiting.shift()
    if (next) next.give()
    else this.#spare++
  }
}

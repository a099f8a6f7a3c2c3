import type { Clock, TimerHandle } from '../clock'

interface Timer {
  readonly id: number
  readonly at: number
  readonly fn: () => void
}

/**
 * A clock that only moves when the test says so. Pass it as the `clock` option of any
 * time-based middleware, then `await clock.advance(ms)`.
 *
 * @example
 * ```ts
 * const clock = new TestClock()
 * const res = oneshot(timeout(100, { clock })(slow), req)
 * await clock.advance(100)
 * await expect(res).rejects.toBeInstanceOf(TimeoutError)
 * ```
 */
export class TestClock implements Clock {
  #now: number
  #nextId = 1
  #timers: Timer[] = []

  constructor(start = 0) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.#nextId++, at: this.#now + Math.max(0, ms), fn }
    this.#timers.push(timer)
    this.#timers.sort((a, b) => a.at - b.at || a.id - b.id)
    return timer.id
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle)
  }

  /** Timers scheduled and not yet run or cleared. */
  get pending(): number {
    return this.#timers.length
  }

  /**
   * Moves time forward by `ms`, running each timer that falls due in order, and letting
   * promise callbacks run between timers (so a timer can schedule another in the same window).
   */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms
    await flush()
    for (;;) {
      const next = this.#timers[0]
      if (!next || next.at > until) break
      this.#timers.shift()
      this.#now = next.at
      next.fn()
      await flush()
    }
    this.#now = until
    await flush()
  }

  /** Runs every pending timer, advancing time to each (bounded, so a timer loop cannot hang the test). */
  async runAll(limit = 10_000): Promise<void> {
    for (let i = 0; i < limit && this.#timers.length > 0; i++) {
      const next = this.#timers[0] as Timer
      await this.advance(next.at - this.#now)
    }
  }
}

/** Lets queued promise callbacks run (several macrotask-free turns of the microtask queue). */
export async function flush(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve()
}

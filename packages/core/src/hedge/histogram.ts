/** Latency samples in whole milliseconds, as counts per value. */
export class Histogram {
  #counts = new Map<number, number>()
  #total = 0

  /** Samples recorded. */
  get total(): number {
    return this.#total
  }

  record(ms: number): void {
    const value = Math.max(0, Math.round(ms))
    this.#counts.set(value, (this.#counts.get(value) ?? 0) + 1)
    this.#total++
  }

  /** The smallest recorded value with at least `quantile` of the samples at or below it (0 when empty). */
  valueAtQuantile(quantile: number): number {
    if (this.#total === 0) return 0
    const wanted = Math.max(1, Math.ceil(quantile * this.#total))
    let seen = 0
    const values = [...this.#counts.keys()].sort((a, b) => a - b)
    for (const value of values) {
      seen += this.#counts.get(value) as number
      if (seen >= wanted) return value
    }
    return values[values.length - 1] as number
  }

  clear(): void {
    this.#counts.clear()
    this.#total = 0
  }
}

/**
 * Two histograms swapped every `period` ms (tower's `RotatingHistogram`): reads see the last full
 * period, writes go to the current one.
 */
export class RotatingHistogram {
  #read = new Histogram()
  #write = new Histogram()
  #rotatedAt: number

  constructor(
    private readonly period: number,
    private readonly now: () => number,
  ) {
    this.#rotatedAt = now()
  }

  #maybeRotate(): void {
    const now = this.now()
    if (now - this.#rotatedAt >= this.period) {
      const old = this.#read
      this.#read = this.#write
      old.clear()
      this.#write = old
      this.#rotatedAt = now
    }
  }

  /** The histogram of the last full period. */
  read(): Histogram {
    this.#maybeRotate()
    return this.#read
  }

  /** The histogram being filled. */
  write(): Histogram {
    this.#maybeRotate()
    return this.#write
  }
}

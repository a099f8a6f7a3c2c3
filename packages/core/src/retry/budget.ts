import { type Clock, systemClock } from '../clock'

/** Limits retries across all requests: deposit on requests, withdraw on retries (tower's `Budget`). */
export interface Budget {
  /** Records a request that may later pay for retries. */
  deposit(): void
  /** Takes the cost of one retry: `true` if the budget allows it, `false` if it is spent. */
  withdraw(): boolean
}

/** Options of {@link TpsBudget}. */
export interface TpsBudgetOptions {
  /** How long one deposit counts, in ms, from 1 000 to 60 000. Defaults to `10_000`. */
  readonly ttl?: number | undefined
  /** Retries per second always allowed, on top of the percentage. Defaults to `10`. */
  readonly minPerSec?: number | undefined
  /**
   * The share of deposits that may be retried, from 0 to 1000: `0.1` allows one retry per ten
   * requests, `2` two per request. Defaults to `0.2`.
   */
  readonly retryPercent?: number | undefined
  /** The clock that ages deposits. Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
}

const SLOTS = 10

/**
 * A retry budget over a sliding window (tower's `TpsBudget`, from Finagle): deposits live for
 * `ttl`, kept in ten slots; a retry is allowed while the deposits in the window plus a reserve
 * of `minPerSec · ttl` retries cover its cost. Share one budget across requests.
 *
 * @example
 * ```ts
 * const policy = retryPolicy({ attempts: 3, budget: new TpsBudget({ retryPercent: 0.1 }) })
 * ```
 */
export class TpsBudget implements Budget {
  readonly #depositAmount: number
  readonly #withdrawAmount: number
  readonly #reserve: number
  readonly #slots: number[] = new Array<number>(SLOTS).fill(0)
  readonly #window: number
  readonly #clock: Clock
  #writer = 0
  #index = 0
  #time: number

  constructor(options: TpsBudgetOptions = {}) {
    const ttl = options.ttl ?? 10_000
    const minPerSec = options.minPerSec ?? 10
    const retryPercent = options.retryPercent ?? 0.2
    if (!(ttl >= 1_000 && ttl <= 60_000)) throw new RangeError(`TpsBudget: ttl must be 1000..60000 ms, got ${ttl}`)
    if (!(retryPercent >= 0 && retryPercent <= 1000)) {
      throw new RangeError(`TpsBudget: retryPercent must be 0..1000, got ${retryPercent}`)
    }
    if (!(Number.isInteger(minPerSec) && minPerSec >= 0 && minPerSec < 2 ** 31 - 1)) {
      throw new RangeError(`TpsBudget: minPerSec must be an integer >= 0, got ${minPerSec}`)
    }
    if (retryPercent === 0) {
      this.#depositAmount = 0
      this.#withdrawAmount = 1
    } else if (retryPercent <= 1) {
      this.#depositAmount = 1
      this.#withdrawAmount = Math.trunc(1 / retryPercent)
    } else {
      this.#depositAmount = 1000
      this.#withdrawAmount = Math.trunc(1000 / retryPercent)
    }
    this.#reserve = minPerSec * Math.trunc(ttl / 1000) * this.#withdrawAmount
    this.#window = ttl / SLOTS
    this.#clock = options.clock ?? systemClock
    this.#time = this.#clock.now()
  }

  /** The balance: deposits in the window minus withdrawals, plus the reserve. */
  get balance(): number {
    this.#expire()
    return this.#sum()
  }

  deposit(): void {
    this.#expire()
    this.#writer += this.#depositAmount
  }

  withdraw(): boolean {
    this.#expire()
    if (this.#sum() >= this.#withdrawAmount) {
      this.#writer -= this.#withdrawAmount
      return true
    }
    return false
  }

  #sum(): number {
    let sum = this.#writer + this.#reserve
    for (const slot of this.#slots) sum += slot
    return sum
  }

  #expire(): void {
    const now = this.#clock.now()
    let diff = now - this.#time
    if (diff < this.#window) return
    this.#slots[this.#index] = this.#writer
    this.#writer = 0
    let index = (this.#index + 1) % SLOTS
    while (diff > this.#window) {
      this.#slots[index] = 0
      diff -= this.#window
      index = (index + 1) % SLOTS
    }
    this.#index = index
    this.#time = now
  }
}

import { TurretError, type TurretErrorOptions } from '../errors'

/** An {@link ExponentialBackoff} was given invalid settings (tower's `InvalidBackoff`). */
export class InvalidBackoffError extends TurretError {
  override name = 'InvalidBackoffError'
  override readonly code = 'ERR_INVALID_BACKOFF'
  constructor(reason: string, options?: TurretErrorOptions) {
    super(`invalid backoff: ${reason}`, options)
  }
}

/** Options of {@link ExponentialBackoff}; all durations in milliseconds. */
export interface ExponentialBackoffOptions {
  /** The first delay. Defaults to `50`. */
  readonly min?: number | undefined
  /** The longest delay, jitter included. Defaults to `Number.MAX_SAFE_INTEGER`. */
  readonly max?: number | undefined
  /** Random extra delay, as a fraction of the base delay, from 0 to 100. Defaults to `0.99`. */
  readonly jitter?: number | undefined
  /** The random source, returning values in [0, 1). Defaults to `Math.random`. */
  readonly random?: (() => number) | undefined
}

/**
 * Exponential backoff with jitter (tower's `ExponentialBackoffMaker`): the delay before retry
 * `n` (from 0) is `min(min·2ⁿ, max)` plus a random jitter in `[0, base·jitter]`, capped so the
 * total never exceeds `max`. Stateless: one instance serves every request.
 *
 * @example
 * ```ts
 * const backoff = new ExponentialBackoff({ min: 100, max: 10_000 })
 * backoff.delay(0) // 100..199 ms
 * ```
 */
export class ExponentialBackoff {
  readonly min: number
  readonly max: number
  readonly jitter: number
  readonly #random: () => number

  constructor(options: ExponentialBackoffOptions = {}) {
    const min = options.min ?? 50
    const max = options.max ?? Number.MAX_SAFE_INTEGER
    const jitter = options.jitter ?? 0.99
    if (!(min >= 0) || !Number.isFinite(min)) throw new InvalidBackoffError('minimum must be a finite number >= 0')
    if (min > max) throw new InvalidBackoffError('maximum must not be less than minimum')
    if (max === 0) throw new InvalidBackoffError('maximum must be non-zero')
    if (jitter < 0) throw new InvalidBackoffError('jitter must not be negative')
    if (jitter > 100) throw new InvalidBackoffError('jitter must not be greater than 100')
    if (!Number.isFinite(jitter)) throw new InvalidBackoffError('jitter must be finite')
    this.min = min
    this.max = max
    this.jitter = jitter
    this.#random = options.random ?? Math.random
  }

  /** The delay before retry number `iteration` (0 for the first retry), without jitter. */
  base(iteration: number): number {
    return Math.min(this.min * 2 ** iteration, this.max)
  }

  /** The delay before retry number `iteration` (0 for the first retry), jitter included. */
  delay(iteration: number): number {
    const base = this.base(iteration)
    if (this.jitter === 0) return base
    return base + Math.min(base * this.#random() * this.jitter, this.max - base)
  }
}

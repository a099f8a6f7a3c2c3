import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ExponentialBackoff, InvalidBackoffError } from './index'

describe('ExponentialBackoff (tower retry/backoff.rs)', () => {
  it('backoff_base_first: the first base delay is min', () => {
    fc.assert(
      fc.property(fc.nat(1e9), fc.nat(1e9), (min, max) => {
        fc.pre(min <= max && max > 0)
        expect(new ExponentialBackoff({ min, max, jitter: 0 }).delay(0)).toBe(min)
      }),
    )
  })

  it('backoff_base: every delay lies in [min, max]', () => {
    fc.assert(
      fc.property(
        fc.nat(1e9),
        fc.nat(1e9),
        fc.nat(64),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (min, max, n, jitter) => {
          fc.pre(min <= max && max > 0)
          const delay = new ExponentialBackoff({ min, max, jitter }).delay(n)
          expect(delay).toBeGreaterThanOrEqual(min)
          expect(delay).toBeLessThanOrEqual(max)
        },
      ),
    )
  })

  it('backoff_jitter: jitter is zero iff jitter == 0, base == 0 or max == base', () => {
    const jitters = fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 100, noNaN: true }))
    fc.assert(
      fc.property(fc.nat(1e9), fc.nat(1e9), jitters, (base, max, jitter) => {
        fc.pre(base <= max && max > 0)
        const backoff = new ExponentialBackoff({ min: base, max, jitter, random: () => 0.5 })
        const extra = backoff.delay(0) - base
        if (jitter === 0 || base === 0 || max === base) expect(extra).toBe(0)
        else expect(extra).toBeGreaterThan(0)
      }),
    )
  })

  it('validates like tower: min > max, max == 0, negative, too large or non-finite jitter', () => {
    const bad = [
      { min: 10, max: 5 },
      { min: 0, max: 0 },
      { jitter: -1 },
      { jitter: 101 },
      { jitter: Number.NaN },
      { jitter: Number.POSITIVE_INFINITY },
    ]
    for (const options of bad) expect(() => new ExponentialBackoff(options)).toThrow(InvalidBackoffError)
    expect(() => new ExponentialBackoff({ min: 10, max: 5 })).toThrow(
      'invalid backoff: maximum must not be less than minimum',
    )
    const defaults = new ExponentialBackoff()
    expect([defaults.min, defaults.jitter]).toEqual([50, 0.99])
  })

  it('doubles each iteration up to max', () => {
    const backoff = new ExponentialBackoff({ min: 100, max: 1_000, jitter: 0 })
    expect([0, 1, 2, 3, 4].map((n) => backoff.delay(n))).toEqual([100, 200, 400, 800, 1_000])
  })
})

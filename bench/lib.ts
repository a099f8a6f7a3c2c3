/** Shared helpers for the benchmark rows: measurement, result rows, formatting. */
import { measure } from 'mitata'

/** Options every row receives. */
export interface BenchContext {
  /** A quick run (CI): few samples, only proves that the row still runs. */
  readonly smoke: boolean
}

/** One figure of a row: a measured value for one contender. */
export interface Figure {
  readonly label: string
  readonly value: number
  readonly unit: 'ns' | 'µs' | 'bytes' | 'req/s' | 'inv/s' | 'MB' | 'ms' | 'count'
}

/** One line of RESULTS.md. */
export interface Row {
  readonly id: string
  readonly title: string
  readonly figures: Figure[]
  /** Ratios computed from the figures, e.g. `turret / koa-compose = 0.4`. */
  readonly ratios: { readonly label: string; readonly value: number }[]
  /** The target, in words. */
  readonly target: string
  /** Whether the target is met (undefined when the row has no pass/fail target). */
  readonly met: boolean | undefined
  readonly note?: string | undefined
}

/** Median time per call of an async or sync function, in nanoseconds. */
export async function medianNs(fn: () => unknown, ctx: BenchContext): Promise<number> {
  const stats = await measure(fn, ctx.smoke ? { min_cpu_time: 5e6, max_samples: 50 } : { min_cpu_time: 600e6 })
  return stats.p50
}

/** Formats a number of nanoseconds for reading. */
export function formatNs(ns: number): string {
  return ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`
}

/** Formats a figure with its unit. */
export function formatFigure(f: Figure): string {
  if (f.unit === 'ns') return formatNs(f.value)
  if (f.unit === 'bytes') return `${Math.round(f.value).toLocaleString('en-US')} B`
  if (f.unit === 'req/s' || f.unit === 'inv/s') return `${Math.round(f.value).toLocaleString('en-US')} ${f.unit}`
  return `${Number.isInteger(f.value) ? f.value : f.value.toFixed(2)} ${f.unit}`
}

/** `a / b`, rounded for the table. */
export function ratio(a: number, b: number): number {
  return Math.round((a / b) * 100) / 100
}

/**
 * Per-call times of `a` and `b` measured in alternating short rounds, and the median of their per-round
 * difference: bursts of load from other processes hit both sides of a round alike, so the difference stays
 * steady where two separately measured medians would not. Nanoseconds.
 */
export async function pairedNs(
  a: () => unknown,
  b: () => unknown,
  ctx: BenchContext,
): Promise<{ a: number; b: number; diff: number }> {
  const rounds = ctx.smoke ? 6 : 300
  const batch = ctx.smoke ? 50 : 1000
  const time = async (fn: () => unknown) => {
    const start = process.hrtime.bigint()
    for (let i = 0; i < batch; i++) await fn()
    return Number(process.hrtime.bigint() - start) / batch
  }
  for (let i = 0; i < batch * 5; i++) {
    await a()
    await b()
  }
  const ta: number[] = []
  const tb: number[] = []
  const diffs: number[] = []
  for (let r = 0; r < rounds; r++) {
    const first = r % 2 === 0
    const x = first ? await time(a) : 0
    const y = await time(b)
    const z = first ? x : await time(a)
    ta.push(z)
    tb.push(y)
    diffs.push(z - y)
  }
  const median = (values: number[]) => values.sort((p, q) => p - q)[values.length >> 1] as number
  return { a: median(ta), b: median(tb), diff: median(diffs) }
}

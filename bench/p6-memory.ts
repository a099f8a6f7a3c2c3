/** P6: one million calls through an 8-layer stack — heap growth after GC, and timers left behind. */
import {
  buffer,
  concurrencyLimit,
  loadShed,
  mapRequest,
  mapResponse,
  oneshot,
  type Service,
  serviceFn,
  timeout,
} from '@turret/core'
import type { BenchContext, Row } from './lib'

/** Runs a full garbage collection (the runner starts node with --expose-gc). */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run the benchmarks with node --expose-gc (pnpm bench does)')
  gc()
  gc()
}

/** Live timers of this process (Node's active resources named Timeout). */
export function liveTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
}

/** The 8-layer stack P6 and the hardening tests measure. */
export function eightLayers(): Service<number, number> {
  return timeout(5_000)(
    buffer(1_024)(
      concurrencyLimit(256)(
        loadShed()(
          mapRequest((n: number) => n + 1)(
            mapResponse((n: number) => n - 1)(
              timeout(1_000)(mapRequest((n: number) => n)(serviceFn(async (n: number) => n))),
            ),
          ),
        ),
      ),
    ),
  )
}

export async function p6(ctx: BenchContext): Promise<Row[]> {
  const total = ctx.smoke ? 20_000 : 1_000_000
  const batch = 200
  const svc = eightLayers()
  // warm up so JIT code and the stack's own structures are not counted as growth
  for (let i = 0; i < 2_000; i += batch) await Promise.all(Array.from({ length: batch }, (_, j) => oneshot(svc, i + j)))
  collect()
  const before = process.memoryUsage().heapUsed
  const timersBefore = liveTimers()
  let sum = 0
  for (let i = 0; i < total; i += batch) {
    const out = await Promise.all(Array.from({ length: batch }, (_, j) => oneshot(svc, j)))
    sum += out.length
  }
  await new Promise((r) => setImmediate(r))
  collect()
  const growthMB = (process.memoryUsage().heapUsed - before) / 2 ** 20
  const timersLeft = liveTimers() - timersBefore
  return [
    {
      id: 'P6',
      title: `${total.toLocaleString('en-US')} calls through an 8-layer stack (timeout, buffer, concurrencyLimit, loadShed, maps, timeout)`,
      figures: [
        { label: 'calls completed', value: sum, unit: 'count' },
        { label: 'heap growth after GC', value: Math.round(growthMB * 100) / 100, unit: 'MB' },
        { label: 'timers left', value: timersLeft, unit: 'count' },
      ],
      ratios: [],
      target: 'heap growth < 5 MB, no timer left',
      met: sum === total && growthMB < 5 && timersLeft <= 0,
    },
  ]
}

/**
 * P3c: what `ServiceBuilder` adds to a bundle. Each entry is bundled with esbuild --bundle --minify from the
 * built dist of @turret/core (as P3 does), once with the builder and once as the same stack of layer
 * functions without it; the difference is the builder's own cost, and it should not grow with middleware
 * the stack does not use.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { BenchContext, Figure, Row } from './lib'
import { bundleSource } from './p3-cold-start'

/** One middleware per entry: its import list and the layer expression. */
const layers: Record<string, { imports: string; layer: string }> = {
  timeout: { imports: 'timeout', layer: 'timeout(1_000)' },
  retry: { imports: 'retry, retryPolicy', layer: 'retry(retryPolicy({ attempts: 2 }))' },
  concurrencyLimit: { imports: 'concurrencyLimit', layer: 'concurrencyLimit(8)' },
  rateLimit: { imports: 'rateLimit', layer: 'rateLimit(10, 1_000)' },
  loadShed: { imports: 'loadShed', layer: 'loadShed()' },
  buffer: { imports: 'buffer', layer: 'buffer(16)' },
}

const svc = 'serviceFn(async (n) => n * 2)'

/** The entries measured: per middleware, with the builder and without it; and the builder's combinators. */
function entries(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, { imports, layer }] of Object.entries(layers)) {
    out[`${name}(…)(svc)`] = `import { serviceFn, ${imports} } from '@turret/core'
export const svc = ${layer}(${svc})`
    out[`ServiceBuilder().layer(${name}(…))`] = `import { ServiceBuilder, serviceFn, ${imports} } from '@turret/core'
export const svc = new ServiceBuilder().layer(${layer}).service(${svc})`
  }
  out['ServiceBuilder().mapRequest().mapResponse()'] = `import { ServiceBuilder, serviceFn } from '@turret/core'
export const svc = new ServiceBuilder().mapRequest((s) => Number(s)).mapResponse((n) => String(n)).service(${svc})`
  return out
}

export async function p3c(_ctx: BenchContext): Promise<Row[]> {
  const dir = fileURLToPath(new URL('./.tmp/p3c/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  const sizes: Record<string, { bytes: number; gzip: number }> = {}
  for (const [name, source] of Object.entries(entries())) {
    const { outfile } = await bundleSource(dir, name, source)
    const code = readFileSync(outfile)
    sizes[name] = { bytes: code.length, gzip: gzipSync(code).length }
  }
  const figures: Figure[] = Object.entries(sizes).flatMap(([name, s]) => [
    { label: `${name}: minified`, value: s.bytes, unit: 'bytes' as const },
    { label: `${name}: gzip`, value: s.gzip, unit: 'bytes' as const },
  ])
  const added = Object.keys(layers).map((name) => {
    const withBuilder = sizes[`ServiceBuilder().layer(${name}(…))`] as { bytes: number }
    const without = sizes[`${name}(…)(svc)`] as { bytes: number }
    return { name, bytes: withBuilder.bytes - without.bytes }
  })
  const most = Math.max(...added.map((a) => a.bytes))
  const least = Math.min(...added.map((a) => a.bytes))
  return [
    {
      id: 'P3c',
      title: 'ServiceBuilder bundle cost: one middleware with and without the builder (esbuild --bundle --minify)',
      figures,
      ratios: added.map((a) => ({ label: `bytes the builder adds to ${a.name} (minified)`, value: a.bytes })),
      target:
        'the builder adds ≤ 3 KB minified, the same (± 128 B) whatever the one middleware is: it carries no middleware it is not given',
      met: most <= 3072 && most - least <= 128,
      note: [
        'What the builder adds is itself and the combinators its shorthands build (mapRequest, filter, …).',
        'Before the builder stopped importing middleware for shorthands (2026-12-03) it added 8.8–11.5 KB',
        '(every core middleware) to each of these stacks: 12.7 KB for builder + timeout against 1.3 KB.',
      ].join(' '),
    },
  ]
}

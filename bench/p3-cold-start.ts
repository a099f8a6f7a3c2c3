/**
 * P3: cold start — an esbuild `--bundle --minify` of a minimal HTTP Lambda for each framework:
 * bytes, gzip bytes, and module import time (median over fresh processes).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import type { BenchContext, Row } from './lib'
import { ratio } from './lib'

const dir = fileURLToPath(new URL('./.tmp/p3/', import.meta.url))

/** A minimal HTTP Lambda per framework, each answering `hello <path>`. */
const entries: Record<string, string> = {
  'empty handler': `export const handler = async (event) => ({ statusCode: 200, body: 'hello ' + event.rawPath })`,
  turret: `import { serviceFn } from '@turret/core'
import { httpHandler } from '@turret/lambda'
export const handler = httpHandler(serviceFn((req) => new Response('hello ' + new URL(req.url).pathname)))`,
  hono: `import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'
const app = new Hono()
app.get('*', (c) => c.text('hello ' + c.req.path))
export const handler = handle(app)`,
  '@middy/core': `import middy from '@middy/core'
export const handler = middy(async (event) => ({ statusCode: 200, body: 'hello ' + event.rawPath }))`,
  'serverless-http': `import serverless from 'serverless-http'
export const handler = serverless((req, res) => res.end('hello ' + req.url))`,
  '@codegenie/serverless-express': `import serverlessExpress from '@codegenie/serverless-express'
import express from 'express'
const app = express()
app.use((req, res) => res.send('hello ' + req.path))
export const handler = serverlessExpress({ app })`,
}

function importMs(file: string, runs: number): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t))`
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    times.push(
      Number(
        execFileSync(process.execPath, ['--input-type=module', '-e', script], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      ),
    )
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)] as number
}

/** How every bundle here is made: esbuild --bundle --minify for Node 20, as ESM. */
export const bundling = {
  bundle: true,
  minify: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'silent',
} as const

/**
 * Writes `source` to `<dir><slug>.entry.mjs` and bundles it (with {@link bundling}) from the published dist
 * in bench/node_modules, as a user would, not from the repo's source paths. Returns the entry's and the
 * bundle's paths.
 */
export async function bundleSource(
  dir: string,
  name: string,
  source: string,
  extra: { banner?: { js: string } } = {},
): Promise<{ entry: string; outfile: string }> {
  const slug = name.replace(/[^a-z]+/gi, '-')
  const entry = `${dir}${slug}.entry.mjs`
  const outfile = `${dir}${slug}.bundle.mjs`
  writeFileSync(entry, `${source}\n`)
  await build({
    ...bundling,
    ...extra,
    entryPoints: [entry],
    outfile,
    tsconfigRaw: '{}',
    nodePaths: [fileURLToPath(new URL('./node_modules/', import.meta.url))],
  })
  return { entry, outfile }
}

/** The minified bytes each source module adds to the bundle of `entry` (built again from the repo's sources). */
async function bySourceModule(entry: string): Promise<[string, number][]> {
  const result = await build({
    ...bundling,
    entryPoints: [entry],
    write: false,
    metafile: true,
    tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
  })
  const output = Object.values(result.metafile.outputs)[0]
  return Object.entries(output?.inputs ?? {})
    .map(([path, input]): [string, number] => [path.replace(/^(\.\.\/)+/, ''), input.bytesInOutput])
    .filter(([path, bytes]) => bytes > 0 && !path.includes('.tmp/'))
    .sort((x, y) => y[1] - x[1])
}

export async function p3(ctx: BenchContext): Promise<Row[]> {
  mkdirSync(dir, { recursive: true })
  const runs = ctx.smoke ? 3 : 25
  const measured: { name: string; bytes: number; gzip: number; ms: number }[] = []
  let turretInputs: [string, number][] = []
  for (const [name, source] of Object.entries(entries)) {
    const { entry, outfile } = await bundleSource(dir, name, source, {
      // CommonJS dependencies bundled into ESM need a require for Node built-ins
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    })
    if (name === 'turret') turretInputs = await bySourceModule(entry)
    const code = readFileSync(outfile)
    measured.push({ name, bytes: code.length, gzip: gzipSync(code).length, ms: importMs(outfile, runs) })
  }
  const empty = measured[0] as (typeof measured)[number]
  const turret = measured.find((m) => m.name === 'turret') as (typeof measured)[number]
  const importRatio = ratio(turret.ms, empty.ms)
  return [
    {
      id: 'P3',
      title: 'cold start: minimal HTTP Lambda bundled with esbuild --bundle --minify',
      figures: measured.flatMap((m) => [
        { label: `${m.name}: minified`, value: m.bytes, unit: 'bytes' as const },
        { label: `${m.name}: gzip`, value: m.gzip, unit: 'bytes' as const },
        {
          label: `${m.name}: import (median of ${runs} fresh processes)`,
          value: Math.round(m.ms * 100) / 100,
          unit: 'ms' as const,
        },
      ]),
      ratios: measured
        .slice(1)
        .map((m) => ({ label: `${m.name} import / empty handler import`, value: ratio(m.ms, empty.ms) })),
      target: 'turret ≤ 8 KB minified, import ≤ 1.3× an empty handler’s',
      met: turret.bytes <= 8 * 1024 && importRatio <= 1.3,
      note: `turret's bundle by module (esbuild metafile, minified bytes): ${turretInputs
        .map(([path, bytes]) => `${path} ${bytes.toLocaleString('en-US')}`)
        .join('; ')}.`,
    },
  ]
}

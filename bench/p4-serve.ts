/**
 * P4: serve() — hello-world requests per second with autocannon over loopback, vs raw node:http and
 * @hono/node-server. P4b: a Hono app behind fromFetch under serve(), vs the same app on @hono/node-server.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { type BenchContext, type Row, ratio } from './lib'

async function start(kind: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./p4-server.ts', import.meta.url)), kind],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      // The root tsconfig maps @turret/* to the sources, which tsx would then transform (adding a
      // `__name()` call per closure): measure the built packages (`pnpm build`) like any user's.
      env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL('../tsconfig.base.json', import.meta.url)) },
    },
  )
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start`)), 30_000)
    child.stdout?.once('data', (chunk: Buffer) => {
      clearTimeout(timer)
      resolve(Number(String(chunk).trim()))
    })
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)))
  })
  return { port, child }
}

/** Requests per second, and the server's CPU time per request in µs (Linux only; `undefined` elsewhere). */
async function rps(kind: string, ctx: BenchContext): Promise<{ rps: number; cpu: number | undefined }> {
  const { port, child } = await start(kind)
  try {
    const url = `http://127.0.0.1:${port}/`
    // warm up, then measure
    await autocannon({ url, connections: 16, duration: ctx.smoke ? 1 : 3 })
    const before = cpuMs(child.pid)
    const result = await autocannon({ url, connections: 64, pipelining: 1, duration: ctx.smoke ? 2 : 10 })
    const after = cpuMs(child.pid)
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${kind}: ${result.non2xx} non-2xx, ${result.errors} errors`)
    const cpu =
      before === undefined || after === undefined || result.requests.total === 0
        ? undefined
        : ((after - before) * 1000) / result.requests.total
    return { rps: result.requests.average, cpu }
  } finally {
    child.kill('SIGKILL')
  }
}

/** User + system CPU time of a process in ms, from /proc (10 ms ticks); `undefined` where there is none. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    const ticks = Number(fields[11]) + Number(fields[12])
    return Number.isFinite(ticks) ? ticks * 10 : undefined
  } catch {
    return undefined
  }
}

type Kind = 'node' | 'hono' | 'turret' | 'turret-response' | 'turret-hono'

/**
 * Best req/s and lowest server CPU per request of each server kind, over interleaved rounds (a noisy
 * moment then does not favour one of them).
 */
async function measureKinds(
  kinds: readonly Kind[],
  ctx: BenchContext,
): Promise<{ best: (k: Kind) => number; cpuNote: string }> {
  const runs: Partial<Record<Kind, number[]>> = {}
  const cpu: Partial<Record<Kind, number[]>> = {}
  for (let round = 0; round < (ctx.smoke ? 1 : 2); round++) {
    for (const kind of kinds) {
      const got = await rps(kind, ctx)
      runs[kind] = [...(runs[kind] ?? []), got.rps]
      if (got.cpu !== undefined) cpu[kind] = [...(cpu[kind] ?? []), got.cpu]
    }
  }
  const cpuNote = kinds
    .filter((k) => cpu[k]?.length)
    .map((k) => `${LABELS[k]} ${Math.min(...(cpu[k] as number[])).toFixed(1)} µs`)
    .join(', ')
  return { best: (k) => Math.max(...(runs[k] ?? [0])), cpuNote }
}

const NOTE =
  'Best of the interleaved rounds for each contender; server and load generator share the 2 cores. ' +
  'turret runs with its defaults: `overrideGlobalObjects` on, so (as with @hono/node-server) its lightweight ' +
  '`Request`/`Response` are the globals while it serves.'

export async function p4(ctx: BenchContext): Promise<Row[]> {
  const { best, cpuNote } = await measureKinds(['node', 'hono', 'turret', 'turret-response'], ctx)
  const [turret, response, node, hono] = [best('turret'), best('turret-response'), best('node'), best('hono')]
  const vsHono = ratio(turret, hono)
  const responseVsHono = ratio(response, hono)
  return [
    {
      id: 'P4',
      title: 'serve(): hello-world requests per second over loopback (autocannon, 64 connections)',
      figures: [
        { label: LABELS.turret, value: turret, unit: 'req/s' },
        { label: LABELS['turret-response'], value: response, unit: 'req/s' },
        { label: LABELS.node, value: node, unit: 'req/s' },
        { label: LABELS.hono, value: hono, unit: 'req/s' },
      ],
      ratios: [
        { label: 'turret text() / @hono/node-server', value: vsHono },
        { label: 'turret new Response() / @hono/node-server', value: responseVsHono },
        { label: 'turret text() / raw node:http', value: ratio(turret, node) },
        { label: 'turret new Response() / raw node:http', value: ratio(response, node) },
      ],
      target: 'turret text() ≥ 1.0× @hono/node-server; turret new Response() ≥ 0.9× @hono/node-server',
      met: vsHono >= 1 && responseVsHono >= 0.9,
      note:
        `${NOTE} The service answers \`text(hello)\` (turret's idiomatic hello world, as Hono's answers with ` +
        '`c.text`), or `new Response(hello)` as most user code does.' +
        (cpuNote
          ? ` Server CPU per request (lowest of the rounds; less sensitive to the shared cores): ${cpuNote}.`
          : ''),
    },
  ]
}

export async function p4b(ctx: BenchContext): Promise<Row[]> {
  const { best, cpuNote } = await measureKinds(['hono', 'turret-hono'], ctx)
  const [turret, hono] = [best('turret-hono'), best('hono')]
  const vsHono = ratio(turret, hono)
  return [
    {
      id: 'P4b',
      title: 'a Hono app behind fromFetch under serve(), against the same app on @hono/node-server (req/s)',
      figures: [
        { label: LABELS['turret-hono'], value: turret, unit: 'req/s' },
        { label: LABELS.hono, value: hono, unit: 'req/s' },
      ],
      ratios: [{ label: 'turret serve(fromFetch(app)) / @hono/node-server', value: vsHono }],
      target: '≥ 0.9× @hono/node-server',
      met: vsHono >= 0.9,
      note:
        `${NOTE} Both serve the same Hono app, one route answering \`c.text('hello world')\`.` +
        (cpuNote ? ` Server CPU per request (lowest of the rounds): ${cpuNote}.` : ''),
    },
  ]
}

const LABELS: Record<Kind, string> = {
  turret: 'turret serve() + text()',
  'turret-response': 'turret serve() + new Response()',
  'turret-hono': 'turret serve(fromFetch(hono app))',
  node: 'raw node:http',
  hono: '@hono/node-server',
}

/** P4: serve() — hello-world requests per second with autocannon over loopback, vs raw node:http and @hono/node-server. */
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

const KINDS = ['node', 'hono', 'turret', 'turret-response'] as const

export async function p4(ctx: BenchContext): Promise<Row[]> {
  // interleave the contenders twice so a noisy moment does not favour one of them
  const runs: Record<string, number[]> = {}
  const cpu: Record<string, number[]> = {}
  for (let round = 0; round < (ctx.smoke ? 1 : 2); round++) {
    for (const kind of KINDS) {
      const got = await rps(kind, ctx)
      runs[kind] = [...(runs[kind] ?? []), got.rps]
      if (got.cpu !== undefined) cpu[kind] = [...(cpu[kind] ?? []), got.cpu]
    }
  }
  const best = (k: string) => Math.max(...(runs[k] ?? [0]))
  const [turret, response, node, hono] = [best('turret'), best('turret-response'), best('node'), best('hono')]
  const vsHono = ratio(turret, hono)
  const vsNode = ratio(turret, node)
  const cpuNote = KINDS.filter((k) => cpu[k]?.length)
    .map((k) => `${LABELS[k]} ${Math.min(...(cpu[k] as number[])).toFixed(1)} µs`)
    .join(', ')
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
        { label: 'turret text() / raw node:http', value: vsNode },
        { label: 'turret new Response() / @hono/node-server', value: ratio(response, hono) },
        { label: 'turret new Response() / raw node:http', value: ratio(response, node) },
      ],
      target: '≥ 1.0× @hono/node-server and ≥ 0.85× raw node:http (turret answering with text())',
      met: vsHono >= 1 && vsNode >= 0.85,
      note:
        'Best of the interleaved rounds for each contender; server and load generator share the 2 cores. ' +
        "turret answers with `text(hello)` (its idiomatic hello world, as Hono's answers with `c.text`); the " +
        '`new Response()` row is the same server answering with an ordinary undici Response.' +
        (cpuNote
          ? ` Server CPU per request (lowest of the rounds; less sensitive to the shared cores): ${cpuNote}.`
          : ''),
    },
  ]
}

const LABELS: Record<(typeof KINDS)[number], string> = {
  turret: 'turret serve() + text()',
  'turret-response': 'turret serve() + new Response()',
  node: 'raw node:http',
  hono: '@hono/node-server',
}

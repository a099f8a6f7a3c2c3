/** P4: serve() — hello-world requests per second with autocannon over loopback, vs raw node:http and @hono/node-server. */
import { type ChildProcess, spawn } from 'node:child_process'
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

async function rps(kind: string, ctx: BenchContext): Promise<number> {
  const { port, child } = await start(kind)
  try {
    const url = `http://127.0.0.1:${port}/`
    // warm up, then measure
    await autocannon({ url, connections: 16, duration: ctx.smoke ? 1 : 3 })
    const result = await autocannon({ url, connections: 64, pipelining: 1, duration: ctx.smoke ? 2 : 10 })
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${kind}: ${result.non2xx} non-2xx, ${result.errors} errors`)
    return result.requests.average
  } finally {
    child.kill('SIGKILL')
  }
}

export async function p4(ctx: BenchContext): Promise<Row[]> {
  // interleave the contenders twice so a noisy moment does not favour one of them
  const runs: Record<string, number[]> = { turret: [], node: [], hono: [] }
  for (let round = 0; round < (ctx.smoke ? 1 : 2); round++) {
    for (const kind of ['node', 'hono', 'turret']) runs[kind]?.push(await rps(kind, ctx))
  }
  const best = (k: string) => Math.max(...(runs[k] ?? [0]))
  const [turret, node, hono] = [best('turret'), best('node'), best('hono')]
  const vsHono = ratio(turret, hono)
  const vsNode = ratio(turret, node)
  return [
    {
      id: 'P4',
      title: 'serve(): hello-world requests per second over loopback (autocannon, 64 connections)',
      figures: [
        { label: 'turret serve()', value: turret, unit: 'req/s' },
        { label: 'raw node:http', value: node, unit: 'req/s' },
        { label: '@hono/node-server', value: hono, unit: 'req/s' },
      ],
      ratios: [
        { label: 'turret / @hono/node-server', value: vsHono },
        { label: 'turret / raw node:http', value: vsNode },
      ],
      target: '≥ 1.0× @hono/node-server and ≥ 0.85× raw node:http',
      met: vsHono >= 1 && vsNode >= 0.85,
      note: 'Best of the interleaved rounds for each contender; server and load generator share the 2 cores.',
    },
  ]
}

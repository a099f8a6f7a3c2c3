/** P5: the custom runtime — invocations per second of run() vs aws-lambda-ric against the same emulator. */
import { existsSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '@turret/dev'
import { type BenchContext, type Row, ratio } from './lib'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))

function ricDir(): string | undefined {
  try {
    const require = createRequire(new URL('../packages/dev/package.json', import.meta.url))
    const dir = realpathSync(dirname(require.resolve('aws-lambda-ric/package.json')))
    return existsSync(join(dir, 'dist', 'rapid-client.node')) ? dir : undefined
  } catch {
    return undefined
  }
}

async function throughput(command: string[], env: Record<string, string>, invocations: number): Promise<number> {
  const emu = await startEmulator({ command, cwd: fixtures, env, timeoutMs: 10_000, onOutput: () => undefined })
  try {
    // the first invocation waits for the runtime process to start: not measured
    const first = await emu.invoke({ n: -1 })
    if ((first.json() as { n?: number } | undefined)?.n !== -1) throw new Error(`unexpected ${JSON.stringify(first)}`)
    for (let i = 0; i < 50; i++) await emu.invoke({ n: i })
    const started = performance.now()
    for (let i = 0; i < invocations; i++) {
      const res = await emu.invoke({ n: i })
      if ((res.json() as { n?: number } | undefined)?.n !== i)
        throw new Error(`invocation ${i} answered ${JSON.stringify(res)}`)
    }
    return invocations / ((performance.now() - started) / 1000)
  } finally {
    await emu.close()
  }
}

export async function p5(ctx: BenchContext): Promise<Row[]> {
  const n = ctx.smoke ? 50 : 3_000
  const turret = await throughput([process.execPath, join(fixtures, 'p5-turret.mjs')], {}, n)
  const ric = ricDir()
  const figures = [{ label: 'turret run()', value: turret, unit: 'inv/s' as const }]
  if (!ric) {
    return [
      {
        id: 'P5',
        title: 'custom runtime: sequential invocations per second against the dev emulator',
        figures,
        ratios: [],
        target: '≥ 1.0× aws-lambda-ric',
        met: undefined,
        note: 'aws-lambda-ric native addon not built here (`pnpm --filter @turret/dev build:ric`): no comparison this run.',
      },
    ]
  }
  const ricRate = await throughput(
    [process.execPath, join(ric, 'bin', 'index.mjs'), 'p5-handler.handler'],
    { LAMBDA_TASK_ROOT: fixtures, _HANDLER: 'p5-handler.handler' },
    n,
  )
  const r = ratio(turret, ricRate)
  return [
    {
      id: 'P5',
      title: 'custom runtime: sequential invocations per second against the dev emulator',
      figures: [...figures, { label: 'aws-lambda-ric', value: ricRate, unit: 'inv/s' }],
      ratios: [{ label: 'turret / aws-lambda-ric', value: r }],
      target: '≥ 1.0× aws-lambda-ric',
      met: r >= 1,
    },
  ]
}

/**
 * `pnpm bench`: runs every benchmark row on Node 24, then 22, then 20 (each Node in its own child run)
 * and writes bench/RESULTS.md with one section per Node.
 * `pnpm bench --smoke`: a few samples per row (seconds), on the current Node only, so CI proves the
 * benchmarks still run; it writes bench/.tmp/RESULTS.smoke.md and never fails on a missed target.
 * `pnpm bench P1 P3`: only those rows (writes bench/.tmp/RESULTS.partial.md).
 * `--nodes 24,22` (or `BENCH_NODES=24,22`): pick the Node majors; `--nodes current` is the Node running this.
 * `--node-child <out.json>` (internal): run the rows in this process and write them as JSON.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { type BenchContext, formatFigure, type Row } from './lib'
import { history, missedNotes } from './notes'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))

/** A message with this checkout's absolute paths made relative to the repository (RESULTS.md is committed). */
function repoRelative(message: string): string {
  return message.split(repoRoot).join('./')
}

type RowModule = (ctx: BenchContext) => Promise<Row[]>
const rows: Record<string, () => Promise<RowModule>> = {
  P1: async () => (await import('./p1-layers')).p1,
  P2: async () => (await import('./p2-adapter')).p2,
  P3: async () => (await import('./p3-cold-start')).p3,
  P3c: async () => (await import('./p3c-builder')).p3c,
  P4: async () => (await import('./p4-serve')).p4,
  P4b: async () => (await import('./p4-serve')).p4b,
  P5: async () => (await import('./p5-runtime')).p5,
  P6: async () => (await import('./p6-memory')).p6,
  P7: async () => (await import('./p7-router')).p7,
  P7b: async () => (await import('./p7-router')).p7b,
  P3b: async () => (await import('./p7-router')).p3b,
  P8: async () => (await import('./p8-otel')).p8,
}

/** What one child run (one Node) reports to the parent. */
interface NodeRun {
  readonly version: string
  readonly results: Row[]
  readonly failures: string[]
  readonly seconds: number
}

const args = process.argv.slice(2)
const smoke = args.includes('--smoke')
const flagValue = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const childOut = flagValue('--node-child')
const nodesArg = flagValue('--nodes') ?? process.env.BENCH_NODES
const flagValues = new Set([childOut, flagValue('--nodes')])
const wanted = args.filter((a) => !a.startsWith('--') && !flagValues.has(a))
for (const id of wanted) if (!(id in rows)) throw new Error(`unknown row ${id} (rows: ${Object.keys(rows).join(' ')})`)

if (childOut) {
  writeFileSync(childOut, JSON.stringify(await runRows()))
} else {
  await parent()
}

/** Runs the wanted rows in this process (one Node). */
async function runRows(): Promise<NodeRun> {
  const ctx: BenchContext = { smoke }
  const results: Row[] = []
  const failures: string[] = []
  const begun = Date.now()
  console.log(`— Node ${process.version}`)
  for (const [id, load] of Object.entries(rows)) {
    if (wanted.length && !wanted.includes(id)) continue
    const started = Date.now()
    try {
      const run = await load()
      const got = await run(ctx)
      results.push(...got)
      for (const row of got) {
        const status = row.met === undefined ? '' : row.met ? ' ✓' : ' ✗ target missed'
        console.log(`${row.id} ${row.title}${status}`)
        for (const f of row.figures) console.log(`   ${f.label}: ${formatFigure(f)}`)
        for (const r of row.ratios) console.log(`   ${r.label} = ${r.value}`)
      }
    } catch (error) {
      failures.push(`${id}: ${(error as Error).stack ?? error}`)
      console.error(`${id} failed:`, error)
    }
    console.log(`   (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  }
  return { version: process.version, results, failures, seconds: (Date.now() - begun) / 1000 }
}

/** Runs each Node in its own child process, then writes the Markdown report. */
async function parent(): Promise<void> {
  const majors = (nodesArg ?? (smoke ? 'current' : '24,22,20')).split(',').map((s) => s.trim())
  const tmp = fileURLToPath(new URL('./.tmp/', import.meta.url))
  mkdirSync(tmp, { recursive: true })
  const runs: NodeRun[] = []
  const failures: string[] = []
  for (const major of majors) {
    const out = `${tmp}node-${major}.json`
    rmSync(out, { force: true })
    let node: string
    try {
      node = major === 'current' ? process.execPath : `${nodeBin(major)}/node`
    } catch (error) {
      failures.push(`Node ${major}: ${(error as Error).message}`)
      continue
    }
    const childArgs = ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--node-child', out]
    const child = spawnSync(node, [...childArgs, ...wanted, ...(smoke ? ['--smoke'] : [])], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      stdio: 'inherit',
      // measure the built packages (`pnpm build`), not the sources the root tsconfig maps @turret/* to
      env: { ...process.env, TSX_TSCONFIG_PATH: '../tsconfig.base.json' },
    })
    try {
      const run = JSON.parse(readFileSync(out, 'utf8')) as NodeRun
      runs.push(run)
      failures.push(...run.failures.map((f) => `Node ${run.version}: ${f}`))
      console.log(`— Node ${run.version}: ${run.seconds.toFixed(0)} s`)
    } catch {
      failures.push(`Node ${major}: the child run exited with ${child.status ?? child.signal} and wrote no results`)
    }
  }
  const target = smoke ? './.tmp/RESULTS.smoke.md' : wanted.length ? './.tmp/RESULTS.partial.md' : './RESULTS.md'
  const file = fileURLToPath(new URL(target, import.meta.url))
  writeFileSync(file, report(runs))
  if (target === './RESULTS.md') {
    // Format the tables as the repository's formatter would (CI lints RESULTS.md too).
    try {
      execFileSync(fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url)), ['format', '--write', file], {
        stdio: 'ignore',
      })
    } catch (error) {
      console.error('could not format RESULTS.md with biome:', error)
    }
  }
  console.log(`wrote ${file}`)
  if (failures.length) {
    console.error(failures.join('\n'))
    process.exit(1)
  }
}

/** The bin directory of a Node major, from scripts/node-bin.sh (installs it into .cache/ on first use). */
function nodeBin(major: string): string {
  const script = fileURLToPath(new URL('../scripts/node-bin.sh', import.meta.url))
  return execFileSync(script, [major], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()
}

function report(runs: NodeRun[]): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  const header = [
    '# turret benchmarks',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, on ${runs.map((r) => `Node ${r.version}`).join(', ')}.`,
    'Each Node runs every row in its own process, with its peers on that same Node.',
    'Times are medians (mitata p50) of calls measured in the same run; ratios compare figures of that run.',
    smoke ? '\n**Smoke run: too few samples to mean anything.**' : '',
    '',
  ]
  const sections = runs.map((run) => {
    const body = run.results.map((row) => {
      const lines = [`### ${row.id} — ${row.title}`, '', '| contender | median |', '| --- | --- |']
      for (const f of row.figures) lines.push(`| ${f.label} | ${formatFigure(f)} |`)
      lines.push('', `Ratios: ${row.ratios.map((r) => `${r.label} = **${r.value}**`).join('; ')}.`)
      lines.push('', `Target: ${row.target}. ${row.met === undefined ? '' : row.met ? '**Met.**' : '**Missed.**'}`)
      if (row.note) lines.push('', row.note)
      const missed = row.met === false ? missedNotes[row.id.split('-')[0] ?? row.id] : undefined
      if (missed) lines.push('', `What was tried, and what limits it: ${missed}`)
      return lines.join('\n')
    })
    const failed = run.failures.map((f) => `- failed: ${repoRelative(f.split('\n')[0] ?? '')}`)
    return [
      `## Node ${run.version}`,
      '',
      ...body.join('\n\n').split('\n'),
      ...(failed.length ? ['', ...failed] : []),
    ].join('\n')
  })
  return `${header.join('\n')}\n${sections.join('\n\n')}\n\n${history}`
}

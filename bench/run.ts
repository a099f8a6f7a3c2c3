/**
 * `pnpm bench`: runs every benchmark row and writes bench/RESULTS.md.
 * `pnpm bench --smoke`: a few samples per row (seconds), so CI proves the benchmarks still run;
 * it writes bench/.tmp/RESULTS.smoke.md and never fails on a missed target.
 * `pnpm bench P1 P3`: only those rows.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { type BenchContext, formatFigure, type Row } from './lib'
import { history, missedNotes } from './notes'

type RowModule = (ctx: BenchContext) => Promise<Row[]>
const rows: Record<string, () => Promise<RowModule>> = {
  P1: async () => (await import('./p1-layers')).p1,
  P2: async () => (await import('./p2-adapter')).p2,
  P3: async () => (await import('./p3-cold-start')).p3,
  P4: async () => (await import('./p4-serve')).p4,
  P5: async () => (await import('./p5-runtime')).p5,
  P6: async () => (await import('./p6-memory')).p6,
  P7: async () => (await import('./p7-router')).p7,
  P7b: async () => (await import('./p7-router')).p7b,
  P3b: async () => (await import('./p7-router')).p3b,
  P8: async () => (await import('./p8-otel')).p8,
}

const args = process.argv.slice(2)
const smoke = args.includes('--smoke')
const wanted = args.filter((a) => !a.startsWith('--'))
const ctx: BenchContext = { smoke }

const results: Row[] = []
const failures: string[] = []
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

const cpu = cpus()[0]?.model ?? 'unknown CPU'
const header = [
  '# turret benchmarks',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
  'Times are medians (mitata p50) of calls measured in the same run; ratios compare figures of that run.',
  smoke ? '\n**Smoke run: too few samples to mean anything.**' : '',
  '',
]
const body = results.map((row) => {
  const lines = [`## ${row.id} — ${row.title}`, '', '| contender | median |', '| --- | --- |']
  for (const f of row.figures) lines.push(`| ${f.label} | ${formatFigure(f)} |`)
  lines.push('', `Ratios: ${row.ratios.map((r) => `${r.label} = **${r.value}**`).join('; ')}.`)
  lines.push('', `Target: ${row.target}. ${row.met === undefined ? '' : row.met ? '**Met.**' : '**Missed.**'}`)
  if (row.note) lines.push('', row.note)
  const missed = row.met === false ? missedNotes[row.id.split('-')[0] ?? row.id] : undefined
  if (missed) lines.push('', `What was tried, and what limits it: ${missed}`)
  return lines.join('\n')
})
// Only a full run replaces RESULTS.md; a run of some rows (`pnpm bench P2 P4`) writes beside it in .tmp/.
const target = smoke ? './.tmp/RESULTS.smoke.md' : wanted.length ? './.tmp/RESULTS.partial.md' : './RESULTS.md'
const out = fileURLToPath(new URL(target, import.meta.url))
mkdirSync(fileURLToPath(new URL('./.tmp/', import.meta.url)), { recursive: true })
writeFileSync(out, `${header.join('\n')}\n${body.join('\n\n')}\n\n${history}`)
if (target === './RESULTS.md') {
  // Format the tables as the repository's formatter would (CI lints RESULTS.md too).
  try {
    execFileSync(fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url)), ['format', '--write', out], {
      stdio: 'ignore',
    })
  } catch (error) {
    console.error('could not format RESULTS.md with biome:', error)
  }
}
console.log(`wrote ${out}`)
if (failures.length) {
  console.error(failures.join('\n'))
  process.exit(1)
}

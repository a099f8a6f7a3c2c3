/**
 * Each package's public API is its root plus the subpaths its package.json `exports` lists (issue #18).
 * A subpath (`@turret/http/cors`) is a topic of the root: it exports only names the root exports too,
 * so an internal cannot become public through a subpath. Two entries are exempt: `testing` (test
 * doubles, deliberately not at the root) and `internal` (unstable, for other turret packages).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { type Entry, entryExports } from './root-exports'

const checked = ['core', 'http', 'lambda', 'fp', 'otel', 'dev'] as const
const exempt = new Set(['./testing', './internal'])

function subpaths(pkg: string): string[] {
  const json = JSON.parse(readFileSync(new URL(`../packages/${pkg}/package.json`, import.meta.url), 'utf8'))
  return Object.keys(json.exports).filter((key) => key !== '.' && key !== './package.json' && !exempt.has(key))
}

describe('subpaths export only what their root exports', () => {
  const entries: Entry[] = checked.flatMap((pkg) => [
    { pkg, subpath: '.' },
    ...subpaths(pkg).map((subpath) => ({ pkg, subpath })),
  ])
  const all = entryExports(entries)

  for (const pkg of checked) {
    it(`@turret/${pkg}: every name of every subpath is a root export`, () => {
      const root = new Set((all[pkg] ?? []).map((e) => e.name))
      const extra: string[] = []
      for (const subpath of subpaths(pkg)) {
        const names = all[`${pkg}/${subpath.slice(2)}`] ?? []
        expect(names.length, `@turret/${pkg}/${subpath.slice(2)} exports nothing`).toBeGreaterThan(0)
        for (const e of names) if (!root.has(e.name)) extra.push(`@turret/${pkg}/${subpath.slice(2)}: ${e.name}`)
      }
      expect(extra, 'subpath exports missing from the root (an internal, or a root export forgotten)').toEqual([])
    })
  }
})

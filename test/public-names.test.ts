/**
 * One public name, one meaning (issue #18): across every public entry of every package (roots, subpaths and
 * `testing`; not the unstable `internal` entries), a name two packages export must be the same thing,
 * re-exported. Two different things under one name (`catchPanic` answering 500 in http and throwing in lambda,
 * `InvokeOptions` of the emulator and of the test Runtime API server) read wrong to a newcomer.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { type Entry, entryExports } from './root-exports'

const packagesDir = new URL('../packages/', import.meta.url)

function publicEntries(): Entry[] {
  return readdirSync(packagesDir).flatMap((pkg) => {
    const json = JSON.parse(readFileSync(new URL(`${pkg}/package.json`, packagesDir), 'utf8'))
    return Object.keys(json.exports)
      .filter((key) => key !== './package.json' && key !== './internal')
      .map((subpath) => ({ pkg, subpath }))
  })
}

it('no name means two different things across the public entries of the packages', () => {
  const all = entryExports(publicEntries())
  const seen = new Map<string, Map<string, string[]>>()
  for (const [entry, names] of Object.entries(all)) {
    for (const { name, origin } of names) {
      const origins = seen.get(name) ?? new Map<string, string[]>()
      origins.set(origin ?? 'unknown', [...(origins.get(origin ?? 'unknown') ?? []), `@turret/${entry}`])
      seen.set(name, origins)
    }
  }
  const clashes = [...seen]
    .filter(([, origins]) => origins.size > 1)
    .map(([name, origins]) => `${name}: ${[...origins.values()].map((entries) => entries.join(' + ')).join(' vs ')}`)
  expect(clashes).toEqual([])
})

it('the check tells a re-export from a second declaration', () => {
  const all = entryExports([
    { pkg: 'http', subpath: '.' },
    { pkg: 'http', subpath: './catch-panic' },
  ])
  const origin = (entry: string, name: string) => all[entry]?.find((e) => e.name === name)?.origin
  expect(origin('http', 'catchPanic')).toBeDefined()
  expect(origin('http', 'catchPanic')).toBe(origin('http/catch-panic', 'catchPanic'))
  expect(origin('http', 'catchPanic')).not.toBe(origin('http', 'cors'))
})

/**
 * turret reads no private state of fetch objects or streams it did not create (undici's symbol-keyed or
 * `#private` state, a Node stream's `kState`): such state changes between Node versions (Node 24's undici moved
 * it into private fields), so code that probes it behaves differently on each Node.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const packages = fileURLToPath(new URL('../packages/', import.meta.url))

function sources(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...sources(path))
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path)
  }
  return out
}

const PROBES = [
  /getOwnPropertySymbols/,
  /\bkState\b/,
  /description\s*===\s*['"](state|kState|headers list|kHeadersList)['"]/,
  /Symbol\.for\(['"]nodejs\.(stream|webstream)/,
]

describe('no private state', () => {
  it('no package source probes symbol-keyed or private state of objects it did not create', () => {
    const offenders: string[] = []
    for (const file of sources(packages)) {
      const text = readFileSync(file, 'utf8')
      for (const probe of PROBES) if (probe.test(text)) offenders.push(`${file.slice(packages.length)}: ${probe}`)
    }
    expect(offenders).toEqual([])
  })
})

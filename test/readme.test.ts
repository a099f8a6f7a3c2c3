/**
 * The README lists each package's root exports, values and types (issue #18): every name the root
 * (`packages/<pkg>/src/index.ts`, read with the TypeScript compiler API) exports is in its package's
 * "Root exports of `@turret/<pkg>`" paragraph under the right kind, and every name listed there is
 * exported. So a new export fails this test until it is documented, and a removed one until the
 * README forgets it.
 *
 * To add a package: put its name in `listed` and write its paragraph, in this shape:
 *
 *     **Root exports of `@turret/<pkg>`** — values: `a`, `b`; types: `C`, `D`.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { type RootExport, rootExports } from './root-exports'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** The packages whose root exports the README lists. */
const listed = ['core', 'http', 'lambda', 'fp', 'otel', 'dev'] as const

/** The names in a package's "Root exports" paragraph, by kind; `undefined` when there is no such paragraph. */
function readmeRootExports(text: string, pkg: string): { values: string[]; types: string[] } | undefined {
  const heading = `**Root exports of \`@turret/${pkg}\`**`
  const start = text.indexOf(heading)
  if (start < 0) return undefined
  const end = text.indexOf('\n\n', start)
  const paragraph = text.slice(start + heading.length, end < 0 ? undefined : end)
  const names = (part: string | undefined) =>
    [...(part ?? '').matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1] as string)
  const valuesAt = paragraph.indexOf('values:')
  const typesAt = paragraph.indexOf('types:')
  return {
    values: valuesAt < 0 ? [] : names(paragraph.slice(valuesAt, typesAt < 0 ? undefined : typesAt)),
    types: typesAt < 0 ? [] : names(paragraph.slice(typesAt)),
  }
}

/** What is wrong between a root's exports and the README's list of them (empty when they agree). */
function rootListProblems(exported: readonly RootExport[], list: { values: string[]; types: string[] }) {
  const kindOf = new Map(exported.map((e) => [e.name, e.kind]))
  const listedKind = new Map<string, RootExport['kind']>([
    ...list.values.map((name) => [name, 'value'] as const),
    ...list.types.map((name) => [name, 'type'] as const),
  ])
  return {
    undocumented: exported.filter((e) => !listedKind.has(e.name)).map((e) => `${e.kind} ${e.name}`),
    notExported: [...listedKind.keys()].filter((name) => !kindOf.has(name)),
    wrongKind: [...listedKind].filter(([name, kind]) => kindOf.has(name) && kindOf.get(name) !== kind).map(([n]) => n),
    listedTwice: [...list.values, ...list.types].filter((name, i, all) => all.indexOf(name) !== i),
  }
}

const noProblems = { undocumented: [], notExported: [], wrongKind: [], listedTwice: [] }

describe('the README lists every root export', () => {
  const roots = rootExports(listed)

  for (const pkg of listed) {
    it(`@turret/${pkg}: the README's root list and the root's exports agree (values and types)`, () => {
      const exported = roots[pkg] ?? []
      expect(exported.filter((e) => e.kind === 'value').length).toBeGreaterThan(4)
      const list = readmeRootExports(readme, pkg)
      expect(list, `README.md has no "**Root exports of \`@turret/${pkg}\`**" paragraph`).toBeDefined()
      expect(rootListProblems(exported, list ?? { values: [], types: [] })).toEqual(noProblems)
    })
  }

  it('the check fails for an undocumented export, a stale name and a name under the wrong kind', () => {
    const exported: RootExport[] = [
      { name: 'documented', kind: 'value' },
      { name: 'Added', kind: 'type' },
      { name: 'Both', kind: 'value' },
    ]
    const text =
      'x\n\n**Root exports of `@turret/demo`** — values: `documented`, `removed`; types: `Both`.\n\nrest `Added`'
    const list = readmeRootExports(text, 'demo')
    expect(list).toEqual({ values: ['documented', 'removed'], types: ['Both'] })
    expect(rootListProblems(exported, list as { values: string[]; types: string[] })).toEqual({
      undocumented: ['type Added'],
      notExported: ['removed'],
      wrongKind: ['Both'],
      listedTwice: [],
    })
    expect(readmeRootExports(text, 'other')).toBeUndefined()
  })
})

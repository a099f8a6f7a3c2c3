/**
 * The names a package's root (`packages/<pkg>/src/index.ts`) exports, values and types, read with the
 * TypeScript compiler API (`checker.getExportsOfModule`), as a user's editor sees them. Used by
 * test/readme.test.ts; `node --import tsx test/root-exports.ts [pkg…]` prints them with their counts.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = fileURLToPath(new URL('..', import.meta.url))

/** One root export: its name, and whether it is a value (function, class, constant) or a type only. */
export interface RootExport {
  readonly name: string
  readonly kind: 'value' | 'type'
  /** Where the exported thing is declared (`<file>:<position>`), so two entries exporting one thing can be told apart. */
  readonly origin?: string
}

/** The root exports of each of `packages`, sorted by name, from one program over their sources. */
export function rootExports(packages: readonly string[]): Record<string, RootExport[]> {
  return entryExports(packages.map((pkg) => ({ pkg, subpath: '.' })))
}

/** One entry of a package's `exports`: `.` or `./<name>`. */
export interface Entry {
  readonly pkg: string
  readonly subpath: string
}

/** The exports of each entry, keyed `<pkg>` for a root and `<pkg>/<name>` for a subpath. */
export function entryExports(entries: readonly Entry[]): Record<string, RootExport[]> {
  const files = entries.map(({ pkg, subpath }) =>
    join(root, 'packages', pkg, 'src', subpath === '.' ? 'index.ts' : `${subpath.slice(2)}/index.ts`),
  )
  const paths: Record<string, string[]> = {}
  for (const pkg of readdirSync(join(root, 'packages'))) {
    paths[`@turret/${pkg}`] = [`packages/${pkg}/src/index.ts`]
    paths[`@turret/${pkg}/*`] = [`packages/${pkg}/src/*/index.ts`]
  }
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: ['node'],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    baseUrl: root,
    paths,
  })
  const checker = program.getTypeChecker()
  const result: Record<string, RootExport[]> = {}
  entries.forEach(({ pkg, subpath }, i) => {
    const source = program.getSourceFile(files[i] as string)
    const module = source && checker.getSymbolAtLocation(source)
    if (!module) throw new Error(`cannot read the exports of ${files[i]}`)
    result[subpath === '.' ? pkg : `${pkg}/${subpath.slice(2)}`] = checker
      .getExportsOfModule(module)
      .map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
        const kind: RootExport['kind'] = target.flags & ts.SymbolFlags.Value ? 'value' : 'type'
        const declaration = target.declarations?.[0]
        const origin = declaration
          ? `${declaration.getSourceFile().fileName.slice(root.length)}:${declaration.getStart()}`
          : 'unknown'
        return { name: symbol.getName(), kind, origin }
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  })
  return result
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const asked = process.argv.slice(2)
  const all = rootExports(asked.length ? asked : ['core', 'http', 'lambda', 'fp', 'otel'])
  for (const [pkg, names] of Object.entries(all)) {
    const values = names.filter((e) => e.kind === 'value')
    const types = names.filter((e) => e.kind === 'type')
    console.log(`@turret/${pkg}: ${names.length} (${values.length} values, ${types.length} types)`)
    console.log(`  values: ${values.map((e) => e.name).join(', ')}`)
    console.log(`  types: ${types.map((e) => e.name).join(', ')}`)
  }
}

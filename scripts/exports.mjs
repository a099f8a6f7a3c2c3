// Each package's public entry points are the explicit list in its package.json `exports`: `.` and one
// `./<name>` per subpath, whose sources are src/index.ts and src/<name>/index.ts. This script checks
// (with --check) or rewrites (without) the conditions of every listed entry into the one shape we ship
// (import/require, types first), and that each listed entry has its source file. It never adds or
// removes an entry: a folder under src/ is not public until it is listed by hand.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const check = process.argv.includes('--check')

function entry(base) {
  return {
    import: { types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` },
    require: { types: `./dist/${base}.d.cts`, default: `./dist/${base}.cjs` },
  }
}

/** The subpaths a package lists (`.` first), as `{ subpath, source }` relative to the package. */
export function listedEntries(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  return Object.keys(pkg.exports ?? {})
    .filter((key) => key !== './package.json')
    .map((key) =>
      key === '.' ? { subpath: '.', source: 'src/index.ts' } : { subpath: key, source: `src/${key.slice(2)}/index.ts` },
    )
}

export function expectedExports(dir) {
  const exports = {}
  for (const { subpath } of listedEntries(dir))
    exports[subpath] = entry(subpath === '.' ? 'index' : `${subpath.slice(2)}/index`)
  exports['./package.json'] = './package.json'
  return exports
}

let stale = 0
for (const name of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', name)
  const file = join(dir, 'package.json')
  const pkg = JSON.parse(readFileSync(file, 'utf8'))
  for (const { subpath, source } of listedEntries(dir)) {
    if (!existsSync(join(dir, source))) {
      console.error(`${pkg.name}: exports lists ${subpath}, but ${source} does not exist`)
      stale++
    }
  }
  const want = expectedExports(dir)
  if (JSON.stringify(pkg.exports) === JSON.stringify(want)) continue
  if (check) {
    console.error(`${pkg.name}: exports conditions are not in the shipped shape (run node scripts/exports.mjs)`)
    stale++
  } else {
    pkg.exports = want
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`)
  }
}
process.exit(stale ? 1 : 0)

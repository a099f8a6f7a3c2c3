// Writes (or with --check, verifies) each package's `exports` map from its
// src/ folders: the root entry plus one subpath per `src/<name>/index.ts`.
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

export function expectedExports(dir) {
  const src = join(dir, 'src')
  const exports = { '.': entry('index') }
  for (const name of readdirSync(src).sort()) {
    if (existsSync(join(src, name, 'index.ts'))) exports[`./${name}`] = entry(`${name}/index`)
  }
  exports['./package.json'] = './package.json'
  return exports
}

let stale = 0
for (const name of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', name)
  const file = join(dir, 'package.json')
  const pkg = JSON.parse(readFileSync(file, 'utf8'))
  const want = expectedExports(dir)
  if (JSON.stringify(pkg.exports) === JSON.stringify(want)) continue
  if (check) {
    console.error(`${pkg.name}: exports map is out of date (run node scripts/exports.mjs)`)
    stale++
  } else {
    pkg.exports = want
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`)
  }
}
process.exit(stale ? 1 : 0)

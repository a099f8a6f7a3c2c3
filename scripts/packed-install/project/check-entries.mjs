// Runs inside the packed-install project (plain Node: no tsx, vitest or bundler). Loads every
// exports-map entry of every installed @turret package with import() and with require(), checks that
// both give the same named exports, and that every `types` file the map names exists.
// Prints one line per failure and exits 1 when there is any.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(join(process.cwd(), 'package.json'))
const root = join(process.cwd(), 'node_modules', '@turret')
const failures = []
let entries = 0

const first = (error) => `${error?.code ?? error?.name ?? 'Error'}: ${String(error?.message ?? error).split('\n')[0]}`
const names = (mod) =>
  Object.keys(mod)
    .filter((k) => k !== 'default' && k !== 'module.exports' && k !== '__esModule')
    .sort()

for (const dir of readdirSync(root).sort()) {
  const pkgDir = join(root, dir)
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
  for (const [key, target] of Object.entries(pkg.exports ?? {})) {
    if (key === './package.json') continue
    entries++
    const spec = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`
    for (const cond of ['import', 'require']) {
      const types = target?.[cond]?.types
      if (!types || !existsSync(join(pkgDir, types))) failures.push(`${spec}: "${cond}" types file missing (${types})`)
    }
    let esm
    let cjs
    try {
      esm = await import(spec)
    } catch (error) {
      failures.push(`import('${spec}') threw ${first(error)}`)
    }
    try {
      cjs = require(spec)
    } catch (error) {
      failures.push(`require('${spec}') threw ${first(error)}`)
    }
    if (esm && cjs && names(esm).join() !== names(cjs).join()) {
      failures.push(`${spec}: import() and require() export different names`)
    }
    if (esm && names(esm).length === 0) failures.push(`${spec}: exports nothing`)
  }
}

if (entries === 0) failures.push('no @turret entries found in node_modules/@turret')
for (const line of failures) console.error(`  ${line}`)
if (failures.length > 0) {
  console.error(`${failures.length} failure(s) loading ${entries} exports-map entries`)
  process.exit(1)
}
console.log(`${entries} exports-map entries load with import() and require() on node ${process.version}`)

// Checks one packed tarball: it holds package.json, README.md, LICENSE (MIT) and dist/ (with source maps),
// nothing else; its package.json has no `workspace:` range and carries the metadata an npm
// page needs. Prints one line per problem and exits 1 when there is any.
// Usage: node check-tarball.mjs path/to/pkg.tgz
import { execFileSync } from 'node:child_process'
import { basename } from 'node:path'

const tgz = process.argv[2]
if (!tgz) throw new Error('usage: node check-tarball.mjs <tarball>')
const tar = (mode, ...members) =>
  execFileSync('tar', [mode, '-f', tgz, ...members], { encoding: 'utf8', maxBuffer: 64 << 20 })
const files = tar('-tz')
  .split('\n')
  .filter((line) => line && !line.endsWith('/'))
  .map((line) => line.replace(/^package\//, ''))
const problems = []

const required = ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts']
required.push('dist/index.d.cts', 'dist/index.js.map', 'dist/index.cjs.map')
for (const file of required) if (!files.includes(file)) problems.push(`missing ${file}`)
const extra = files.filter((f) => !['package.json', 'README.md', 'LICENSE'].includes(f) && !f.startsWith('dist/'))
if (extra.length > 0) problems.push(`unexpected files: ${extra.join(', ')}`)

if (files.includes('LICENSE') && !tar('-xzO', 'package/LICENSE').startsWith('MIT License')) {
  problems.push('LICENSE is not the MIT license')
}
const text = tar('-xzO', 'package/package.json')
if (text.includes('"workspace:')) problems.push('package.json still has a workspace: range')
const pkg = JSON.parse(text)
if (pkg.license !== 'MIT') problems.push('package.json: license is not MIT')
if (!pkg.repository?.url || !pkg.repository?.directory) problems.push('package.json: no repository url and directory')
if (!pkg.homepage) problems.push('package.json: no homepage')
if (!pkg.bugs?.url) problems.push('package.json: no bugs url')
if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0) problems.push('package.json: no keywords')
if (pkg.engines?.node !== '>=20') problems.push(`package.json: engines.node is ${pkg.engines?.node}, not >=20`)
if (JSON.stringify(pkg.files) !== '["dist"]') problems.push('package.json: files is not ["dist"]')
for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
  if (name.startsWith('@turret/') && range !== pkg.version) problems.push(`${name} is ${range}, not ${pkg.version}`)
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`${basename(tgz)}: ${problem}`)
  process.exit(1)
}

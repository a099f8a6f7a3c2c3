import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ServiceBuilder } from '@turret/core'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const packages = readdirSync(join(root, 'packages'))

function entries(pkg: string): string[] {
  const json = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'))
  return Object.keys(json.exports)
    .filter((k) => k !== './package.json')
    .map((k) => (k === '.' ? `@turret/${pkg}` : `@turret/${pkg}/${k.slice(2)}`))
}

describe('packages', () => {
  it('every package is side-effect free, ESM, with types first in each export', () => {
    for (const pkg of packages) {
      const json = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'))
      expect(json.sideEffects, pkg).toBe(false)
      expect(json.type, pkg).toBe('module')
      for (const [path, target] of Object.entries<Record<string, Record<string, string>> | string>(json.exports)) {
        if (typeof target === 'string') continue
        for (const cond of Object.values(target)) expect(Object.keys(cond)[0], `${pkg} ${path}`).toBe('types')
      }
    }
  })

  it('exports maps are explicit lists whose every entry has its source and the shipped shape', () => {
    expect(() => execFileSync('node', [join(root, 'scripts/exports.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow()
  })

  it('packages depend one way: core ← http ← lambda ← dev; fp → core; core adds no runtime dependency', () => {
    const deps = (pkg: string) =>
      Object.keys(JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')).dependencies ?? {})
    expect(deps('core')).toEqual([])
    expect(deps('http')).toEqual(['@turret/core'])
    // @types/aws-lambda: lambda's .d.ts files import 'aws-lambda' (types only, no runtime code).
    expect(deps('lambda').sort()).toEqual(['@turret/core', '@turret/http', '@types/aws-lambda'])
    expect(deps('fp')).toEqual(['@turret/core'])
  })

  it("nothing is named 'then': no entry point is a thenable, and neither is a builder", async () => {
    for (const pkg of packages) {
      for (const entry of entries(pkg)) {
        const mod = (await import(entry)) as Record<string, unknown>
        expect(Object.keys(mod), entry).not.toContain('then')
      }
    }
    const builder = new ServiceBuilder()
    expect('then' in builder).toBe(false)
    expect(Object.getOwnPropertyNames(ServiceBuilder.prototype)).not.toContain('then')
  })

  it('built dist entries import with await import() and are not thenables (when built)', async () => {
    for (const pkg of packages) {
      const dist = join(root, 'packages', pkg, 'dist', 'index.js')
      if (!existsSync(dist)) continue
      const mod = (await import(dist)) as Record<string, unknown>
      expect('then' in mod, pkg).toBe(false)
    }
  })

  it('every package ships what an npm page needs: README, the root LICENSE, repository, homepage, bugs, keywords', () => {
    const license = readFileSync(join(root, 'LICENSE'), 'utf8')
    expect(license.startsWith('MIT License')).toBe(true)
    const engines = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node
    for (const pkg of packages) {
      const dir = join(root, 'packages', pkg)
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8'), `${pkg}/LICENSE`).toBe(license)
      const readme = readFileSync(join(dir, 'README.md'), 'utf8')
      expect(readme, `${pkg}/README.md`).toContain(`# @turret/${pkg}`)
      expect(readme, `${pkg}/README.md`).toMatch(new RegExp(`npm i (-D )?(@turret/\\w+ )*@turret/${pkg}\\b`))
      expect(json, pkg).toMatchObject({
        license: 'MIT',
        repository: { type: 'git', directory: `packages/${pkg}` },
        engines: { node: engines },
        files: ['dist'],
      })
      expect(json.homepage, pkg).toMatch(/^https:\/\//)
      expect(json.bugs.url, pkg).toMatch(/^https:\/\//)
      expect(json.keywords.length, pkg).toBeGreaterThan(0)
    }
  })
})

/**
 * The README's middleware section names every function and class that `@turret/core`,
 * `@turret/http`, `@turret/lambda` and `@turret/otel` export, so nothing new goes undocumented there.
 */
import { readFileSync } from 'node:fs'
import * as core from '@turret/core'
import * as http from '@turret/http'
import * as lambda from '@turret/lambda'
import * as otel from '@turret/otel'
import { describe, expect, it } from 'vitest'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const section = readme.slice(readme.indexOf('## Middleware'), readme.indexOf('## Examples'))

describe('README middleware tables', () => {
  it('has a middleware section', () => {
    expect(section.length).toBeGreaterThan(1000)
  })

  for (const [name, mod] of Object.entries({ core, http, lambda, otel })) {
    it(`names every function and class @turret/${name} exports`, () => {
      const exported = Object.entries(mod as Record<string, unknown>)
        .filter(([, value]) => typeof value === 'function')
        .map(([key]) => key)
      expect(exported.length).toBeGreaterThan(name === 'otel' ? 4 : 10)
      const missing = exported.filter((key) => !new RegExp(`\`[^\`]*\\b${key}\\b[^\`]*\``).test(section))
      expect(missing).toEqual([])
    })
  }
})

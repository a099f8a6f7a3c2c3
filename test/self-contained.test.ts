/**
 * The repository stands on its own: no committed file names this checkout's absolute path or a folder beside
 * the repository (`../shared`), which a user's clone does not have.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

describe('self-contained repository', () => {
  it('no tracked file names the checkout`s absolute path or ../shared', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean)
    expect(files.length).toBeGreaterThan(100)
    const offenders: string[] = []
    for (const file of files) {
      if (file === 'pnpm-lock.yaml' || file === 'test/self-contained.test.ts') continue
      let text: string
      try {
        text = readFileSync(`${root}${file}`, 'utf8')
      } catch {
        continue // deleted in the working tree
      }
      if (text.includes(root) || text.includes(root.slice(0, -1))) offenders.push(`${file}: ${root}`)
      if (/\.\.\/shared\b/.test(text)) offenders.push(`${file}: ../shared`)
    }
    expect(offenders).toEqual([])
  })
})

/**
 * The repository stands on its own: no committed file names this checkout's absolute path or the reference
 * folder that sits beside the repository on the machines it was written on, which a user's clone does not have.
 * The folder's relative path is assembled below, so this file passes its own check.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
/** The sibling folder's relative path, assembled so that this file does not name it. */
const sibling = ['..', 'shared'].join('/')
const siblingPattern = new RegExp(`${sibling.replace(/[.]/g, '\\.')}\\b`)

describe('self-contained repository', () => {
  it('no tracked file names the checkout`s absolute path or the folder beside it', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean)
    expect(files.length).toBeGreaterThan(100)
    const offenders: string[] = []
    for (const file of files) {
      if (file === 'pnpm-lock.yaml') continue
      let text: string
      try {
        text = readFileSync(`${root}${file}`, 'utf8')
      } catch {
        continue // deleted in the working tree
      }
      if (text.includes(root) || text.includes(root.slice(0, -1))) offenders.push(`${file}: ${root}`)
      if (siblingPattern.test(text)) offenders.push(`${file}: ${sibling}`)
    }
    expect(offenders).toEqual([])
  })

  it('the sibling pattern finds the folder named in prose and in a path, and not a look-alike', () => {
    expect(siblingPattern.test(`read ${sibling}/DESIGN.md`)).toBe(true)
    expect(siblingPattern.test(`(${sibling})`)).toBe(true)
    expect(siblingPattern.test(`${sibling}d-cache`)).toBe(false)
    expect(siblingPattern.test('packages/shared')).toBe(false)
  })
})

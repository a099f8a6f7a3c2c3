/**
 * No source or test file in packages/ is over 400 lines unless it says why at its top: a `Size:` comment in
 * its first 5 lines (issue #18). Long files mix jobs; a reader should find one job per file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const MAX_LINES = 400
const packages = fileURLToPath(new URL('../packages/', import.meta.url))

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...tsFiles(path))
    else if (entry.isFile() && entry.name.endsWith('.ts')) out.push(path)
  }
  return out
}

/** Every .ts file under packages/<pkg>/src and packages/<pkg>/test, relative to packages/. */
function sources(): string[] {
  return readdirSync(packages)
    .flatMap((pkg) => [...tsFiles(join(packages, pkg, 'src')), ...tsFiles(join(packages, pkg, 'test'))])
    .map((path) => path.slice(packages.length))
}

/** Lines as `wc -l` counts them for a file that ends with a newline. */
function lineCount(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length
}

/** Whether one of the first 5 lines is a comment giving a reason: `// Size: …` or ` * Size: …`. */
function statesSize(text: string): boolean {
  return text.split('\n', 5).some((line) => /^\s*(\/\/|\/\*\*?|\*)\s*Size:\s*\S/.test(line))
}

it('finds the package sources', () => {
  const files = sources()
  expect(files).toContain('core/src/builder.ts')
  expect(files).toContain('http/src/serve/index.ts')
})

it(`no .ts file in packages/*/src or packages/*/test is over ${MAX_LINES} lines without a Size: reason at its top`, () => {
  const offenders = sources().flatMap((file) => {
    const text = readFileSync(join(packages, file), 'utf8')
    const lines = lineCount(text)
    return lines > MAX_LINES && !statesSize(text) ? [`${file}: ${lines} lines`] : []
  })
  expect(offenders, 'split these by job, or say why at the top (`// Size: …` in the first 5 lines)').toEqual([])
})

it('recognises a reason only as a comment in the first 5 lines', () => {
  expect(statesSize('// Size: one table of fixtures\nx')).toBe(true)
  expect(statesSize('/**\n * Size: one job, long state machine\n */')).toBe(true)
  expect(statesSize('a\nb\nc\nd\ne\n// Size: too late')).toBe(false)
  expect(statesSize('const Size = 1')).toBe(false)
  expect(statesSize('// Size:')).toBe(false)
})

import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tsxLoader } from '../src/internal/paths'
import { conformance } from './conformance'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
/** The repo root: tsx resolves `@turret/*` to the packages' sources through its tsconfig paths (no build needed). */
const repo = fileURLToPath(new URL('../../../', import.meta.url))
const tsx = (file: string, ...args: string[]) => [
  process.execPath,
  '--import',
  tsxLoader(),
  join(fixtures, file),
  ...args,
]

conformance('@turret/lambda run()', () => ({
  command: tsx('conformance-run.ts'),
  initErrorCommand: tsx('conformance-run.ts', 'init-error'),
  cwd: repo,
}))

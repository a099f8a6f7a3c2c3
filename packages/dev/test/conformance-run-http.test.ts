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

conformance('@turret/lambda runHttp() (API Gateway v2 events)', () => ({
  command: tsx('conformance-http.ts'),
  initErrorCommand: tsx('conformance-http.ts', 'init-error'),
  cwd: repo,
  codec: 'http',
}))

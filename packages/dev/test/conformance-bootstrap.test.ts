import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bootstrapCommand } from '../src/internal/paths'
import { conformance } from './conformance'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))

conformance('turret bootstrap (managed-runtime handler module, used by turret dev)', () => ({
  command: bootstrapCommand(join(fixtures, 'conformance-handler.mjs')),
  initErrorCommand: bootstrapCommand(join(fixtures, 'conformance-init-error.mjs')),
}))

import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base.ts'

const base = packageBuild(process.cwd())

// Besides the library entries: the `turret` bin (dist/cli.js) and the runtime bootstrap the emulator
// spawns for `turret dev` (dist/bootstrap.js). `shims` gives the CJS build an `import.meta.url`.
export default defineConfig({
  ...base,
  entry: {
    ...(base.entry as Record<string, string>),
    cli: 'src/cli/bin.ts',
    bootstrap: 'src/bootstrap/runtime.ts',
  },
  shims: true,
})

import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** The `@turret/dev` package directory (works from `src/` through tsx and from `dist/`, chunks included). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const file = join(dir, 'package.json')
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === '@turret/dev')
      return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error('@turret/dev: cannot find the package directory')
    dir = parent
  }
}

/** Whether this code runs from TypeScript sources (tests, `node --import tsx src/cli/bin.ts`). */
export function fromSource(): boolean {
  return import.meta.url.endsWith('.ts')
}

/** The file URL of tsx's loader, for `node --import`. */
export function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
}

/**
 * The command that runs a handler module under turret's runtime bootstrap, as a child process of
 * the emulator: `node --import tsx <bootstrap> <module> <export>` (tsx loads TypeScript handlers).
 */
export function bootstrapCommand(modulePath: string, exportName = 'handler'): string[] {
  const root = packageRoot()
  const bootstrap = fromSource() ? join(root, 'src', 'bootstrap', 'runtime.ts') : join(root, 'dist', 'bootstrap.js')
  return [process.execPath, '--import', tsxLoader(), bootstrap, modulePath, exportName]
}

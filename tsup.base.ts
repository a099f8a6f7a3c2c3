import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Options } from 'tsup'

/**
 * The tsup options every package builds with: its root entry plus one entry per
 * `src/<name>/index.ts` folder (each becomes the `./<name>` subpath export),
 * as ESM + CJS + d.ts.
 */
export function packageBuild(dir: string, extra: Partial<Options> = {}): Options {
  const src = join(dir, 'src')
  const entry: Record<string, string> = { index: 'src/index.ts' }
  for (const name of readdirSync(src)) {
    if (existsSync(join(src, name, 'index.ts'))) entry[`${name}/index`] = `src/${name}/index.ts`
  }
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    // Source maps carry the TypeScript sources (sourcesContent), so stack traces (--enable-source-maps) and
    // debuggers show src/ lines without shipping src/. No declaration maps: the d.ts files are rolled up per
    // entry by tsup, which cannot emit maps for them, and maps would point into src/, which is not shipped.
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: true,
    ...extra,
  }
}

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Options } from 'tsup'

/**
 * The tsup options every package builds with: one entry per subpath its package.json `exports` lists
 * (`.` is src/index.ts, `./<name>` is src/<name>/index.ts), as ESM + CJS + d.ts. The exports list is
 * written by hand: a folder under src/ is public only when it is listed there.
 */
export function packageBuild(dir: string, extra: Partial<Options> = {}): Options {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }
  const entry: Record<string, string> = {}
  for (const key of Object.keys(pkg.exports)) {
    if (key === '.') entry.index = 'src/index.ts'
    else if (key !== './package.json') entry[`${key.slice(2)}/index`] = `src/${key.slice(2)}/index.ts`
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

import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { expect, it } from 'vitest'

const src = fileURLToPath(new URL('.', import.meta.url))

/** The middleware modules whose code a stack carries only when it uses them. */
const middleware = ['buffer/', 'limit/', 'load-shed/', 'retry/', 'timeout/']

/**
 * Bundles `code` (importing `@turret/core` from its sources) as a user's bundler would: esbuild --bundle
 * --minify, honouring the package's `"sideEffects": false`. Returns the bundle and the source modules
 * that put bytes in it.
 */
async function bundle(code: string): Promise<{ text: string; modules: string[] }> {
  const result = await build({
    stdin: { contents: code, resolveDir: src, loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    alias: { '@turret/core': `${src}index.ts` },
  })
  const output = Object.values(result.metafile.outputs)[0]
  const modules = Object.entries(output?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path.slice(path.lastIndexOf('src/') + 4))
  return { text: result.outputFiles[0]?.text ?? '', modules }
}

it('a builder-only stack bundles no middleware it does not use', async () => {
  const { text, modules } = await bundle(`import { ServiceBuilder, serviceFn } from '@turret/core'
export const svc = new ServiceBuilder().mapRequest((s) => Number(s)).service(serviceFn(async (n) => n * 2))`)
  expect(modules).toContain('builder.ts')
  expect(modules.filter((m) => middleware.some((dir) => m.startsWith(dir)))).toEqual([])
  for (const name of ['OverloadedError', 'TimeoutError', 'concurrencyLimit', 'rateLimit', 'buffer', 'retry']) {
    expect(text).not.toContain(`"${name}"`)
  }
})

it('a builder with one middleware bundles that middleware only', async () => {
  const { text, modules } = await bundle(`import { ServiceBuilder, serviceFn, timeout } from '@turret/core'
export const svc = new ServiceBuilder().layer(timeout(1_000)).service(serviceFn(async (n) => n * 2))`)
  expect(modules).toContain('timeout/index.ts')
  expect(modules.filter((m) => middleware.some((dir) => m.startsWith(dir)))).toEqual(['timeout/index.ts'])
  expect(text).toContain('"TimeoutError"')
  expect(text).not.toContain('"OverloadedError"')
})

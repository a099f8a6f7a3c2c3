import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('.', import.meta.url))

/**
 * In the repo, each entry a package's `exports` lists (`@turret/<pkg>` and `@turret/<pkg>/<sub>`) resolves to
 * its source, so tests need no build. Only listed entries resolve, as for a user of the published package.
 */
export const sourceAliases = readdirSync(`${root}packages`).flatMap((pkg) => {
  const json = JSON.parse(readFileSync(`${root}packages/${pkg}/package.json`, 'utf8')) as {
    exports: Record<string, unknown>
  }
  return Object.keys(json.exports)
    .filter((key) => key !== './package.json')
    .map((key) => ({
      find: new RegExp(`^@turret/${pkg}${key === '.' ? '' : `/${key.slice(2)}`}$`),
      replacement: `${root}packages/${pkg}/src/${key === '.' ? '' : `${key.slice(2)}/`}index.ts`,
    }))
})

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    projects: [
      ...['core', 'http', 'lambda', 'dev', 'fp', 'otel'].map((name) => ({
        extends: true as const,
        test: { name, root: `${root}packages/${name}`, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
      })),
      {
        extends: true as const,
        test: { name: 'repo', root, include: ['test/**/*.test.ts'] },
      },
      ...['hono-on-lambda', 'sqs-worker', 'custom-runtime', 'streaming', 'router-api', 'otel'].map((name) => ({
        extends: true as const,
        test: {
          name: `example-${name}`,
          root: `${root}examples/${name}`,
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      })),
    ],
    typecheck: { enabled: false },
    // CI (.ci/run) also writes a JSON report, from which it prints the final "N passed, N failed" line.
    ...(process.env.TURRET_TEST_REPORT
      ? { reporters: ['default', 'json'], outputFile: { json: process.env.TURRET_TEST_REPORT } }
      : {}),
  },
})

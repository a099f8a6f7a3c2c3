import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('.', import.meta.url))

/** In the repo, `@turret/<pkg>[/<sub>]` resolves to the package's source, so tests need no build. */
export const sourceAliases = [
  { find: /^@turret\/([a-z]+)$/, replacement: `${root}packages/$1/src/index.ts` },
  { find: /^@turret\/([a-z]+)\/([a-z-]+)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
]

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

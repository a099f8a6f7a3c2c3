import { existsSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { conformance } from './conformance'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
const ric = realpathSync(fileURLToPath(new URL('../node_modules/aws-lambda-ric/', import.meta.url)))
/**
 * aws-lambda-ric needs its native addon (dist/rapid-client.node), built from bundled curl + aws-lambda-cpp
 * sources (cmake, autotools, node-gyp). `pnpm install` does not run that build (allowBuilds: false); run
 * `pnpm --filter @turret/dev build:ric` once. Where the addon is missing, the suite is skipped.
 */
const built = existsSync(join(ric, 'dist', 'rapid-client.node'))
if (!built)
  console.warn(
    `aws-lambda-ric conformance skipped: ${join(ric, 'dist', 'rapid-client.node')} was not built (run: pnpm --filter @turret/dev build:ric)`,
  )

const command = (handler: string) => [process.execPath, join(ric, 'bin', 'index.mjs'), handler]

conformance(
  "AWS's aws-lambda-ric (official Node.js runtime interface client)",
  () => ({
    command: command('conformance-handler.handler'),
    initErrorCommand: command('conformance-init-error.handler'),
    cwd: fixtures,
    env: { LAMBDA_TASK_ROOT: fixtures, _HANDLER: 'conformance-handler.handler' },
  }),
  built,
)

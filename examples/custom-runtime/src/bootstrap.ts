/**
 * The custom runtime's entry: the Runtime API loop (`run()`) around the service. esbuild bundles it
 * into `dist/bootstrap.mjs`, which the `bootstrap` shell script starts on provided.al2023.
 * @module
 */
import { run } from '@turret/lambda'
import { service } from './service'

await run(service)

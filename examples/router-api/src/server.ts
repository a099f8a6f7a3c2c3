/**
 * The same router on a plain node:http server: `pnpm start` (PORT defaults to 3000).
 * @module
 */
import { serve } from '@turret/http'
import { makeApp } from './app'

const server = await serve(makeApp({ logger: console }), {
  port: Number(process.env.PORT ?? 3000),
  hostname: process.env.HOST ?? '127.0.0.1',
})
console.log(`router-api: listening on ${server.url} — try: curl ${server.url}/items`)

const stop = () => void server.close().then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)

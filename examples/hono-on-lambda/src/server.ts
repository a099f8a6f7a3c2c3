/**
 * The same service on a plain node:http server: `pnpm start` (PORT defaults to 3000).
 * @module
 */
import { serve } from '@turret/http'
import { makeService } from './service'

const server = await serve(makeService({ logger: console }), {
  port: Number(process.env.PORT ?? 3000),
  hostname: process.env.HOST ?? '127.0.0.1',
})
console.log(`hono-on-lambda: listening on ${server.url} — try: curl ${server.url}/`)

const stop = () => void server.close().then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)

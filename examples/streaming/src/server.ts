/**
 * The SSE app on node: `pnpm start`, then open http://localhost:3002/ or
 * `curl -N 'http://localhost:3002/ticks?count=5'`.
 * @module
 */
import { serve } from '@turret/http'
import { app } from './app'

const server = await serve(app, { port: Number(process.env.PORT ?? 3002), hostname: '127.0.0.1' })
console.log(`streaming: open ${server.url}/ or run: curl -N '${server.url}/ticks?count=5'`)
const stop = () => void server.close().then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)

/**
 * The same app on node: `pnpm start`, then `curl -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' http://127.0.0.1:3003/orders/7`
 * and watch the spans printed by the console exporter.
 * @module
 */
import { serve } from '@turret/http'
import { app } from './app'
import { setupTelemetry } from './telemetry'

const provider = setupTelemetry()
const server = await serve(app, { port: Number(process.env.PORT ?? 3003), hostname: '127.0.0.1' })
console.log(`otel: curl ${server.url}/orders/7`)
const stop = () => void server.close().then(() => provider.shutdown().then(() => process.exit(0)))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)

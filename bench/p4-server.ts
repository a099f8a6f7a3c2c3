/**
 * A hello-world HTTP server for P4/P4b, run in its own process; prints its port.
 * `p4-server.ts <turret|turret-response|turret-hono|node|hono>`. turret runs with its defaults
 * (`overrideGlobalObjects` on: its lightweight Request/Response are the globals, as with @hono/node-server).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve as honoServe } from '@hono/node-server'
import { serviceFn } from '@turret/core'
import { fromFetch, serve, text } from '@turret/http'
import { Hono } from 'hono'

const kind = process.argv[2]
const hello = 'hello world'

if (kind === 'turret') {
  // turret's idiomatic hello world (as Hono's uses c.text)
  const server = await serve(
    serviceFn(() => text(hello)),
    { port: 0, hostname: '127.0.0.1' },
  )
  process.stdout.write(`${new URL(server.url).port}\n`)
} else if (kind === 'turret-response') {
  // the same server answering with `new Response()` (turret's lightweight Response, the global under serve())
  const server = await serve(
    serviceFn(() => new Response(hello, { headers: { 'content-type': 'text/plain' } })),
    { port: 0, hostname: '127.0.0.1' },
  )
  process.stdout.write(`${new URL(server.url).port}\n`)
} else if (kind === 'turret-hono') {
  // P4b: the same Hono app as `hono` below, behind fromFetch under turret's serve()
  const server = await serve(fromFetch(honoApp()), { port: 0, hostname: '127.0.0.1' })
  process.stdout.write(`${new URL(server.url).port}\n`)
} else if (kind === 'node') {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end(hello)
  })
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`))
} else if (kind === 'hono') {
  const server = honoServe({ fetch: honoApp().fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    process.stdout.write(`${info.port}\n`),
  )
  void server
} else {
  console.error(`unknown server kind ${kind}`)
  process.exit(2)
}

/** The Hono app of P4 and P4b: one hello route answering `c.text()`. */
function honoApp(): Hono {
  const app = new Hono()
  app.get('/', (c) => c.text(hello))
  return app
}

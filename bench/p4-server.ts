/** A hello-world HTTP server for P4, run in its own process: `p4-server.ts <turret|turret-response|node|hono>`; prints its port. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve as honoServe } from '@hono/node-server'
import { serviceFn } from '@turret/core'
import { serve, text } from '@turret/http'
import { Hono } from 'hono'

const kind = process.argv[2]
const hello = 'hello world'

if (kind === 'turret') {
  // turret's idiomatic hello world (as Hono's uses c.text): a lazy Response that serve() writes directly
  const server = await serve(
    serviceFn(() => text(hello)),
    { port: 0, hostname: '127.0.0.1' },
  )
  process.stdout.write(`${new URL(server.url).port}\n`)
} else if (kind === 'turret-response') {
  // the same server answering with an ordinary undici Response
  const server = await serve(
    serviceFn(() => new Response(hello, { headers: { 'content-type': 'text/plain' } })),
    { port: 0, hostname: '127.0.0.1' },
  )
  process.stdout.write(`${new URL(server.url).port}\n`)
} else if (kind === 'node') {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end(hello)
  })
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`))
} else if (kind === 'hono') {
  const app = new Hono()
  app.get('/', (c) => c.text(hello))
  const server = honoServe({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    process.stdout.write(`${info.port}\n`),
  )
  void server
} else {
  console.error(`unknown server kind ${kind}`)
  process.exit(2)
}

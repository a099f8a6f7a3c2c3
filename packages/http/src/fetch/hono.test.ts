import { ServiceBuilder } from '@turret/core'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { extensions, key } from '../extensions/index'
import { type Server, serve } from '../serve/index'
import { fromFetch, toFetch } from './index'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const userKey = key<string>('user')

describe('a Hono app wrapped with turret layers', () => {
  it('is served with serve() and called with fetch over loopback', async () => {
    const app = new Hono()
    app.get('/hello/:name', (c) => c.json({ hello: c.req.param('name'), user: extensions(c.req.raw).get(userKey) }))
    app.post('/echo', async (c) => c.text(await c.req.text()))
    app.get('/boom', () => {
      throw new Error('handler failed')
    })

    // A hand-written layer that adds an extension and a response header, around the app.
    const stamp = (inner: ReturnType<typeof fromFetch>) => ({
      layerName: 'stamp',
      inner,
      ready: () => inner.ready(),
      async call(req: Request) {
        extensions(req).set(userKey, 'ada')
        const res = await inner.call(req)
        const out = new Response(res.body, res)
        out.headers.set('x-turret', 'yes')
        return out
      },
    })
    const svc = new ServiceBuilder<Request, Response>().layer(stamp).service(fromFetch(app))
    const server = await serve(svc, { port: 0, hostname: '127.0.0.1', onError: () => {} })
    servers.push(server)

    const res = await fetch(`${server.url}/hello/world`)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-turret')).toBe('yes')
    expect(await res.json()).toEqual({ hello: 'world', user: 'ada' })

    const echo = await fetch(`${server.url}/echo`, { method: 'POST', body: 'ping' })
    expect(await echo.text()).toBe('ping')

    // Hono's own error handler answers 500 for a throwing route.
    expect((await fetch(`${server.url}/boom`)).status).toBe(500)
    expect((await fetch(`${server.url}/missing`)).status).toBe(404)
  })

  it('round-trips through toFetch back into Hono', async () => {
    const inner = new Hono().get('/', (c) => c.text('inner'))
    const outer = new Hono()
    const handler = toFetch(fromFetch(inner))
    outer.mount('/api', handler)
    const res = await outer.request('/api/')
    expect(await res.text()).toBe('inner')
  })
})

import { oneshot, type Ready, serviceFn } from '@turret/core'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { extensions, key } from '../extensions/index'
import { fromFetch } from '../fetch/index'
import { normalizePath } from '../normalize-path/index'
import { text } from '../respond/index'
import type { HttpLayer, HttpService } from '../types'
import { del, get, originalUrl, pathParams, RouteConflictError, router } from './index'
import { InvalidRouteError } from './path'

const req = (path: string, init?: RequestInit) => new Request(`http://x${path}`, init)
const call = async (svc: HttpService, path: string, init?: RequestInit) => {
  const res = await oneshot(svc, req(path, init))
  return { status: res.status, body: await res.text(), headers: res.headers }
}

/** A layer that tags responses, to see which layers ran. */
function tag(name: string): HttpLayer {
  return (inner) => ({
    ready: (signal?: AbortSignal) => inner.ready(signal),
    call: async (r: Request) => {
      const res = await inner.call(r)
      const out = new Response(res.body, res)
      out.headers.append('x-tag', name)
      return out
    },
  })
}

describe('router: routes', () => {
  it('routes by path and method, with shorthands and method helpers', async () => {
    const app = router()
      .get('/', () => text('home'))
      .route(
        '/items',
        get(() => text('list')).post(() => text('created', { status: 201 })),
      )
      .route(
        '/items/:id',
        get((_req, { id }) => text(`item ${id}`)).delete((_req, { id }) => text(`gone ${id}`)),
      )
      .put('/items/:id', (_req, { id }) => text(`put ${id}`))
    expect(await call(app, '/')).toMatchObject({ status: 200, body: 'home' })
    expect(await call(app, '/items')).toMatchObject({ body: 'list' })
    expect(await call(app, '/items', { method: 'POST' })).toMatchObject({ status: 201, body: 'created' })
    expect(await call(app, '/items/7?x=1')).toMatchObject({ body: 'item 7' })
    expect(await call(app, '/items/7', { method: 'DELETE' })).toMatchObject({ body: 'gone 7' })
    expect(await call(app, '/items/7', { method: 'PUT' })).toMatchObject({ body: 'put 7' })
  })

  it('takes services as handlers; they read pathParams(req)', async () => {
    const show = serviceFn((r: Request) => text(`user ${pathParams<'/users/:id'>(r).id}`))
    const app = router().get('/users/:id', show).route('/u/:id', del(show))
    expect(await call(app, '/users/ada')).toMatchObject({ body: 'user ada' })
    expect(await call(app, '/u/bob', { method: 'DELETE' })).toMatchObject({ body: 'user bob' })
    expect(pathParams(req('/'))).toEqual({})
  })

  it('decodes parameters per segment and answers 400 for bad UTF-8', async () => {
    const app = router().get('/f/:name', (_r, { name }) => text(name))
    expect(await call(app, '/f/a%2Fb%20c')).toMatchObject({ body: 'a/b c' })
    expect(await call(app, '/f/%FF')).toMatchObject({ status: 400 })
  })

  it('treats /a and /a/ as distinct; normalizePath merges them', async () => {
    const app = router().get('/a', () => text('a'))
    expect((await call(app, '/a/')).status).toBe(404)
    expect(await call(normalizePath('trim')(app), '/a/')).toMatchObject({ status: 200, body: 'a' })
  })
})

describe('router: HTTP semantics', () => {
  const app = router().route(
    '/r',
    get(() => text('got', { headers: { 'x-h': '1' } })).post(() => text('posted')),
  )

  it('answers 404 for an unknown path and 405 with Allow for an unknown method', async () => {
    expect((await call(app, '/nope')).status).toBe(404)
    const res = await call(app, '/r', { method: 'PUT' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET,HEAD,POST')
  })

  it('serves HEAD with the GET route and drops the body', async () => {
    const res = await oneshot(app, req('/r', { method: 'HEAD' }))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-h')).toBe('1')
    expect(res.body).toBeNull()
    const own = router()
      .get('/h', () => text('body'))
      .head('/h', () => new Response(null, { status: 204 }))
    expect((await oneshot(own, req('/h', { method: 'HEAD' }))).status).toBe(204)
  })

  it('uses a custom fallback', async () => {
    const app2 = router()
      .get('/a', () => text('a'))
      .fallback((r) => text(`no ${new URL(r.url).pathname}`, { status: 404 }))
    expect(await call(app2, '/zzz')).toMatchObject({ status: 404, body: 'no /zzz' })
    expect(() => app2.fallback(() => text(''))).toThrow(RouteConflictError)
  })

  it('any() answers every method', async () => {
    const app2 = router().any('/any', (r) => text(r.method))
    expect(await call(app2, '/any', { method: 'PATCH' })).toMatchObject({ body: 'PATCH' })
  })
})

describe('router: layers', () => {
  it('.layer wraps every route, 405s and the fallback; the last layer is outermost', async () => {
    const app = router()
      .get('/a', () => text('a'))
      .layer(tag('inner'))
      .layer(tag('outer'))
    expect((await call(app, '/a')).headers.get('x-tag')).toBe('inner, outer')
    expect((await call(app, '/missing')).headers.get('x-tag')).toBe('inner, outer')
    expect((await call(app, '/a', { method: 'POST' })).headers.get('x-tag')).toBe('inner, outer')
  })

  it('.layer does not wrap routes added after it', async () => {
    const app = router()
      .get('/a', () => text('a'))
      .layer(tag('L'))
      .get('/b', () => text('b'))
    expect((await call(app, '/a')).headers.get('x-tag')).toBe('L')
    expect((await call(app, '/b')).headers.get('x-tag')).toBeNull()
  })

  it('.routeLayer wraps only matched routes: 404s and 405s stay as they are', async () => {
    const deny: HttpLayer = () => serviceFn(() => new Response(null, { status: 401 }))
    const app = router()
      .get('/public', () => text('hi'))
      .layer(tag('all'))
      .post('/items', () => text('made'))
      .routeLayer(deny)
    expect((await call(app, '/items', { method: 'POST' })).status).toBe(401)
    expect((await call(app, '/public')).status).toBe(401) // routes added before routeLayer
    expect((await call(app, '/nope')).status).toBe(404)
    expect((await call(app, '/items', { method: 'GET' })).status).toBe(405)
    expect(() => router().routeLayer(deny)).toThrow(InvalidRouteError)
  })
})

describe('router: composition', () => {
  it('nests a router under a prefix (its / becomes the prefix), with its own fallback', async () => {
    const users = router()
      .get('/', () => text('users'))
      .get('/:id', (_r, { id, org }: { id: string; org?: string }) => text(`user ${id} of ${org}`))
      .fallback(() => text('users fallback', { status: 404 }))
    const app = router()
      .nest('/orgs/:org/users', users)
      .get('/', () => text('root'))
    expect(await call(app, '/orgs/acme/users')).toMatchObject({ body: 'users' })
    expect(await call(app, '/orgs/acme/users/7')).toMatchObject({ body: 'user 7 of acme' })
    expect(await call(app, '/orgs/acme/users/7/x')).toMatchObject({ status: 404, body: 'users fallback' })
    expect(await call(app, '/other')).toMatchObject({ status: 404, body: '' })
  })

  it('nests any service (a Hono-like fetch app) with the prefix taken off the URL', async () => {
    const inner = fromFetch((r: Request) =>
      text(`${new URL(r.url).pathname}${new URL(r.url).search} ${originalUrl(r)}`),
    )
    const app = router().nest('/hono', inner)
    expect(await call(app, '/hono')).toMatchObject({ body: '/ http://x/hono' })
    expect(await call(app, '/hono/')).toMatchObject({ body: '/ http://x/hono/' })
    expect(await call(app, '/hono/a/b?q=1')).toMatchObject({ body: '/a/b?q=1 http://x/hono/a/b?q=1' })
    expect((await call(app, '/honox')).status).toBe(404)
    expect(() => router().nest('/', inner)).toThrow(InvalidRouteError)
    expect(() => router().nest('/a/', inner)).toThrow(InvalidRouteError)
  })

  it('nests a real Hono app with fromFetch', async () => {
    const hono = new Hono().get('/hello/:name', (c) => c.text(`hello ${c.req.param('name')}`))
    const app = router()
      .get('/', () => text('turret'))
      .nest('/hono', fromFetch(hono))
    expect(await call(app, '/hono/hello/ada')).toMatchObject({ status: 200, body: 'hello ada' })
    expect((await call(app, '/hono/nope')).status).toBe(404)
    expect(await call(app, '/')).toMatchObject({ body: 'turret' })
  })

  it('merges routers; clashing routes or two fallbacks throw', async () => {
    const a = router().get('/a', () => text('a'))
    const b = router()
      .get('/b', () => text('b'))
      .post('/a', () => text('post a'))
    const app = a.merge(b)
    expect(await call(app, '/b')).toMatchObject({ body: 'b' })
    expect(await call(app, '/a', { method: 'POST' })).toMatchObject({ body: 'post a' })
    expect(() => a.merge(router().get('/a', () => text('again')))).toThrow(/GET is routed twice/)
    const f = () => text('f')
    expect(() => router().fallback(f).merge(router().fallback(f))).toThrow(RouteConflictError)
  })

  it('is immutable: extending a router leaves the original as it was', async () => {
    const base = router().get('/a', () => text('a'))
    base.get('/b', () => text('b'))
    expect((await call(base, '/b')).status).toBe(404)
  })
})

describe('router: build-time errors', () => {
  it('throws when the route is added, never at request time', () => {
    const app = router().get('/users/:id', () => text(''))
    expect(() => app.get('/users/:id', () => text(''))).toThrow(RouteConflictError)
    expect(() => app.get('/users/:userId', () => text(''))).toThrow(/different names/)
    expect(() => app.get('/files/*rest/x', () => text(''))).toThrow(InvalidRouteError)
    expect(() => get(() => text('')).get(() => text(''))).toThrow(/already set/)
    expect(() => app.route('/x', {} as never)).toThrow(TypeError)
  })
})

describe('router: readiness', () => {
  function gated(): { svc: HttpService; open: () => void; calls: number } {
    let open!: () => void
    const gate = new Promise<void>((resolve) => {
      open = resolve
    })
    const state = {
      calls: 0,
      open: () => open(),
      svc: {
        ready: (): Ready => gate,
        call: async () => {
          state.calls++
          return text('slow')
        },
      } as HttpService,
    }
    return state
  }

  it('is always ready; a route whose service is pending makes only that route wait', async () => {
    const slow = gated()
    const app = router()
      .get('/slow', slow.svc)
      .get('/fast', () => text('fast'))
    expect(app.ready()).toBeUndefined()
    const pending = oneshot(app, req('/slow'))
    expect(await call(app, '/fast')).toMatchObject({ body: 'fast' })
    expect(slow.calls).toBe(0)
    slow.open()
    expect(await (await pending).text()).toBe('slow')
  })

  it('passes the request signal to the route service ready()', async () => {
    let seen: AbortSignal | undefined
    const svc: HttpService = {
      ready: (signal) => {
        seen = signal
      },
      call: async () => text('ok'),
    }
    const controller = new AbortController()
    await oneshot(router().get('/', svc), new Request('http://x/', { signal: controller.signal }))
    controller.abort()
    expect(seen?.aborted).toBe(true)
  })

  it('keeps extensions set by outer layers; a static route clears stale params', async () => {
    const k = key<string>('k')
    const app = router().get('/s', (r) => text(`${extensions(r).get(k)} ${JSON.stringify(pathParams(r))}`))
    const r = req('/s')
    extensions(r).set(k, 'v')
    extensions(r).set((await import('./methods')).pathParamsKey, { stale: '1' })
    expect(await (await oneshot(app, r)).text()).toBe('v {}')
  })
})

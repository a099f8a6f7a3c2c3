import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { extensions, key } from '../extensions/index'
import { serve } from '../serve/index'
import type { HttpService } from '../types'
import { finalUrl, followRedirect } from './index'
import { sameOrigin } from './origin'

interface Seen {
  url: string
  method: string
  body: string
  headers: Record<string, string>
  ext: string | undefined
}
const extKey = key<string>('test-ext')

/** /n redirects (302 by default) to /n-1; /0 answers 200. `/s/<status>/…` redirects with that status to `/target`. */
function server(handler?: (req: Request, url: URL) => Response | undefined) {
  const seen: Seen[] = []
  const svc = serviceFn(async (req: Request) => {
    const url = new URL(req.url)
    seen.push({
      url: req.url,
      method: req.method,
      body: req.body === null ? '' : await req.text(),
      headers: Object.fromEntries(req.headers),
      ext: extensions(req).get(extKey),
    })
    const custom = handler?.(req, url)
    if (custom !== undefined) return custom
    const n = Number(url.pathname.slice(1))
    if (n > 0) return new Response(String(n), { status: 302, headers: { location: `/${n - 1}` } })
    return new Response(String(n))
  })
  return { svc, seen }
}

const post = (url: string, body = 'payload', headers: Record<string, string> = {}) =>
  new Request(url, { method: 'POST', body, headers: { 'content-type': 'text/plain', ...headers } })

describe('followRedirect', () => {
  it('follows a chain and records the final URL', async () => {
    const { svc, seen } = server()
    const res = await oneshot(followRedirect({ limit: 100 })(svc), new Request('http://example.com/42'))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('0')
    expect(finalUrl(res)).toBe('http://example.com/0')
    expect(seen).toHaveLength(43)
  })

  it('stops when the policy says so', async () => {
    const { svc } = server()
    const res = await oneshot(followRedirect({ policy: () => 'stop' })(svc), new Request('http://example.com/42'))
    expect(res.status).toBe(302)
    expect(await res.text()).toBe('42')
    expect(finalUrl(res)).toBe('http://example.com/42')
  })

  it('a policy error fails the call', async () => {
    const { svc } = server()
    const boom = new Error('no')
    const layer = followRedirect({
      policy: () => {
        throw boom
      },
    })
    await expect(oneshot(layer(svc), new Request('http://example.com/1'))).rejects.toBe(boom)
  })

  it('limited: returns the redirect response once the limit is reached (default 20)', async () => {
    const { svc } = server()
    const byDefault = await oneshot(followRedirect()(svc), new Request('http://example.com/42'))
    expect(await byDefault.text()).toBe('22')
    const res = await oneshot(followRedirect({ limit: 10 })(svc), new Request('http://example.com/42'))
    expect(res.status).toBe(302)
    expect(await res.text()).toBe('32')
  })

  it.each([301, 302])(
    '%i: POST becomes GET without body or payload headers; other methods are kept',
    async (status) => {
      const { svc, seen } = server((_req, url) =>
        url.pathname === '/from' ? new Response(null, { status, headers: { location: '/to' } }) : undefined,
      )
      const layer = followRedirect()
      await oneshot(layer(svc), post('http://a.test/from'))
      expect(seen[1]).toMatchObject({ method: 'GET', body: '', url: 'http://a.test/to' })
      expect(seen[1]?.headers['content-type']).toBe(undefined)
      seen.length = 0
      await oneshot(layer(svc), new Request('http://a.test/from', { method: 'PUT', body: 'put-body' }))
      expect(seen[1]).toMatchObject({ method: 'PUT', body: 'put-body' })
    },
  )

  it('303: everything but HEAD becomes GET', async () => {
    const { svc, seen } = server((_req, url) =>
      url.pathname === '/from' ? new Response(null, { status: 303, headers: { location: '/to' } }) : undefined,
    )
    const layer = followRedirect()
    for (const method of ['POST', 'PUT', 'DELETE']) {
      seen.length = 0
      await oneshot(layer(svc), new Request('http://a.test/from', { method, body: 'b' }))
      expect(seen[1]).toMatchObject({ method: 'GET', body: '' })
    }
    seen.length = 0
    await oneshot(layer(svc), new Request('http://a.test/from', { method: 'HEAD' }))
    expect(seen[1]?.method).toBe('HEAD')
  })

  it.each([307, 308])('%i: method and body are preserved (re-sent from the clone)', async (status) => {
    let hops = 0
    const { svc, seen } = server((_req, url) =>
      url.pathname.startsWith('/hop') && hops++ < 2
        ? new Response(null, { status, headers: { location: `/hop${hops}` } })
        : undefined,
    )
    const res = await oneshot(followRedirect()(svc), post('http://a.test/hop', 'the body'))
    expect(res.status).toBe(200)
    expect(seen.map((s) => [s.method, s.body, s.headers['content-type']])).toEqual([
      ['POST', 'the body', 'text/plain'],
      ['POST', 'the body', 'text/plain'],
      ['POST', 'the body', 'text/plain'],
    ])
  })

  it('stops at 307 when the body cannot be re-sent (cloneBody: false), but follows a bodiless 307', async () => {
    const { svc, seen } = server((_req, url) =>
      url.pathname === '/from' ? new Response('r', { status: 307, headers: { location: '/to' } }) : undefined,
    )
    const layer = followRedirect({ cloneBody: false })
    const res = await oneshot(layer(svc), post('http://a.test/from'))
    expect(res.status).toBe(307)
    expect(seen).toHaveLength(1)
    const get = await oneshot(layer(svc), new Request('http://a.test/from'))
    expect(get.status).toBe(200)
    expect(finalUrl(get)).toBe('http://a.test/to')
  })

  it('returns a redirect without Location, or with a non-http Location, as is', async () => {
    const { svc } = server((_req, url) =>
      url.pathname === '/none'
        ? new Response(null, { status: 302 })
        : url.pathname === '/ftp'
          ? new Response(null, { status: 302, headers: { location: 'ftp://x/' } })
          : undefined,
    )
    expect((await oneshot(followRedirect()(svc), new Request('http://a.test/none'))).status).toBe(302)
    expect((await oneshot(followRedirect()(svc), new Request('http://a.test/ftp'))).status).toBe(302)
  })

  it('sameOrigin stops at a cross-origin redirect', async () => {
    const { svc, seen } = server((_req, url) =>
      url.host === 'a.test' ? new Response(null, { status: 302, headers: { location: 'http://b.test/' } }) : undefined,
    )
    const res = await oneshot(followRedirect({ sameOrigin: true })(svc), new Request('http://a.test/'))
    expect(res.status).toBe(302)
    expect(seen).toHaveLength(1)
  })

  it('keeps credentials and extensions on the same origin, drops them across origins for good', async () => {
    const { svc, seen } = server((_req, url) => {
      if (url.host === 'a.test' && url.pathname === '/1') return Response.redirect('http://a.test/2', 302)
      if (url.host === 'a.test' && url.pathname === '/2') return Response.redirect('http://b.test/3', 302)
      if (url.host === 'b.test' && url.pathname === '/3') return Response.redirect('http://a.test/4', 302)
      return new Response('end')
    })
    const req = new Request('http://a.test/1', {
      headers: { authorization: 'Bearer t', cookie: 'c=1', 'proxy-authorization': 'p', 'x-other': 'kept' },
    })
    extensions(req).set(extKey, 'value')
    await oneshot(followRedirect()(svc), req)
    expect(seen.map((s) => [s.url, s.headers.authorization, s.headers.cookie, s.ext, s.headers['x-other']])).toEqual([
      ['http://a.test/1', 'Bearer t', 'c=1', 'value', 'kept'],
      ['http://a.test/2', 'Bearer t', 'c=1', 'value', 'kept'],
      ['http://b.test/3', undefined, undefined, undefined, 'kept'],
      // Back on the first origin: nothing resurrects.
      ['http://a.test/4', undefined, undefined, undefined, 'kept'],
    ])
  })

  it('preserveExtensions: false and filterCredentials: false', async () => {
    const { svc, seen } = server((_req, url) =>
      url.host === 'a.test' ? Response.redirect('http://b.test/', 302) : new Response('ok'),
    )
    const mk = () => {
      const r = new Request('http://a.test/', { headers: { authorization: 'x' } })
      extensions(r).set(extKey, 'v')
      return r
    }
    await oneshot(followRedirect({ filterCredentials: false })(svc), mk())
    expect([seen[1]?.headers.authorization, seen[1]?.ext]).toEqual(['x', 'v'])
    seen.length = 0
    await oneshot(followRedirect({ filterCredentials: false, preserveExtensions: false })(svc), mk())
    expect([seen[1]?.headers.authorization, seen[1]?.ext]).toEqual(['x', undefined])
  })

  it('resolves relative and unicode locations against the current URL', async () => {
    const { svc, seen } = server((_req, url) =>
      url.pathname === '/a/b'
        ? new Response(null, { status: 302, headers: { location: '../ünï/cödé?q=1' } })
        : undefined,
    )
    const res = await oneshot(followRedirect()(svc), new Request('http://a.test/a/b'))
    expect(seen[1]?.url).toBe('http://a.test/%C3%BCn%C3%AF/c%C3%B6d%C3%A9?q=1')
    expect(finalUrl(res)).toBe('http://a.test/%C3%BCn%C3%AF/c%C3%B6d%C3%A9?q=1')
  })

  it('passes the attempt to the policy', async () => {
    const { svc } = server((_req, url) =>
      url.pathname === '/x' ? new Response(null, { status: 303, headers: { location: '/y' } }) : undefined,
    )
    const attempts: unknown[] = []
    await oneshot(
      followRedirect({
        policy: (a) => {
          attempts.push({ ...a, location: a.location.href, previous: a.previous.href })
          return 'follow'
        },
      })(svc),
      post('http://a.test/x'),
    )
    expect(attempts).toEqual([
      {
        status: 303,
        location: 'http://a.test/y',
        method: 'GET',
        previousMethod: 'POST',
        previous: 'http://a.test/x',
        followed: 0,
      },
    ])
  })

  it('origin equality: scheme, host and effective port; user info ignored', () => {
    const u = (s: string) => new URL(s)
    expect(sameOrigin(u('http://a.test/'), u('http://a.test:80/x'))).toBe(true)
    expect(sameOrigin(u('https://a.test/'), u('https://user:pw@a.test:443/'))).toBe(true)
    expect(sameOrigin(u('http://a.test/'), u('https://a.test/'))).toBe(false)
    expect(sameOrigin(u('http://a.test/'), u('http://a.test:8080/'))).toBe(false)
    expect(sameOrigin(u('http://a.test/'), u('http://b.test/'))).toBe(false)
  })

  it('awaits the inner readiness for every extra hop', async () => {
    let readies = 0
    const { svc } = server()
    const counted: HttpService = {
      ready() {
        readies++
        return svc.ready()
      },
      call: (req) => svc.call(req),
    }
    await oneshot(followRedirect()(counted), new Request('http://a.test/3'))
    expect(readies).toBe(4)
  })

  it('over serve() with a real fetch client (redirect: manual)', async () => {
    const target = serviceFn(async (req: Request) => {
      const url = new URL(req.url)
      if (url.pathname === '/old') return new Response(null, { status: 301, headers: { location: '/middle' } })
      if (url.pathname === '/middle') return new Response(null, { status: 307, headers: { location: '/new' } })
      return Response.json({ path: url.pathname, method: req.method, body: await req.text() })
    })
    const server = await serve(target, { port: 0, hostname: '127.0.0.1' })
    try {
      const client = followRedirect()(serviceFn((req: Request) => fetch(req, { redirect: 'manual' })))
      const res = await oneshot(
        client,
        new Request(`http://127.0.0.1:${server.port}/old`, { method: 'PUT', body: 'x' }),
      )
      expect(await res.json()).toEqual({ path: '/new', method: 'PUT', body: 'x' })
      expect(finalUrl(res)).toBe(`http://127.0.0.1:${server.port}/new`)
    } finally {
      await server.close()
    }
  })
})

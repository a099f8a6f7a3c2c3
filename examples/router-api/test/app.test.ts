import { oneshot } from '@turret/core'
import { serve } from '@turret/http'
import { describe, expect, it } from 'vitest'
import { makeApp } from '../src/app'

const auth = { authorization: 'Bearer secret' }
const request = (path: string, init?: RequestInit) => new Request(`http://localhost${path}`, init)

describe('router-api: the router, oneshot-style', () => {
  it('lists, creates, reads and deletes items', async () => {
    const app = makeApp({ token: 'secret' })
    expect(await (await oneshot(app, request('/items'))).json()).toEqual([])

    const created = await oneshot(
      app,
      request('/items', { method: 'POST', headers: auth, body: JSON.stringify({ name: 'tea' }) }),
    )
    expect(created.status).toBe(201)
    expect(created.headers.get('location')).toBe('/items/1')
    expect(await created.json()).toEqual({ id: '1', name: 'tea' })

    expect(await (await oneshot(app, request('/items/1'))).json()).toEqual({ id: '1', name: 'tea' })
    expect(await (await oneshot(app, request('/items'))).json()).toEqual([{ id: '1', name: 'tea' }])

    const deleted = await oneshot(app, request('/items/1', { method: 'DELETE', headers: auth }))
    expect(deleted.status).toBe(204)
    expect((await oneshot(app, request('/items/1'))).status).toBe(404)
  })

  it('asks for the token on write routes only; 404s and 405s do not ask', async () => {
    const app = makeApp({ token: 'secret' })
    const post = await oneshot(app, request('/items', { method: 'POST', body: '{"name":"x"}' }))
    expect(post.status).toBe(401)
    const del = await oneshot(
      app,
      request('/items/1', { method: 'DELETE', headers: { authorization: 'Bearer wrong' } }),
    )
    expect(del.status).toBe(401)
    expect((await oneshot(app, request('/items'))).status).toBe(200) // reads are public
    const unknown = await oneshot(app, request('/nope', { method: 'POST' }))
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ error: 'no such route' })
    const put = await oneshot(app, request('/items/1', { method: 'PUT' }))
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('GET,HEAD,DELETE')
  })

  it('answers 400 for a bad body', async () => {
    const app = makeApp({ token: 'secret' })
    const res = await oneshot(app, request('/items', { method: 'POST', headers: auth, body: 'not json' }))
    expect(res.status).toBe(400)
  })

  it('gives every answer a request id and CORS headers, 404s included; answers preflights', async () => {
    const app = makeApp({ token: 'secret' })
    for (const path of ['/items', '/nope']) {
      const res = await oneshot(app, request(path, { headers: { origin: 'https://app.example' } }))
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
    }
    const kept = await oneshot(app, request('/items', { headers: { 'x-request-id': 'abc-1' } }))
    expect(kept.headers.get('x-request-id')).toBe('abc-1')
    const preflight = await oneshot(
      app,
      request('/items', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      }),
    )
    expect(preflight.status).toBe(200)
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST,DELETE')
  })

  it('serves HEAD from the GET routes', async () => {
    const res = await oneshot(makeApp(), request('/items', { method: 'HEAD' }))
    expect(res.status).toBe(200)
    expect(res.body).toBeNull()
  })
})

describe('router-api: on node:http with serve()', () => {
  it('answers over HTTP', async () => {
    const server = await serve(makeApp({ token: 'secret' }), { port: 0, hostname: '127.0.0.1' })
    try {
      const created = await fetch(`${server.url}/items`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'coffee' }),
      })
      expect(created.status).toBe(201)
      const list = await fetch(`${server.url}/items`)
      expect(await list.json()).toEqual([{ id: '1', name: 'coffee' }])
      expect((await fetch(`${server.url}/items/9`)).status).toBe(404)
    } finally {
      await server.close()
    }
  })
})

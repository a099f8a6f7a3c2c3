import { fromFetch } from '@turret/http'
import { globalsInstalled, installGlobals, native, uninstallGlobals } from '@turret/http/internal'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { mockContext } from '../testing/context'
import { albEvent, apigwV1Event, apigwV2Event, resultToResponse } from '../testing/index'
import { eventToRequest } from './adapter'
import { httpAdapter, lambdaContext } from './index'

afterEach(() => installGlobals())

function honoApp() {
  const app = new Hono()
  app.get('/hello/:name', (c) =>
    c.json({ hello: c.req.param('name'), q: c.req.queries('q'), ua: c.req.header('user-agent') }),
  )
  app.post('/echo', async (c) => {
    const body = await c.req.json()
    c.header('set-cookie', 'a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT')
    c.header('set-cookie', 'b=2; Expires=Thu, 22 Oct 2026 07:28:00 GMT', { append: true })
    return c.json({ got: body, id: lambdaContext(c.req.raw)?.requestId }, 201)
  })
  return app
}

describe('a Hono app behind the adapter (fromFetch)', () => {
  it('routes, reads params, query, headers, JSON bodies, sets several cookies', async () => {
    const svc = httpAdapter()(fromFetch(honoApp()))
    const context = mockContext({ requestId: 'rid' })
    const get = await svc.call({
      payload: apigwV1Event({ path: '/hello/wörld', query: { q: ['1', '2'] }, headers: { 'User-Agent': 'ua/1' } }),
      context,
    })
    expect(await resultToResponse(get).json()).toEqual({ hello: 'wörld', q: ['1', '2'], ua: 'ua/1' })
    const post = await svc.call({ payload: apigwV2Event({ method: 'POST', path: '/echo', body: '{"n":1}' }), context })
    expect(post).toMatchObject({
      statusCode: 201,
      cookies: ['a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'b=2; Expires=Thu, 22 Oct 2026 07:28:00 GMT'],
    })
    expect(await resultToResponse(post).json()).toEqual({ got: { n: 1 }, id: 'rid' })
    const missing = await svc.call({ payload: albEvent({ path: '/nope' }), context })
    expect(missing).toMatchObject({ statusCode: 404, statusDescription: '404 Not Found' })
  })
})

describe('without turret globals (overrideGlobalObjects: false)', () => {
  it('builds ordinary Requests with the same method, URL, headers and body', async () => {
    uninstallGlobals()
    httpAdapter({ overrideGlobalObjects: false })
    expect(globalsInstalled()).toBe(false)
    const converted = eventToRequest({
      payload: apigwV1Event({
        method: 'POST',
        path: '/a b',
        query: { x: 'y z' },
        headers: { 'X-Multi': ['1', '2'] },
        body: 'hi',
      }),
      context: mockContext(),
    })
    if (!('request' in converted)) throw new Error(converted.message)
    const req = converted.request
    expect(Object.getPrototypeOf(req)).toBe(native.Request.prototype)
    expect(req.headers.has('content-type')).toBe(false) // the runtime adds one for a string body: removed
    expect(req.url).toBe('https://abcdef1234.execute-api.us-east-1.amazonaws.com/a%20b?x=y%20z')
    expect(req.headers.get('x-multi')).toBe('1, 2')
    expect(req.headers.get('content-length')).toBe('2')
    expect(await req.text()).toBe('hi')
    expect(lambdaContext(req)?.requestId).toBe('00000000-0000-4000-8000-000000000000')
  })
})

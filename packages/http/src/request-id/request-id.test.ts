import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { extensions } from '../extensions/index'
import { propagateRequestId, requestIdKey, setRequestId } from './index'
import { isValidRequestId } from './valid'

function counter() {
  let n = 0
  return () => String(n++)
}

/** Answers with the request id the inner service saw in extensions and in the header. */
const inner = serviceFn(
  (req: Request) => new Response(`${extensions(req).get(requestIdKey)}|${req.headers.get('x-request-id')}`),
)

describe('setRequestId / propagateRequestId', () => {
  it('basic: makes ids per request, keeps an existing one without consuming the maker', async () => {
    const svc = setRequestId({ makeRequestId: counter() })(propagateRequestId()(inner))

    const r0 = await oneshot(svc, new Request('http://x/'))
    expect(r0.headers.get('x-request-id')).toBe('0')
    expect(await r0.text()).toBe('0|0')
    expect(extensions(r0).get(requestIdKey)).toBe('0')

    const r1 = await oneshot(svc, new Request('http://x/'))
    expect(r1.headers.get('x-request-id')).toBe('1')

    const foo = await oneshot(svc, new Request('http://x/', { headers: { 'x-request-id': 'foo' } }))
    expect(foo.headers.get('x-request-id')).toBe('foo')
    expect(await foo.text()).toBe('foo|foo')

    // The maker was not called for "foo": the next generated id is "2".
    const r2 = await oneshot(svc, new Request('http://x/'))
    expect(extensions(r2).get(requestIdKey)).toBe('2')
  })

  it('other middleware setting the request id header: the extension is filled from it', async () => {
    const setsHeader = (next: typeof inner) =>
      serviceFn((req: Request) => {
        req.headers.set('x-request-id', 'from-other')
        return next.call(req)
      })
    const svc = setsHeader(setRequestId({ makeRequestId: counter() })(inner))
    expect(await (await oneshot(svc, new Request('http://x/'))).text()).toBe('from-other|from-other')
  })

  it('other middleware setting the request id on the response: propagate keeps it and fills the extension', async () => {
    const svc = propagateRequestId()(
      setRequestId({ makeRequestId: counter() })(
        serviceFn(() => new Response('x', { headers: { 'x-request-id': 'from-response' } })),
      ),
    )
    const res = await oneshot(svc, new Request('http://x/'))
    expect(res.headers.get('x-request-id')).toBe('from-response')
    expect(extensions(res).get(requestIdKey)).toBe('from-response')
  })

  it('uuid: the default maker makes UUID v4s', async () => {
    const res = await oneshot(propagateRequestId()(setRequestId()(inner)), new Request('http://x/'))
    expect(res.headers.get('x-request-id')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
  })

  it('replaces an incoming id that is too long or has control characters', async () => {
    const svc = setRequestId({ makeRequestId: counter() })(inner)
    const long = 'a'.repeat(257)
    expect(await (await oneshot(svc, new Request('http://x/', { headers: { 'x-request-id': long } }))).text()).toBe(
      '0|0',
    )
    expect(await (await oneshot(svc, new Request('http://x/', { headers: { 'x-request-id': 'a\tb' } }))).text()).toBe(
      '1|1',
    )
    const ok = 'a'.repeat(256)
    expect(await (await oneshot(svc, new Request('http://x/', { headers: { 'x-request-id': ok } }))).text()).toBe(
      `${ok}|${ok}`,
    )
    expect(isValidRequestId('\u007f')).toBe(false)
    expect(isValidRequestId('')).toBe(false)
  })

  it('uses a custom header, and propagates onto an immutable response', async () => {
    const svc = propagateRequestId({ header: 'x-trace' })(
      setRequestId({ header: 'x-trace', makeRequestId: () => 'abc' })(serviceFn(() => Response.redirect('http://y/'))),
    )
    const res = await oneshot(svc, new Request('http://x/'))
    expect(res.status).toBe(302)
    expect(res.headers.get('x-trace')).toBe('abc')
    expect(res.headers.get('location')).toBe('http://y/')
  })

  it('a maker returning undefined leaves the request without id', async () => {
    const svc = propagateRequestId()(setRequestId({ makeRequestId: () => undefined })(inner))
    const res = await oneshot(svc, new Request('http://x/'))
    expect(await res.text()).toBe('undefined|null')
    expect(res.headers.has('x-request-id')).toBe(false)
  })
})

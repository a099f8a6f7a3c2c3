import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { setRequestHeader, setResponseHeader } from './index'

const withType = (type?: string) =>
  serviceFn(() => new Response('body', type === undefined ? {} : { headers: { 'content-type': type } }))

const values = (res: Response, name: string) => res.headers.get(name)

describe('setResponseHeader', () => {
  it('override: the inner value is replaced, one value', async () => {
    const res = await oneshot(
      setResponseHeader('content-type', 'text/html')(withType('good-content')),
      new Request('http://x/'),
    )
    expect(values(res, 'content-type')).toBe('text/html')
  })

  it('append: both values, the inner one first', async () => {
    const svc = setResponseHeader(
      'x-v',
      'outer',
      'append',
    )(serviceFn(() => new Response('b', { headers: { 'x-v': 'inner' } })))
    expect(values(await oneshot(svc, new Request('http://x/')), 'x-v')).toBe('inner, outer')
  })

  it('ifNotPresent: the inner value is kept; added when absent; the function is not called when present', async () => {
    let calls = 0
    const make = () => {
      calls++
      return 'text/html'
    }
    const kept = await oneshot(
      setResponseHeader('content-type', make, 'ifNotPresent')(withType('good-content')),
      new Request('http://x/'),
    )
    expect(values(kept, 'content-type')).toBe('good-content')
    expect(calls).toBe(0)
    const added = await oneshot(
      setResponseHeader('x-new', make, 'ifNotPresent')(withType('good-content')),
      new Request('http://x/'),
    )
    expect(values(added, 'x-new')).toBe('text/html')
    expect(calls).toBe(1)
  })

  it('a function sees the inner response; undefined leaves the header alone', async () => {
    const svc = setResponseHeader('x-status', (res) => (res.status === 201 ? 'created' : undefined))(
      serviceFn(
        (req: Request) =>
          new Response(null, { status: req.url.endsWith('/new') ? 201 : 200, headers: { 'x-status': 'inner' } }),
      ),
    )
    expect(values(await oneshot(svc, new Request('http://x/new')), 'x-status')).toBe('created')
    expect(values(await oneshot(svc, new Request('http://x/old')), 'x-status')).toBe('inner')
  })

  it('works on a response with immutable headers', async () => {
    const svc = setResponseHeader('x-a', '1')(serviceFn(() => Response.redirect('http://y/', 301)))
    const res = await oneshot(svc, new Request('http://x/'))
    expect(res.status).toBe(301)
    expect(values(res, 'x-a')).toBe('1')
  })
})

describe('setRequestHeader', () => {
  const echo = serviceFn((req: Request) => new Response(req.headers.get('x-h')))

  it('override, append, ifNotPresent', async () => {
    const req = () => new Request('http://x/', { headers: { 'x-h': 'orig' } })
    expect(await (await oneshot(setRequestHeader('x-h', 'new')(echo), req())).text()).toBe('new')
    expect(await (await oneshot(setRequestHeader('x-h', 'new', 'append')(echo), req())).text()).toBe('orig, new')
    expect(await (await oneshot(setRequestHeader('x-h', 'new', 'ifNotPresent')(echo), req())).text()).toBe('orig')
    expect(
      await (await oneshot(setRequestHeader('x-h', 'new', 'ifNotPresent')(echo), new Request('http://x/'))).text(),
    ).toBe('new')
  })

  it('a function of the request', async () => {
    const svc = setRequestHeader('x-h', (req) => new URL(req.url).pathname)(echo)
    expect(await (await oneshot(svc, new Request('http://x/path'))).text()).toBe('/path')
  })
})

import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { extensions, key } from '../extensions/index'
import { appendTrailingSlash, normalizePath, trimTrailingSlash } from './index'

const echo = serviceFn((req: Request) => {
  const url = new URL(req.url)
  return new Response(url.pathname + url.search)
})

async function through(layer: ReturnType<typeof normalizePath>, pathAndQuery: string): Promise<string> {
  return (await oneshot(layer(echo), new Request(`http://example.com${pathAndQuery}`))).text()
}

describe('normalizePath trim', () => {
  it.each([
    ['/foo/', '/foo'],
    ['/foo', '/foo'],
    ['/foo/?a=a', '/foo?a=a'],
    ['/foo////', '/foo'],
    ['/', '/'],
    ['////', '/'],
    ['////?a=a', '/?a=a'],
    ['///foo//?a=a', '/foo?a=a'],
    ['///foo', '/foo'],
    ['/a//b/', '/a//b'],
  ])('%s → %s', async (input, expected) => {
    expect(await through(trimTrailingSlash(), input)).toBe(expected)
  })
})

describe('normalizePath append', () => {
  it.each([
    ['/foo', '/foo/'],
    ['/foo/', '/foo/'],
    ['/foo?a=a', '/foo/?a=a'],
    ['/foo////', '/foo/'],
    ['/', '/'],
    ['////', '/'],
    ['////?a=a', '/?a=a'],
    ['///foo//?a=a', '/foo/?a=a'],
    ['///foo', '/foo/'],
  ])('%s → %s', async (input, expected) => {
    expect(await through(appendTrailingSlash(), input)).toBe(expected)
  })
})

describe('normalizePath', () => {
  it('keeps the request when nothing changes, and keeps method, body and extensions when it rewrites', async () => {
    const k = key<string>('k')
    let seen: Request | undefined
    const svc = normalizePath('trim')(
      serviceFn(async (req: Request) => {
        seen = req
        return new Response(`${req.method} ${await req.text()} ${extensions(req).get(k)}`)
      }),
    )
    const same = new Request('http://x/foo')
    await oneshot(svc, same)
    expect(seen).toBe(same)
    const req = new Request('http://x/foo/', { method: 'PUT', body: 'data' })
    extensions(req).set(k, 'v')
    expect(await (await oneshot(svc, req)).text()).toBe('PUT data v')
    expect(seen?.url).toBe('http://x/foo')
  })
})

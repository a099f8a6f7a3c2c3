import { describe, expect, it } from 'vitest'
import { copyExtensions, extensions, key, peekExtensions, shareExtensions, withRequest } from './index'

const user = key<string>('user')
const count = key<number>('count')

describe('extensions', () => {
  it('stores typed values per request; keys compare by identity', () => {
    const req = new Request('http://x/')
    expect(peekExtensions(req)).toBeUndefined()
    extensions(req).set(user, 'ada').set(count, 1)
    expect(extensions(req).get(user)).toBe('ada')
    expect(extensions(req).get(count)).toBe(1)
    expect(extensions(req).get(key<string>('user'))).toBeUndefined()
    expect(extensions(new Request('http://x/')).has(user)).toBe(false)
    expect(extensions(req).delete(count)).toBe(true)
    expect(extensions(req).size).toBe(1)
  })

  it('works on responses too', () => {
    const res = new Response('x')
    extensions(res).set(user, 'bob')
    expect(extensions(res).get(user)).toBe('bob')
  })

  it('withRequest keeps the extensions and shares them with the new request', async () => {
    const req = new Request('http://x/a', { method: 'POST', body: 'body', headers: { 'x-h': '1' } })
    extensions(req).set(user, 'ada')
    const next = withRequest(req, 'http://x/b')
    expect(next.url).toBe('http://x/b')
    expect(next.method).toBe('POST')
    expect(next.headers.get('x-h')).toBe('1')
    expect(await next.text()).toBe('body')
    expect(extensions(next).get(user)).toBe('ada')
    // An inner layer setting a value on the new request is seen through the old one.
    extensions(next).set(count, 2)
    expect(extensions(req).get(count)).toBe(2)
  })

  it('withRequest without input keeps the URL and applies init', () => {
    const req = new Request('http://x/a')
    extensions(req).set(user, 'ada')
    const next = withRequest(req, undefined, { headers: { 'x-new': 'y' } })
    expect(next.url).toBe('http://x/a')
    expect(next.headers.get('x-new')).toBe('y')
    expect(extensions(next).get(user)).toBe('ada')
  })

  it('shareExtensions merges what the target already had', () => {
    const a = new Request('http://x/')
    const b = new Request('http://x/')
    extensions(a).set(user, 'ada')
    extensions(b).set(count, 3)
    shareExtensions(a, b)
    expect(extensions(a).get(count)).toBe(3)
    expect(extensions(b).get(user)).toBe('ada')
  })

  it('copyExtensions makes an independent copy', () => {
    const a = new Request('http://x/')
    extensions(a).set(user, 'ada')
    const b = copyExtensions(a, new Request('http://x/'))
    extensions(b).set(user, 'changed')
    expect(extensions(a).get(user)).toBe('ada')
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NO_PARAMS, RouteMatcher } from './matcher'
import { decodeValue, InvalidRouteError, RouteConflictError } from './path'

function matcher(...paths: string[]): RouteMatcher<string> {
  const m = new RouteMatcher<string>()
  for (const p of paths) m.insert(p, p)
  return m
}

describe('RouteMatcher', () => {
  it('matches static, parametric and wildcard routes; static beats param beats wildcard', () => {
    const m = matcher(
      '/',
      '/users',
      '/users/new',
      '/users/:id',
      '/users/:id/posts/:postId',
      '/files/*rest',
      '/files/:name',
    )
    expect(m.match('/')).toMatchObject({ value: '/', params: {} })
    expect(m.match('/users')?.value).toBe('/users')
    expect(m.match('/users/new')?.value).toBe('/users/new')
    expect(m.match('/users/42')).toEqual({ value: '/users/:id', params: { id: '42' } })
    expect(m.match('/users/42/posts/7')).toEqual({
      value: '/users/:id/posts/:postId',
      params: { id: '42', postId: '7' },
    })
    expect(m.match('/files/a')).toEqual({ value: '/files/:name', params: { name: 'a' } })
    expect(m.match('/files/a/b/c.txt')).toEqual({ value: '/files/*rest', params: { rest: 'a/b/c.txt' } })
  })

  it('answers a static hit with the same object every time (no allocation)', () => {
    const m = matcher('/users', '/users/:id')
    const first = m.match('/users')
    expect(m.match('/users')).toBe(first)
    expect(first?.params).toBe(NO_PARAMS)
  })

  it('backtracks: a static branch that fails falls back to the parameter', () => {
    const m = matcher('/users/new/comments', '/users/:id/posts')
    expect(m.match('/users/new/posts')).toEqual({ value: '/users/:id/posts', params: { id: 'new' } })
    expect(m.match('/users/new/comments')?.value).toBe('/users/new/comments')
  })

  it('keeps /a and /a/ apart; parameters and wildcards are never empty', () => {
    const m = matcher('/a', '/b/', '/u/:id', '/f/*rest')
    expect(m.match('/a/')).toBeUndefined()
    expect(m.match('/b')).toBeUndefined()
    expect(m.match('/b/')?.value).toBe('/b/')
    expect(m.match('/u/')).toBeUndefined()
    expect(m.match('/u')).toBeUndefined()
    expect(m.match('/f/')).toBeUndefined()
    expect(m.match('/u/1/')).toBeUndefined()
    expect(m.match('/nope')).toBeUndefined()
    expect(m.match('')).toBeUndefined()
  })

  it('is case-sensitive and matches the encoded path', () => {
    const m = matcher('/Users', '/café', '/a b')
    expect(m.match('/users')).toBeUndefined()
    expect(m.match('/caf%C3%A9')?.value).toBe('/café')
    expect(m.match('/a%20b')?.value).toBe('/a b')
    expect(m.match('/Us%65rs')).toBeUndefined()
  })

  it('percent-decodes each parameter on its own: %2F stays inside the value', () => {
    const m = matcher('/u/:id/:tail', '/w/*rest')
    expect(m.match('/u/a%2Fb/x%20y')?.params).toEqual({ id: 'a/b', tail: 'x y' })
    expect(m.match('/u/caf%C3%A9/100%')?.params).toEqual({ id: 'café', tail: '100%' })
    expect(m.match('/u/%zz/%4')?.params).toEqual({ id: '%zz', tail: '%4' })
    expect(m.match('/w/a%2Fb/c')?.params).toEqual({ rest: 'a/b/c' })
    expect(m.match('/u/%FF/x')).toBeUndefined() // not UTF-8
  })

  it('decodeValue follows axum: malformed escapes stay, valid pairs decode, bad UTF-8 fails', () => {
    expect(decodeValue('a%20b')).toBe('a b')
    expect(decodeValue('%41%zz')).toBe('A%zz')
    expect(decodeValue('%E2%82')).toBeUndefined()
    expect(decodeValue('é%zz')).toBe('é%zz')
    expect(decodeValue('😀%zz')).toBe('😀%zz')
  })

  it('matches what a simple reference matcher matches (property)', () => {
    const m = matcher('/a', '/a/:x', '/a/:x/b', '/a/b/c', '/c/*r', '/c/:y/d')
    const seg = fc.constantFrom('a', 'b', 'c', 'd', '')
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 4 }), (segs) => {
        const path = `/${segs.join('/')}`
        const got = m.match(path)
        const want = reference(path)
        expect(got?.value).toBe(want)
      }),
    )
    function reference(path: string): string | undefined {
      const s = path.slice(1).split('/')
      if (path === '/a') return '/a'
      if (path === '/a/b/c') return '/a/b/c'
      if (s[0] === 'a' && s.length === 2 && s[1] !== '') return '/a/:x'
      if (s[0] === 'a' && s.length === 3 && s[1] !== '' && s[2] === 'b') return '/a/:x/b'
      if (s[0] === 'c' && s.length === 3 && s[1] !== '' && s[2] === 'd') return '/c/:y/d'
      if (s[0] === 'c' && s.length >= 2 && s.slice(1).join('/') !== '') return '/c/*r'
      return undefined
    }
  })
})

describe('RouteMatcher: build-time errors', () => {
  it('refuses malformed patterns', () => {
    const m = new RouteMatcher<number>()
    expect(() => m.insert('users', 1)).toThrow(InvalidRouteError)
    expect(() => m.insert('/users/:', 1)).toThrow(/parameter is a whole segment/)
    expect(() => m.insert('/users/:id.json', 1)).toThrow(InvalidRouteError)
    expect(() => m.insert('/files/*rest/more', 1)).toThrow(/must be the last segment/)
    expect(() => m.insert('/a/:id/:id', 1)).toThrow(/appears twice/)
  })

  it('refuses duplicates and parameters named differently at one position', () => {
    const m = matcher('/users/:id', '/files/*rest')
    expect(() => m.insert('/users/:id', 'x')).toThrow(RouteConflictError)
    expect(() => m.insert('/users/:userId', 'x')).toThrow(/":id" and ":userId"|":userId" and ":id"/)
    expect(() => m.insert('/users/:uid/posts', 'x')).toThrow(RouteConflictError)
    expect(() => m.insert('/files/*path', 'x')).toThrow(RouteConflictError)
    // different shapes are fine
    m.insert('/users/:id/posts', 'ok')
    m.insert('/users/me', 'ok')
    m.insert('/files/:name', 'ok')
  })
})

import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { extensions, key } from '../extensions/index'
import { addAuthorization, basicAuth, basicCredentials, bearerAuth, requireAuthorization } from './index'

let calls = 0
const inner = serviceFn((req: Request) => {
  calls++
  return new Response(`ok ${req.headers.get('authorization')}`)
})
const withAuth = (value?: string) =>
  new Request('http://x/', value === undefined ? {} : { headers: { authorization: value } })
const b64 = (s: string) => btoa(s)

describe('requireAuthorization basic', () => {
  const svc = requireAuthorization(basicAuth('foo', 'bar'))(inner)

  it('valid basic credentials → inner called', async () => {
    const res = await oneshot(svc, withAuth(`Basic ${b64('foo:bar')}`))
    expect(res.status).toBe(200)
  })

  it('invalid or missing → 401 with WWW-Authenticate: Basic, inner not called', async () => {
    calls = 0
    for (const value of [
      `Basic ${b64('wrong:pass')}`,
      undefined,
      `basic ${b64('foo:bar')}`,
      `Basic ${b64('Foo:bar')}`,
    ]) {
      const res = await oneshot(svc, withAuth(value))
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('Basic')
    }
    expect(calls).toBe(0)
  })

  it('encodes non-ASCII credentials as UTF-8', () => {
    expect(basicCredentials('ü', 'p')).toBe(`Basic ${Buffer.from('ü:p').toString('base64')}`)
  })
})

describe('requireAuthorization bearer', () => {
  const svc = requireAuthorization(bearerAuth('foobar'))(inner)

  it('valid token → 200; wrong token, wrong case, lowercase scheme → 401', async () => {
    expect((await oneshot(svc, withAuth('Bearer foobar'))).status).toBe(200)
    for (const value of ['Bearer wat', 'Bearer FOOBAR', 'bearer foobar', undefined]) {
      const res = await oneshot(svc, withAuth(value))
      expect(res.status).toBe(401)
      expect(res.headers.has('www-authenticate')).toBe(false)
    }
  })
})

describe('requireAuthorization custom async', () => {
  const userKey = key<{ id: number }>('user')
  const authorizer = async (req: Request) => {
    await Promise.resolve()
    if (req.headers.get('authorization') !== 'Bearer 69420') return new Response('nope', { status: 401 })
    extensions(req).set(userKey, { id: 1 })
    return req
  }
  const svc = requireAuthorization(authorizer)(
    serviceFn((req: Request) => new Response(`user ${extensions(req).get(userKey)?.id}`)),
  )

  it('require async auth works: the inner service sees what the authorizer added', async () => {
    const res = await oneshot(svc, withAuth('Bearer 69420'))
    expect(await res.text()).toBe('user 1')
  })

  it('require async auth 401: the authorizer response is returned', async () => {
    const res = await oneshot(svc, withAuth('Bearer nope'))
    expect(res.status).toBe(401)
    expect(await res.text()).toBe('nope')
  })

  it('a throwing authorizer rejects the call', async () => {
    const failing = requireAuthorization(() => {
      throw new Error('auth backend down')
    })(inner)
    await expect(oneshot(failing, withAuth())).rejects.toThrow('auth backend down')
  })
})

describe('addAuthorization', () => {
  it('basic and bearer, overriding an existing value', async () => {
    const basic = await oneshot(addAuthorization(basicCredentials('Aladdin', 'open sesame'))(inner), withAuth('old'))
    expect(await basic.text()).toBe('ok Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')
    const bearer = await oneshot(addAuthorization('Bearer abc')(inner), withAuth())
    expect(await bearer.text()).toBe('ok Bearer abc')
  })
})

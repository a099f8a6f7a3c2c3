import { oneshot, serviceFn, TurretError } from '@turret/core'
import { describe, expect, it } from 'vitest'
import type { HttpService } from '../types'
import { CorsConfigError, cors, mirrorRequest } from './index'

function counting(init: ResponseInit = {}) {
  const calls: string[] = []
  const svc = serviceFn((req: Request) => {
    calls.push(req.method)
    return new Response('inner', init)
  })
  return { svc, calls }
}
const inner = () => counting().svc

function req(method: string, headers: Record<string, string> = {}): Request {
  return new Request('http://api.test/x', { method, headers })
}
const preflight = (origin: string, extra: Record<string, string> = {}) =>
  req('OPTIONS', {
    origin,
    'access-control-request-method': 'PUT',
    'access-control-request-headers': 'x-custom,content-type',
    ...extra,
  })
const cors_ = (res: Response) =>
  Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('access-control') || k === 'vary'))

describe('cors', () => {
  it('sends no CORS headers unless configured', async () => {
    const res = await oneshot(cors()(inner()), req('GET', { origin: 'https://a.test' }))
    expect(cors_(res)).toEqual({})
    expect(await res.text()).toBe('inner')
  })

  it('answers every OPTIONS request itself without calling the inner service', async () => {
    const { svc, calls } = counting()
    const layer = cors({ allowOrigin: 'https://a.test', allowMethods: ['GET', 'PUT'], allowHeaders: ['X-Custom'] })
    const res = await oneshot(layer(svc), preflight('https://a.test'))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
    expect(calls).toEqual([])
    expect(cors_(res)).toEqual({
      'access-control-allow-origin': 'https://a.test',
      'access-control-allow-methods': 'GET,PUT',
      'access-control-allow-headers': 'x-custom',
    })
    // Even without Access-Control-Request-Method (tower-http#497).
    await oneshot(layer(svc), req('OPTIONS'))
    expect(calls).toEqual([])
  })

  it('exact origin is always sent and does not vary on Origin', async () => {
    const res = await oneshot(
      cors({ allowOrigin: 'https://a.test' })(inner()),
      req('GET', { origin: 'https://b.test' }),
    )
    expect(res.headers.get('access-control-allow-origin')).toBe('https://a.test')
    expect(res.headers.has('vary')).toBe(false)
  })

  it('list: echoes an allowed origin only, and varies on Origin', async () => {
    const svc = cors({ allowOrigin: ['https://a.test', 'https://b.test'] })(inner())
    const ok = await oneshot(svc, req('GET', { origin: 'https://b.test' }))
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://b.test')
    expect(ok.headers.get('vary')).toBe('origin')
    const no = await oneshot(svc, req('GET', { origin: 'https://evil.test' }))
    expect(no.headers.has('access-control-allow-origin')).toBe(false)
    expect(no.headers.get('vary')).toBe('origin')
    const none = await oneshot(svc, req('GET'))
    expect(none.headers.has('access-control-allow-origin')).toBe(false)
  })

  it('predicate and async predicate', async () => {
    const sync = cors({ allowOrigin: (o) => o.endsWith('.good.test') })(inner())
    expect(
      (await oneshot(sync, req('GET', { origin: 'https://x.good.test' }))).headers.get('access-control-allow-origin'),
    ).toBe('https://x.good.test')
    expect(
      (await oneshot(sync, req('GET', { origin: 'https://bad.test' }))).headers.has('access-control-allow-origin'),
    ).toBe(false)
    const asyncSvc = cors({ allowOrigin: async (o, r) => o === 'https://a.test' && r.url.startsWith('http://api') })(
      inner(),
    )
    expect(
      (await oneshot(asyncSvc, req('GET', { origin: 'https://a.test' }))).headers.get('access-control-allow-origin'),
    ).toBe('https://a.test')
    expect(
      (await oneshot(asyncSvc, req('GET', { origin: 'https://b.test' }))).headers.get('access-control-allow-origin'),
    ).toBe(null)
  })

  it('mirror: echoes Origin, request method and headers, with the Vary of all three', async () => {
    const res = await oneshot(cors.veryPermissive()(inner()), preflight('https://m.test'))
    expect(cors_(res)).toEqual({
      'access-control-allow-origin': 'https://m.test',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'x-custom,content-type',
      vary: 'origin, access-control-request-method, access-control-request-headers',
    })
  })

  it('permissive: wildcards and no Vary', async () => {
    const pre = await oneshot(cors.permissive()(inner()), preflight('https://a.test'))
    expect(cors_(pre)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': '*',
      'access-control-allow-headers': '*',
    })
    const get = await oneshot(cors.permissive()(inner()), req('GET', { origin: 'https://a.test' }))
    expect(cors_(get)).toEqual({ 'access-control-allow-origin': '*', 'access-control-expose-headers': '*' })
  })

  it('appends Vary to the inner service value; an explicit vary replaces the derived one', async () => {
    const withVary = counting({ headers: { vary: 'accept-encoding' } }).svc
    const a = await oneshot(cors({ allowOrigin: mirrorRequest })(withVary), req('GET', { origin: 'https://a.test' }))
    expect(a.headers.get('vary')).toBe('accept-encoding, origin')
    const b = await oneshot(cors({ allowOrigin: '*', vary: ['x-foo'] })(inner()), req('GET'))
    expect(b.headers.get('vary')).toBe('x-foo')
    const c = await oneshot(cors({ allowOrigin: '*', vary: ['x-foo'] })(withVary), req('GET'))
    expect(c.headers.get('vary')).toBe('accept-encoding, x-foo')
  })

  it('derived Vary for a mixed wildcard configuration lists only the mirrored request headers', async () => {
    const res = await oneshot(
      cors({ allowOrigin: '*', allowMethods: mirrorRequest, allowHeaders: mirrorRequest })(inner()),
      preflight('https://a.test'),
    )
    expect(res.headers.get('vary')).toBe('access-control-request-method, access-control-request-headers')
  })

  it('CORS headers overwrite the inner ones; expose headers only on actual requests', async () => {
    const svc = counting({ headers: { 'access-control-allow-origin': 'https://inner.test' } }).svc
    const res = await oneshot(
      cors({ allowOrigin: 'https://a.test', exposeHeaders: ['X-Total', 'ETag'] })(svc),
      req('GET', { origin: 'https://a.test' }),
    )
    expect(res.headers.get('access-control-allow-origin')).toBe('https://a.test')
    expect(res.headers.get('access-control-expose-headers')).toBe('x-total,etag')
    const pre = await oneshot(cors({ allowOrigin: 'https://a.test', exposeHeaders: ['X-Total'] })(svc), preflight('x'))
    expect(pre.headers.has('access-control-expose-headers')).toBe(false)
  })

  it('credentials: always or by predicate (which needs an Origin)', async () => {
    const always = await oneshot(cors({ allowOrigin: 'https://a.test', allowCredentials: true })(inner()), req('GET'))
    expect(always.headers.get('access-control-allow-credentials')).toBe('true')
    const pred = cors({ allowOrigin: mirrorRequest, allowCredentials: (o) => o === 'https://a.test' })(inner())
    expect(
      (await oneshot(pred, req('GET', { origin: 'https://a.test' }))).headers.get('access-control-allow-credentials'),
    ).toBe('true')
    expect(
      (await oneshot(pred, req('GET', { origin: 'https://b.test' }))).headers.has('access-control-allow-credentials'),
    ).toBe(false)
    expect((await oneshot(pred, req('GET'))).headers.has('access-control-allow-credentials')).toBe(false)
  })

  it('max age fixed or dynamic; empty method list omits the header', async () => {
    const fixed = await oneshot(cors({ allowOrigin: '*', maxAge: 600, allowMethods: [] })(inner()), preflight('o'))
    expect(fixed.headers.get('access-control-max-age')).toBe('600')
    expect(fixed.headers.has('access-control-allow-methods')).toBe(false)
    const dyn = await oneshot(
      cors({ allowOrigin: '*', maxAge: (origin) => (origin === 'https://a.test' ? 60 : undefined) })(inner()),
      preflight('https://a.test'),
    )
    expect(dyn.headers.get('access-control-max-age')).toBe('60')
  })

  it('a max age that is not a finite number sends no header (never max-age: NaN); negatives are 0', async () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const res = await oneshot(cors({ allowOrigin: '*', maxAge: () => value })(inner()), preflight('o'))
      expect(res.headers.has('access-control-max-age'), String(value)).toBe(false)
      const fixed = await oneshot(cors({ allowOrigin: '*', maxAge: value })(inner()), preflight('o'))
      expect(fixed.headers.has('access-control-max-age'), String(value)).toBe(false)
    }
    const negative = await oneshot(cors({ allowOrigin: '*', maxAge: () => -5 })(inner()), preflight('o'))
    expect(negative.headers.get('access-control-max-age')).toBe('0')
  })

  it('private network: only when requested, and when the predicate allows it', async () => {
    const svc = cors({ allowOrigin: '*', allowPrivateNetwork: true })(inner())
    const asked = await oneshot(svc, preflight('https://a.test', { 'access-control-request-private-network': 'true' }))
    expect(asked.headers.get('access-control-allow-private-network')).toBe('true')
    const notAsked = await oneshot(svc, preflight('https://a.test'))
    expect(notAsked.headers.has('access-control-allow-private-network')).toBe(false)
    const pred = cors({ allowOrigin: '*', allowPrivateNetwork: (o) => o === 'https://a.test' })(inner())
    const yes = await oneshot(pred, preflight('https://a.test', { 'access-control-request-private-network': 'true' }))
    const no = await oneshot(pred, preflight('https://b.test', { 'access-control-request-private-network': 'true' }))
    expect(yes.headers.get('access-control-allow-private-network')).toBe('true')
    expect(no.headers.has('access-control-allow-private-network')).toBe(false)
  })

  it('rejects credentials with a wildcard when the layer is built', () => {
    for (const field of ['allowOrigin', 'allowMethods', 'allowHeaders', 'exposeHeaders'] as const) {
      let error: unknown
      try {
        cors({ allowCredentials: true, [field]: '*' })
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(CorsConfigError)
      expect(error).toBeInstanceOf(TurretError)
      expect((error as CorsConfigError).code).toBe('ERR_CORS_CONFIG')
      expect((error as Error).message).toMatch(/Cannot combine `Access-Control-Allow-Credentials: true` with/)
    }
    expect(() => cors({ allowOrigin: ['https://a.test', '*'] })).toThrow(CorsConfigError)
    expect(() => cors({ allowOrigin: 'https://a.test\n' + 'x: y' })).toThrow(CorsConfigError)
    expect(() => cors({ allowOrigin: '*', allowHeaders: ['bad header\u0000'] })).toThrow(/not a valid/)
    expect(() => cors({ allowCredentials: true, allowOrigin: mirrorRequest, allowHeaders: ['x'] })).not.toThrow()
  })

  it('a preflight does not leak the inner reservation: the next ready() reuses it', async () => {
    let reservations = 0
    const limited: HttpService = {
      ready() {
        reservations++
        return undefined
      },
      call: async () => new Response('x'),
    }
    const svc = cors({ allowOrigin: '*' })(limited)
    await oneshot(svc, preflight('a'))
    await oneshot(svc, req('GET'))
    expect(reservations).toBe(1)
  })

  it('rebuilds responses with immutable headers (from fetch)', async () => {
    const frozen: HttpService = {
      ready: () => undefined,
      call: async () => Response.redirect('http://elsewhere.test/', 302),
    }
    const res = await oneshot(cors({ allowOrigin: '*' })(frozen), req('GET'))
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('http://elsewhere.test/')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('names the layer', () => {
    const i = inner()
    const svc = cors()(i)
    expect(svc.layerName).toBe('cors')
    expect(svc.inner).toBe(i)
  })
})

import { oneshot, serviceFn } from '@turret/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mockContext } from '../testing/context'
import {
  albEvent,
  apigwV1Event,
  apigwV2Event,
  functionUrlEvent,
  type HttpEventInit,
  resultToResponse,
  websocketEvent,
} from '../testing/index'
import { httpAdapter, type LambdaHttpEvent } from './index'

const EXPIRES = 'Expires=Wed, 21 Oct 2026 07:28:00 GMT'

/** The echo service: request metadata in `x-echo`, every request header as `x-h-<name>`, the body, a cookie per request cookie. */
const echo = httpAdapter()(
  serviceFn(async (req: Request) => {
    const url = new URL(req.url)
    const meta = {
      method: req.method,
      path: decodeURIComponent(url.pathname),
      query: [...url.searchParams],
      headers: [...req.headers],
    }
    const body = req.method === 'GET' || req.method === 'HEAD' ? null : new Uint8Array(await req.arrayBuffer())
    const res = new Response(body as BodyInit | null, {
      headers: { 'content-type': 'application/octet-stream', 'x-echo': encodeURIComponent(JSON.stringify(meta)) },
    })
    for (const [name, value] of req.headers) if (name !== 'cookie') res.headers.append(`x-h-${name}`, value)
    for (const c of (req.headers.get('cookie') ?? '').split('; ').filter(Boolean)) {
      res.headers.append('set-cookie', `${c}; ${EXPIRES}; Path=/`)
    }
    return res
  }),
)

const TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz".split('')
const RESERVED = new Set(['host', 'x-forwarded-proto', 'content-length', 'cookie', 'transfer-encoding', 'connection'])
const headerName = fc
  .string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 12 })
  .filter((n) => !RESERVED.has(n) && n !== '__proto__')
const headerValue = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 20 })
  .map((v) => v.trim())
const pathSegment = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
    fc.constantFrom('a b', 'x\ny', ' t ', 'tab\there', 'q?', 'h#', 'b\\s', '{id}', '日本語'),
  )
  .filter((s) => !s.includes('/') && !s.includes('%') && s !== '.' && s !== '..')
const queryKey = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).filter((k) => k !== '__proto__')
const queryValue = fc.string({ unit: 'grapheme', maxLength: 8 })
const cookie = fc
  .tuple(
    fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_'.split('')),
      minLength: 1,
      maxLength: 6,
    }),
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-._'.split('')), maxLength: 8 }),
  )
  .map(([n, v]) => `${n}=${v}`)

const request = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
  path: fc.array(pathSegment, { maxLength: 4 }).map((segs) => `/${segs.join('/')}`),
  query: fc.dictionary(queryKey, fc.array(queryValue, { minLength: 1, maxLength: 3 }), { maxKeys: 4 }),
  headers: fc.dictionary(headerName, fc.array(headerValue, { minLength: 1, maxLength: 2 }), { maxKeys: 5 }),
  cookies: fc.uniqueArray(cookie, { maxLength: 3, selector: (c) => c.split('=')[0] }),
  body: fc.oneof(
    fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ bytes, base64: true })),
    fc
      .string({ unit: 'grapheme', maxLength: 32 })
      .map((text) => ({ bytes: new TextEncoder().encode(text), base64: false })),
  ),
})

/** Headers trim leading and trailing spaces and tabs from values (so `'' + ', ' + ''` reads back as `','`). */
function trimOws(value: string): string {
  return value.replace(/^[\t ]+|[\t ]+$/g, '')
}

type Generated = typeof request extends fc.Arbitrary<infer T> ? T : never

interface Source {
  readonly name: string
  readonly make: (init: HttpEventInit) => LambdaHttpEvent
  /** How repeated header values arrive: joined by the source, or only the last one. */
  readonly headerJoin: ', ' | ',' | 'last'
  /** Whether repeated query values survive (single-value maps keep the last). */
  readonly multiQuery: boolean
}

const SOURCES: Source[] = [
  { name: 'apigw-v1 (multi-value)', make: (i) => apigwV1Event(i), headerJoin: ', ', multiQuery: true },
  {
    name: 'apigw-v1 (single-value)',
    make: (i) => apigwV1Event({ ...i, multiValue: false }),
    headerJoin: 'last',
    multiQuery: false,
  },
  { name: 'apigw-v2', make: (i) => apigwV2Event(i), headerJoin: ',', multiQuery: true },
  { name: 'function-url', make: (i) => functionUrlEvent(i), headerJoin: ',', multiQuery: true },
  { name: 'alb (single-value)', make: (i) => albEvent(i), headerJoin: 'last', multiQuery: false },
  { name: 'alb (multi-value)', make: (i) => albEvent({ ...i, multiValue: true }), headerJoin: ', ', multiQuery: true },
]

function init(g: Generated): HttpEventInit {
  const hasBody = g.method !== 'GET' && g.method !== 'HEAD'
  const text = new TextDecoder().decode(g.body.bytes)
  return {
    method: g.method,
    path: g.path,
    query: g.query,
    headers: g.headers,
    cookies: g.cookies,
    ...(hasBody ? { body: g.body.base64 ? g.body.bytes : text, base64: g.body.base64 } : {}),
  }
}

async function roundTrip(payload: LambdaHttpEvent) {
  const result = await oneshot(echo, { payload, context: mockContext() })
  const res = resultToResponse(result)
  const meta = JSON.parse(decodeURIComponent(res.headers.get('x-echo') as string)) as {
    method: string
    path: string
    query: [string, string][]
    headers: [string, string][]
  }
  return { res, meta, body: new Uint8Array(await res.arrayBuffer()) }
}

describe('property: request → event → Request → echo → result → decoded gives the same request', () => {
  for (const source of SOURCES) {
    it(source.name, async () => {
      await fc.assert(
        fc.asyncProperty(request, async (g) => {
          const { res, meta, body } = await roundTrip(source.make(init(g)))
          expect(res.status).toBe(200)
          expect(meta.method).toBe(g.method)
          expect(meta.path).toBe(g.path)
          const wantQuery = Object.entries(g.query).flatMap(([k, vs]) =>
            (source.multiQuery ? vs : vs.slice(-1)).map((v): [string, string] => [k, v]),
          )
          expect(meta.query).toEqual(wantQuery)
          const got = new Headers(meta.headers)
          for (const [name, values] of Object.entries(g.headers)) {
            const joined = source.headerJoin === 'last' ? values[values.length - 1] : values.join(source.headerJoin)
            const want = trimOws(joined as string)
            expect(got.get(name)).toBe(want)
            expect(res.headers.get(`x-h-${name}`)).toBe(want)
          }
          expect(got.get('cookie')).toBe(g.cookies.length > 0 ? g.cookies.join('; ') : null)
          expect(res.headers.getSetCookie()).toEqual(g.cookies.map((c) => `${c}; ${EXPIRES}; Path=/`))
          const hasBody = g.method !== 'GET' && g.method !== 'HEAD'
          expect(body).toEqual(hasBody ? g.body.bytes : new Uint8Array(0))
          expect(got.get('content-length')).toBe(
            hasBody && g.body.bytes.length > 0 ? String(g.body.bytes.length) : null,
          )
        }),
        { numRuns: 50 },
      )
    })
  }

  it('websocket (CONNECT headers and query, MESSAGE body)', async () => {
    const connect = fc.record({
      query: fc.dictionary(queryKey, fc.array(queryValue, { minLength: 1, maxLength: 3 }), { maxKeys: 4 }),
      headers: fc.dictionary(headerName, fc.array(headerValue, { minLength: 1, maxLength: 2 }), { maxKeys: 5 }),
    })
    await fc.assert(
      fc.asyncProperty(connect, async (g) => {
        const { meta } = await roundTrip(websocketEvent({ eventType: 'CONNECT', query: g.query, headers: g.headers }))
        expect(meta.method).toBe('GET')
        expect(meta.path).toBe('/$connect')
        expect(meta.query).toEqual(Object.entries(g.query).flatMap(([k, vs]) => vs.map((v) => [k, v])))
        const got = new Headers(meta.headers)
        for (const [name, values] of Object.entries(g.headers)) expect(got.get(name)).toBe(trimOws(values.join(', ')))
      }),
      { numRuns: 40 },
    )
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.constantFrom('$default', 'sendMessage'),
        async (bytes, routeKey) => {
          const { meta, body } = await roundTrip(websocketEvent({ routeKey, body: bytes }))
          expect(meta.method).toBe('POST')
          expect(meta.path).toBe(`/${routeKey}`)
          expect(body).toEqual(bytes)
        },
      ),
      { numRuns: 40 },
    )
  })

  it('normalizeUrl fast path never disagrees with the WHATWG parser', async () => {
    const { normalizeUrl } = await import('./request')
    const chars = fc.constantFrom(...'aZ09-._~!$&\'()*+,;=:@%/?#[]|^`{}"<> \\é.'.split(''))
    fc.assert(
      fc.property(
        fc.constantFrom('http', 'https'),
        fc.constantFrom('example.com', 'EXAMPLE.com', 'a-b.c0', '127.0.0.1', '1.2.3', 'x.example.com:443', 'h:8080'),
        fc.string({ unit: chars, maxLength: 24 }),
        (scheme, host, rest) => {
          const href = `${scheme}://${host}/${rest.replace(/#/g, '%23')}`
          let want: string | undefined
          try {
            want = new URL(href).href
          } catch {
            want = undefined
          }
          if (want === undefined) expect(() => normalizeUrl(href)).toThrow()
          else expect(normalizeUrl(href)).toBe(want)
        },
      ),
      { numRuns: 500 },
    )
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildHeaders, type RequestParts } from './event-request'
import { lazyHeaders } from './lazy-headers'

function parts(over: Partial<RequestParts>): RequestParts {
  const values = [...Object.values(over.multi ?? {}).flat(), ...Object.values(over.single ?? {})]
  return {
    wide: values.some((v) => typeof v === 'string' && /[^\0-\xff]/.test(v)),
    method: 'GET',
    url: 'https://x.example.com/',
    multi: undefined,
    single: undefined,
    cookie: undefined,
    body: null,
    length: 0,
    signal: undefined,
    ...over,
  }
}

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,8}$/)
const value = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
  fc.constantFrom(' padded ', '\tx\t', 'é', '日本語', ''),
)

describe('LazyHeaders', () => {
  it('reads exactly like the Headers built from the same maps (property)', () => {
    fc.assert(
      fc.property(
        fc.option(fc.dictionary(name, fc.array(value, { maxLength: 3 }), { maxKeys: 5 }), { nil: undefined }),
        fc.option(fc.dictionary(name, value, { maxKeys: 5 }), { nil: undefined }),
        fc.option(
          fc.string({ maxLength: 8 }).map((c) => `k=${c.replace(/[\r\n\0;]/g, '')}`),
          { nil: undefined },
        ),
        fc.option(fc.string({ maxLength: 8 }), { nil: null }),
        (multi, single, cookie, body) => {
          const p = parts({ multi, single, cookie, body, length: body === null ? 0 : Buffer.byteLength(body) })
          const lazy = lazyHeaders(p, buildHeaders)
          const real = buildHeaders(p)
          expect(lazy).toBeInstanceOf(Headers)
          expect([...lazy]).toEqual([...real])
          const seen: [string, string][] = []
          lazy.forEach((v, k, parent) => {
            expect(parent).toBe(lazy)
            seen.push([k, v])
          })
          expect(seen).toEqual([...real.entries()])
          expect([...lazy.keys()]).toEqual([...real.keys()])
          expect([...lazy.values()]).toEqual([...real.values()])
          for (const n of [
            ...Object.keys(multi ?? {}),
            ...Object.keys(single ?? {}),
            'cookie',
            'content-length',
            'absent',
          ]) {
            for (const variant of [n, n.toUpperCase(), n.toLowerCase()]) {
              expect(lazy.get(variant)).toBe(real.get(variant))
              expect(lazy.has(variant)).toBe(real.has(variant))
            }
          }
          expect([...new Headers(lazy)]).toEqual([...new Headers([...real])])
        },
      ),
      { numRuns: 300 },
    )
  })

  it('throws like Headers on an invalid name; writes switch to an ordinary Headers', () => {
    const lazy = lazyHeaders(parts({ single: { 'X-A': '1', Accept: 'a/b' } }), buildHeaders)
    expect(() => lazy.get('bad name')).toThrow(TypeError)
    expect(() => lazy.has('a"b')).toThrow(TypeError)
    lazy.append('x-a', '2')
    lazy.set('x-new', 'n')
    lazy.delete('accept')
    expect([...lazy]).toEqual([
      ['x-a', '1, 2'],
      ['x-new', 'n'],
    ])
    expect(() => lazy.set('bad name', 'x')).toThrow(TypeError)
    expect(lazy.getSetCookie()).toEqual([])
    expect([...new Response(null, { headers: lazy }).headers]).toEqual([
      ['x-a', '1, 2'],
      ['x-new', 'n'],
    ])
  })

  it('a request header named set-cookie falls back to an ordinary Headers', () => {
    const h = lazyHeaders(parts({ multi: { 'set-cookie': ['a=1', 'b=2'] } }), buildHeaders)
    expect(Object.getPrototypeOf(h)).toBe(Headers.prototype)
    expect(h.getSetCookie()).toEqual(['a=1', 'b=2'])
  })
})

describe("the parser's header map", () => {
  it('equals the map built on first read from the same event (property, v1/ALB-style and v2-style maps)', async () => {
    const { parseEvent } = await import('./request')
    const { headerMap } = await import('./lazy-headers')
    const safe = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 10,
    })
    const cased = fc.constantFrom('Accept', 'accept', 'X-Id', 'x-id', 'Cookie', 'cookie', 'Host', 'host', 'Set-Cookie')
    const headerName = fc.oneof(cased, name)
    fc.assert(
      fc.property(
        fc.option(
          fc.dictionary(headerName, fc.array(fc.oneof(safe, fc.constant(' pad ')), { maxLength: 3 }), { maxKeys: 6 }),
          {
            nil: undefined,
          },
        ),
        fc.option(fc.dictionary(headerName, safe, { maxKeys: 6 }), { nil: undefined }),
        fc.boolean(),
        (multiValueHeaders, headers, v2) => {
          const event = v2
            ? { version: '2.0', rawPath: '/', rawQueryString: '', headers, requestContext: { http: { method: 'GET' } } }
            : { httpMethod: 'POST', path: '/', body: 'x', headers, multiValueHeaders, requestContext: { elb: {} } }
          const parsed = parseEvent(event, undefined, { stagePath: 'as-sent' })
          if (!('url' in parsed)) return // a 400 (e.g. an invalid host): nothing to compare
          const rebuilt = headerMap({ ...parsed, headerMap: undefined })
          expect(parsed.headerMap === false ? undefined : parsed.headerMap).toEqual(rebuilt)
        },
      ),
      { numRuns: 400 },
    )
  })
})

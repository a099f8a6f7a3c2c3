import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { catchPanic } from '../catch-panic/index'
import { compression } from '../compression/index'
import { cors } from '../cors/index'
import { extensions, key } from '../extensions/index'
import { fromFetch, toFetch } from '../fetch/index'
import { LiteResponse } from '../internal/index'
import { mapResponseBody } from '../map-response-body/index'
import { setResponseHeader } from '../set-header/index'
import { html, json, responseBody, text } from './index'

const pristineParts = (res: Response) => LiteResponse.pristine(res)

const get = (headers: Record<string, string> = {}) => new Request('http://x/', { headers })

describe('text / json / html', () => {
  it('are lightweight on every runtime: nothing built until a fetch API needs it', () => {
    const res = text('hello')
    expect(pristineParts(res)).toEqual({
      status: 200,
      statusText: '',
      headers: ['content-type', 'text/plain; charset=utf-8'],
      body: 'hello',
    })
    expect(res.status).toBe(200) // reading plain properties keeps it untouched
    expect(pristineParts(res)).toBeDefined()
    void res.headers
    expect(pristineParts(res)).toBeUndefined()
  })

  it('are real Responses: instanceof, every property', () => {
    const res = text('hello', { status: 201, statusText: 'Made', headers: { 'X-One': ' 1 ' } })
    expectTypeOf(res).toEqualTypeOf<Response>()
    expect(res).toBeInstanceOf(Response)
    expect(Object.prototype.toString.call(res)).toBe('[object Response]')
    expect(res.status).toBe(201)
    expect(res.ok).toBe(true)
    expect(res.statusText).toBe('Made')
    expect(res.type).toBe('default')
    expect(res.url).toBe('')
    expect(res.redirected).toBe(false)
    expect(res.bodyUsed).toBe(false)
    expect(res.headers).toBeInstanceOf(Headers)
    expect([...res.headers]).toEqual([
      ['content-type', 'text/plain; charset=utf-8'],
      ['x-one', '1'],
    ])
    expect(res.body).toBeInstanceOf(ReadableStream)
    expect(text('x', { status: 404 }).ok).toBe(false)
  })

  it('answers every body method like undici', async () => {
    expect(await text('héllo').text()).toBe('héllo')
    expect(await json({ a: [1, 'b'] }).json()).toEqual({ a: [1, 'b'] })
    expect(new TextDecoder().decode(await text('héllo').arrayBuffer())).toBe('héllo')
    const bytes = await text('hé').bytes()
    expect(bytes).toBeInstanceOf(Uint8Array)
    expect([...bytes]).toEqual([0x68, 0xc3, 0xa9])
    const blob = await html('<p>x</p>').blob()
    expect(blob.type).toBe('text/html;charset=utf-8')
    expect(await blob.text()).toBe('<p>x</p>')
    const form = await text('a=1&b=2', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }).formData()
    expect(form.get('b')).toBe('2')
    // the same decoding rules as undici: a BOM is dropped, lone surrogates become U+FFFD
    expect(await text('\ufeffbom').text()).toBe(await new Response('\ufeffbom').text())
    expect(await text('a\ud800b').text()).toBe(await new Response('a\ud800b').text())
  })

  it('lets a body be read once; a second read rejects like undici, and clone() throws', async () => {
    for (const read of ['text', 'json', 'arrayBuffer', 'bytes', 'blob'] as const) {
      const res = json({ n: 1 })
      await res[read]()
      expect(res.bodyUsed).toBe(true)
      await expect(res.text()).rejects.toThrow(TypeError)
      await expect(res[read]()).rejects.toThrow(/unusable|already/)
      expect(() => res.clone()).toThrow(TypeError)
      // the materialised body is used too
      expect(res.body?.locked).toBe(true)
      expect(() => new Response(res.body)).toThrow(TypeError)
    }
  })

  it('clones: both bodies readable, headers copied (with edits made before the clone)', async () => {
    const res = text('twice')
    res.headers.set('x-edited', 'yes')
    const copy = res.clone()
    expect(copy).toBeInstanceOf(Response)
    expect(copy.headers.get('x-edited')).toBe('yes')
    copy.headers.set('x-copy-only', '1')
    expect(res.headers.has('x-copy-only')).toBe(false)
    expect(await copy.text()).toBe('twice')
    expect(await res.text()).toBe('twice')
    // clone of a materialised one goes through undici
    const streamed = text('streamed')
    void streamed.body
    const c2 = streamed.clone()
    expect(await c2.text()).toBe('streamed')
    expect(await streamed.text()).toBe('streamed')
  })

  it('keeps header edits when the undici response is built later', async () => {
    const res = text('body')
    res.headers.set('x-late', '1')
    res.headers.delete('content-type')
    const cloned = res.clone()
    expect(cloned.headers.get('x-late')).toBe('1')
    expect(cloned.headers.has('content-type')).toBe(false)
    const real = new Response(res.body, res)
    expect(real.headers.get('x-late')).toBe('1')
    expect(real.headers.has('content-type')).toBe(false)
    res.headers.set('x-after', '2') // the same Headers object as before the body was built
    expect(res.headers.get('x-after')).toBe('2')
    expect(await real.text()).toBe('body')
    expect(await cloned.text()).toBe('body')
  })

  it('works with new Response(lite.body), and its body is used once read', async () => {
    expect(await new Response(html('<b>b</b>').body).text()).toBe('<b>b</b>')
    const res = json([1, 2])
    expect(await res.json()).toEqual([1, 2])
    expect(res.bodyUsed).toBe(true)
    expect(res.body?.locked).toBe(true)
    await expect(res.text()).rejects.toThrow(TypeError)
  })

  it('validates init like new Response()', () => {
    expect(() => text('x', { status: 199 })).toThrow(RangeError)
    expect(() => text('x', { status: 600 })).toThrow(RangeError)
    expect(() => text('x', { status: 204 })).toThrow(TypeError)
    expect(() => json(1, { status: 304 })).toThrow(TypeError)
    expect(() => html('', { status: 205 })).toThrow(TypeError)
    expect(() => text('x', { statusText: 'bad\nline' })).toThrow(TypeError)
    expect(() => text('x', { headers: { 'bad name': 'v' } })).toThrow(TypeError)
    expect(() => text('x', { headers: { ok: 'a\r\nb' } })).toThrow(TypeError)
    expect(() => text('x', { headers: { ok: 'wide ☃' } })).toThrow(TypeError)
    expect(() => text('x', { headers: [['only-name']] as unknown as HeadersInit })).toThrow(TypeError)
    expect(() => json(undefined)).toThrow(TypeError)
    for (const init of [{ status: 199 }, { status: 204 }, { headers: { 'bad name': 'v' } }]) {
      expect(() => text('x', init)).toThrow(
        (() => {
          try {
            new Response('x', init)
          } catch (error) {
            return (error as Error).constructor as typeof Error
          }
          throw new Error('new Response accepted it')
        })(),
      )
    }
    expect(text('x', { status: 599 }).status).toBe(599)
  })

  it('sets the content type unless the caller does', async () => {
    expect(text('x').headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(json(1).headers.get('content-type')).toBe('application/json')
    expect(html('x').headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(json(1, { headers: { 'Content-Type': 'application/problem+json' } }).headers.get('content-type')).toBe(
      'application/problem+json',
    )
    const fromHeaders = text('x', { headers: new Headers([['content-type', 'text/csv']]) })
    expect(fromHeaders.headers.get('content-type')).toBe('text/csv')
    const pairs = html('x', {
      headers: [
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
      ],
    })
    expect(pairs.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(pairs.headers.get('content-type')).toBe('text/html; charset=utf-8')
  })

  it('carries extensions like any object', () => {
    const k = key<number>('n')
    const res = text('x')
    extensions(res).set(k, 7)
    expect(extensions(res).get(k)).toBe(7)
  })
})

describe('through turret layers', () => {
  it('compression compresses a lazy response', async () => {
    const big = 'compress me '.repeat(100)
    const svc = compression()(serviceFn(() => text(big)))
    const res = await oneshot(svc, get({ 'accept-encoding': 'gzip' }))
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    const unzipped = await promisify(gunzip)(Buffer.from(await res.arrayBuffer()))
    expect(unzipped.toString()).toBe(big)
  })

  it('cors adds its headers to a lazy response', async () => {
    const svc = cors({ allowOrigin: '*', exposeHeaders: 'x-a' })(serviceFn(() => json({ ok: true })))
    const res = await oneshot(svc, get({ origin: 'http://a.example' }))
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-expose-headers')).toBe('x-a')
    expect(await res.json()).toEqual({ ok: true })
  })

  it('set-header, map-response-body and catch-panic', async () => {
    const upper = mapResponseBody((body) =>
      body === null
        ? null
        : body
            .pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>)
            .pipeThrough(upperCase()),
    )
    const svc = catchPanic()(
      setResponseHeader(
        'x-set',
        'yes',
      )(upper(serviceFn((req: Request) => (req.url.endsWith('/boom') ? boom() : text('hi'))))),
    )
    const res = await oneshot(svc, get())
    expect(res.headers.get('x-set')).toBe('yes')
    expect(await res.text()).toBe('HI')
    const panic = await oneshot(svc, new Request('http://x/boom'))
    expect(panic.status).toBe(500)
    // catch-panic with a handler answering a lazy response
    const handled = catchPanic({ handler: () => text('sorry', { status: 503 }) })(serviceFn(boom))
    const r2 = await oneshot(handled, get())
    expect([r2.status, await r2.text()]).toEqual([503, 'sorry'])
  })

  it('via toFetch and fromFetch', async () => {
    const fetchLike = toFetch(serviceFn(() => html('<i>x</i>', { status: 202 })))
    const res = await fetchLike(get())
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([
      202,
      'text/html; charset=utf-8',
      '<i>x</i>',
    ])
    const back = await oneshot(
      fromFetch(() => text('from fetch')),
      get(),
    )
    expect(await back.text()).toBe('from fetch')
  })
})

describe('responseBody', () => {
  it('reads a lazy body without building anything, and nothing once it is used', async () => {
    const res = text('lazy')
    expect(responseBody(res)).toBe('lazy')
    expect(pristineParts(res)).toBeDefined()
    void res.headers
    expect(responseBody(res)).toBe('lazy')
    await res.text()
    expect(responseBody(res)).toBeUndefined()
  })

  it('reads no private state of runtime responses: a body is a stream (undefined), or null', async () => {
    const { native } = await import('../internal/index')
    expect(responseBody(new native.Response('str'))).toBeUndefined()
    expect(responseBody(new native.Response(new Uint8Array([1, 2, 3])))).toBeUndefined()
    expect(responseBody(new native.Response(null))).toBeNull()
    expect(responseBody(new Response(new ReadableStream()))).toBeUndefined()
    const used = new Response('used')
    await used.text()
    expect(responseBody(used)).toBeUndefined()
    const locked = new Response('locked')
    locked.body?.getReader()
    expect(responseBody(locked)).toBeUndefined()
    expect(responseBody(new Response(null))).toBeNull()
    expect(responseBody(new Response(null, { status: 204 }))).toBeNull()
    // a lightweight response whose stream was made: its source until the stream is read or locked
    const made = text('made')
    void made.body
    expect(responseBody(made)).toBe('made')
    made.body?.getReader()
    expect(responseBody(made)).toBeUndefined()
  })
})

function boom(): never {
  throw new Error('boom')
}

function upperCase(): TransformStream<string, Uint8Array> {
  const encoder = new TextEncoder()
  return new TransformStream({
    transform(chunk, controller) {
      controller.enqueue(encoder.encode(chunk.toUpperCase()))
    },
  })
}

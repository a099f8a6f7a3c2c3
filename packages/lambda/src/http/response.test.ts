import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { mockContext } from '../testing/context'
import {
  albEvent,
  apigwV1Event,
  apigwV2Event,
  functionUrlEvent,
  resultToResponse,
  websocketEvent,
} from '../testing/index'
import { type HttpAdapterOptions, httpAdapter, type LambdaHttpEvent } from './index'
import { isTextContentType, statusDescription } from './response'

const COOKIES = [
  'id=a3fWa; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure; HttpOnly',
  'lang=en; Expires=Thu, 22 Oct 2026 07:28:00 GMT; Path=/',
  'theme=dark; Max-Age=3600; Domain=example.com; SameSite=Lax',
]

function answer(make: () => Response, options?: HttpAdapterOptions) {
  const svc = httpAdapter(options)(serviceFn(async () => make()))
  return (payload: LambdaHttpEvent) =>
    oneshot(svc, { payload, context: mockContext() }) as Promise<Record<string, unknown>>
}

function withCookies(): Response {
  const headers = new Headers({ 'content-type': 'text/plain', vary: 'accept' })
  headers.append('vary', 'origin')
  for (const c of COOKIES) headers.append('set-cookie', c)
  return new Response('ok', { status: 201, headers })
}

describe('response shapes', () => {
  it('v1 (event used multiValueHeaders): every header in multiValueHeaders, each cookie intact', async () => {
    const result = await answer(withCookies)(apigwV1Event())
    expect(result).toEqual({
      statusCode: 201,
      multiValueHeaders: { 'content-type': ['text/plain'], vary: ['accept, origin'], 'set-cookie': COOKIES },
      body: 'ok',
      isBase64Encoded: false,
    })
  })

  it('v1 (single-value event): headers, cookies in multiValueHeaders when there are several', async () => {
    const result = await answer(withCookies)(apigwV1Event({ multiValue: false }))
    expect(result).toMatchObject({
      statusCode: 201,
      headers: { 'content-type': 'text/plain', vary: 'accept, origin' },
      multiValueHeaders: { 'set-cookie': COOKIES },
    })
    const one = await answer(() => new Response('', { headers: { 'set-cookie': COOKIES[0] as string } }))(
      apigwV1Event({ multiValue: false }),
    )
    expect(one).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'set-cookie': COOKIES[0] },
      body: '',
      isBase64Encoded: false,
    })
  })

  it('v2 and Function URL: cookies array holds every Set-Cookie, never split on the commas of Expires', async () => {
    for (const ev of [apigwV2Event(), functionUrlEvent()]) {
      const result = await answer(withCookies)(ev)
      expect(result).toEqual({
        statusCode: 201,
        headers: { 'content-type': 'text/plain', vary: 'accept, origin' },
        cookies: COOKIES,
        body: 'ok',
        isBase64Encoded: false,
      })
    }
    const none = await answer(() => new Response('x'))(apigwV2Event())
    expect(none).not.toHaveProperty('cookies')
    expect(none).not.toHaveProperty('multiValueHeaders')
  })

  it('ALB multi-value mode: multiValueHeaders with all cookies, statusDescription', async () => {
    const result = await answer(withCookies)(albEvent({ multiValue: true }))
    expect(result).toEqual({
      statusCode: 201,
      statusDescription: '201 Created',
      multiValueHeaders: { 'content-type': ['text/plain'], vary: ['accept, origin'], 'set-cookie': COOKIES },
      body: 'ok',
      isBase64Encoded: false,
    })
  })

  it('ALB single-header mode: headers only; the first cookie intact under set-cookie, others under case variants', async () => {
    const result = await answer(withCookies)(albEvent())
    expect(result).not.toHaveProperty('multiValueHeaders')
    expect(result.statusDescription).toBe('201 Created')
    const headers = result.headers as Record<string, string>
    expect(headers['set-cookie']).toBe(COOKIES[0])
    expect(headers['Set-cookie']).toBe(COOKIES[1])
    expect(headers['sEt-cookie']).toBe(COOKIES[2])
    expect(resultToResponse(result as never).headers.getSetCookie()).toEqual(COOKIES)
  })

  it('WebSocket answers in the v1 shape', async () => {
    const result = await answer(() => new Response('pong'))(websocketEvent({ body: 'ping' }))
    expect(result).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: 'pong',
      isBase64Encoded: false,
    })
  })

  it('statusDescription uses the response statusText, else the standard reason', () => {
    expect(statusDescription(200)).toBe('200 OK')
    expect(statusDescription(404)).toBe('404 Not Found')
    expect(statusDescription(299)).toBe('299')
    expect(statusDescription(200, 'Fine')).toBe('200 Fine')
  })

  it('hop-by-hop headers are not forwarded', async () => {
    const result = await answer(
      () => new Response('x', { headers: { 'transfer-encoding': 'chunked', connection: 'close', 'x-ok': '1' } }),
    )(apigwV2Event())
    expect(result.headers).toEqual({ 'x-ok': '1', 'content-type': 'text/plain;charset=UTF-8' })
  })
})

describe('bodies', () => {
  it('binary bodies are base64; gzip content-encoding is binary (lambda_http "MDAwMDAw")', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff])
    const r1 = await answer(() => new Response(png, { headers: { 'content-type': 'image/png' } }))(apigwV2Event())
    expect(r1).toMatchObject({ body: Buffer.from(png).toString('base64'), isBase64Encoded: true })
    const r2 = await answer(
      () => new Response('000000', { headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' } }),
    )(apigwV1Event())
    expect(r2).toMatchObject({ body: 'MDAwMDAw', isBase64Encoded: true })
    const r3 = await answer(
      () => new Response('000000', { headers: { 'content-type': 'text/plain', 'content-encoding': 'identity' } }),
    )(apigwV1Event())
    expect(r3).toMatchObject({ body: '000000', isBase64Encoded: false })
  })

  it('the text/binary table (Hono and lambda_http cases)', () => {
    const binary = [
      'image/png',
      'font/woff2',
      'application/octet-stream',
      'application/pdf',
      'application/zip',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/msword',
      'application/epub+zip',
      'application/vnd.oasis.opendocument.text',
      'text/plain; charset=utf-16',
      'text/csv; charset=ISO-8859-1',
      'application/json; charset="windows-1252"',
      'audio/mpeg',
    ]
    const text = [
      'text/plain',
      'text/html; charset=utf-8',
      'text/markdown',
      'text/csv',
      'application/json',
      'application/ld+json',
      'application/graphql-response+json',
      'image/svg+xml',
      'application/xml',
      'application/javascript',
      'application/yaml',
      'application/x-www-form-urlencoded',
      'application/problem+json; charset=UTF-8',
      'application/x-ndjson',
      'application/ndjson',
      'application/jsonl',
      'application/atom+xml',
      'application/vnd.api+json',
      'application/graphql',
      'TEXT/HTML; Charset="utf-8"',
      'text/plain; charset=us-ascii',
      'application/json;charset=utf8',
    ]
    for (const ct of binary) expect(isTextContentType(ct, null), ct).toBe(false)
    for (const ct of text) expect(isTextContentType(ct, null), ct).toBe(true)
    for (const enc of ['gzip', 'compress', 'deflate', 'br', 'deflate, gzip', 'zstd'])
      expect(isTextContentType('text/plain', enc)).toBe(false)
    for (const enc of ['', 'identity']) expect(isTextContentType('text/plain', enc)).toBe(true)
    expect(isTextContentType(null, null)).toBeUndefined()
  })

  it('no content-type: text when the bytes are UTF-8, base64 otherwise', async () => {
    const make = (body: Uint8Array) => () => {
      const res = new Response(body as BodyInit)
      res.headers.delete('content-type')
      return res
    }
    expect(await answer(make(new TextEncoder().encode('héllo')))(apigwV2Event())).toMatchObject({
      body: 'héllo',
      isBase64Encoded: false,
    })
    expect(await answer(make(new Uint8Array([0xff, 0xfe])))(apigwV2Event())).toMatchObject({
      body: '//4=',
      isBase64Encoded: true,
    })
  })

  it('a text content type with bytes that are not UTF-8 is sent base64 rather than corrupted', async () => {
    const r = await answer(
      () => new Response(new Uint8Array([0xc3, 0x28]), { headers: { 'content-type': 'text/plain' } }),
    )(apigwV2Event())
    expect(r).toMatchObject({ body: 'wyg=', isBase64Encoded: true })
  })

  it('isBinary overrides the rule both ways, undefined falls back', async () => {
    const always = answer(() => new Response('hi', { headers: { 'content-type': 'text/plain' } }), {
      isBinary: () => true,
    })
    expect(await always(apigwV2Event())).toMatchObject({ body: 'aGk=', isBase64Encoded: true })
    const never = answer(() => new Response('hi', { headers: { 'content-type': 'image/x-text' } }), {
      isBinary: () => false,
    })
    expect(await never(apigwV2Event())).toMatchObject({ body: 'hi', isBase64Encoded: false })
    const fallback = answer(() => new Response('hi', { headers: { 'content-type': 'image/png' } }), {
      isBinary: () => undefined,
    })
    expect(await fallback(apigwV2Event())).toMatchObject({ body: 'aGk=', isBase64Encoded: true })
  })

  it('streamed, Blob and JSON bodies are read whole', async () => {
    const stream = () =>
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode('ab'))
            c.enqueue(new TextEncoder().encode('cd'))
            c.close()
          },
        }),
        { headers: { 'content-type': 'text/plain' } },
      )
    expect(await answer(stream)(apigwV2Event())).toMatchObject({ body: 'abcd', isBase64Encoded: false })
    expect(await answer(() => new Response(new Blob(['xyz'], { type: 'text/plain' })))(apigwV2Event())).toMatchObject({
      body: 'xyz',
    })
    expect(await answer(() => Response.json({ a: [1, 'é'] }))(albEvent())).toMatchObject({
      statusDescription: '200 OK',
      headers: { 'content-type': 'application/json' },
      body: '{"a":[1,"é"]}',
      isBase64Encoded: false,
    })
  })

  it('a response whose body was partly read by a layer is still read from the stream', async () => {
    const svc = serviceFn(async () => {
      const res = new Response('whole body', { headers: { 'content-type': 'text/plain' } })
      const tee = res.clone()
      await tee.text()
      return res
    })
    const result = await oneshot(httpAdapter()(svc), { payload: apigwV2Event(), context: mockContext() })
    expect(result).toMatchObject({ body: 'whole body' })
  })

  it('empty bodies, 204 and HEAD give body "" (HEAD keeps the headers)', async () => {
    expect(await answer(() => new Response(null, { status: 204 }))(apigwV2Event())).toEqual({
      statusCode: 204,
      headers: {},
      body: '',
      isBase64Encoded: false,
    })
    const head = await answer(
      () => new Response('body text', { headers: { 'content-type': 'text/plain', 'content-length': '9' } }),
    )(apigwV1Event({ method: 'HEAD' }))
    expect(head).toEqual({
      statusCode: 200,
      multiValueHeaders: { 'content-length': ['9'], 'content-type': ['text/plain'] },
      body: '',
      isBase64Encoded: false,
    })
  })
})

describe('reading the body of a string or byte response', () => {
  const event = apigwV2Event({ method: 'GET', path: '/' })

  it('sends the source of an unread body, text and bytes alike', async () => {
    expect((await answer(() => new Response('plain'))(event)).body).toBe('plain')
    const bytes = await answer(
      () => new Response(new Uint8Array([1, 2, 255]), { headers: { 'content-type': 'image/png' } }),
    )(event)
    expect(bytes).toMatchObject({ body: Buffer.from([1, 2, 255]).toString('base64'), isBase64Encoded: true })
  })

  it('never sends the source of a body already read, even partly, by the service', async () => {
    const consumed = answer(() => {
      const res = new Response('secret')
      void res.text()
      return res
    })
    await expect(consumed(event)).rejects.toThrow(TypeError)
    const partly = httpAdapter()(
      serviceFn(async () => {
        const res = new Response('abcdef')
        const reader = (res.body as ReadableStream<Uint8Array>).getReader()
        await reader.read() // unlocked again, but disturbed: its source must not be sent whole
        reader.releaseLock()
        return res
      }),
    )
    await expect(oneshot(partly, { payload: event, context: mockContext() })).rejects.toThrow(TypeError)
  })
})

describe("turret's own responses (text(), json(), html())", () => {
  it('are answered from their parts, with status, headers and cookies', async () => {
    const { json, text } = await import('@turret/http')
    const v2 = apigwV2Event({ method: 'GET', path: '/' })
    const made = text('créé', {
      status: 201,
      headers: [
        ['x-a', '1'],
        ['set-cookie', COOKIES[0] as string],
      ],
    })
    expect(await answer(() => made)(v2)).toEqual({
      statusCode: 201,
      headers: { 'x-a': '1', 'content-type': 'text/plain; charset=utf-8' },
      cookies: [COOKIES[0]],
      body: 'créé',
      isBase64Encoded: false,
    })
    const alb = await answer(() => json({ ok: true }))(albEvent({ method: 'GET', path: '/' }))
    expect(alb).toMatchObject({ statusCode: 200, statusDescription: '200 OK', body: '{"ok":true}' })
    expect((alb.headers as Record<string, string>)['content-type']).toBe('application/json')
  })
})

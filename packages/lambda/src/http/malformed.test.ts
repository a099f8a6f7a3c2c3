import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { mockContext } from '../testing/context'
import { albEvent, apigwV1Event, apigwV2Event, functionUrlEvent, websocketEvent } from '../testing/index'
import { httpAdapter } from './index'

type Shape = 'generic' | 'v1' | 'v1-multi' | 'v2' | 'alb' | 'alb-multi'

// biome-ignore lint/suspicious/noExplicitAny: tests reach into events to break them
type Loose = Record<string, any>

function mutate<T>(event: T, change: (e: Loose) => void): T {
  const copy = structuredClone(event) as Loose
  change(copy)
  return copy as T
}

const CASES: [string, unknown, Shape][] = [
  ['null', null, 'generic'],
  ['a string', 'GET /', 'generic'],
  ['a number', 42, 'generic'],
  ['an array', [], 'generic'],
  ['an empty object', {}, 'generic'],
  ['an SQS batch', { Records: [{ eventSource: 'aws:sqs' }] }, 'generic'],
  ['v1 without httpMethod', mutate(apigwV1Event(), (e) => delete e.httpMethod), 'v1-multi'],
  ['v1 httpMethod of the wrong type', mutate(apigwV1Event(), (e) => (e.httpMethod = 7)), 'v1-multi'],
  ['v1 without path', mutate(apigwV1Event(), (e) => delete e.path), 'v1-multi'],
  ['v1 headers not an object', mutate(apigwV1Event({ multiValue: false }), (e) => (e.headers = 'host: x')), 'v1'],
  ['v1 header value not a string', mutate(apigwV1Event({ multiValue: false }), (e) => (e.headers.x = 5)), 'v1'],
  ['v1 multi-value header not an array', mutate(apigwV1Event(), (e) => (e.multiValueHeaders.x = 'a')), 'v1-multi'],
  ['v1 invalid header name', apigwV1Event({ headers: { 'a"a': 'x' } }), 'v1-multi'],
  ['v1 header name with a space', apigwV1Event({ headers: { 'a b': 'x' }, multiValue: false }), 'v1'],
  ['v1 header value with CR LF', apigwV1Event({ headers: { x: 'a\r\nSet-Cookie: evil=1' } }), 'v1-multi'],
  ['v1 header value with NUL', apigwV1Event({ headers: { x: 'a\0b' }, multiValue: false }), 'v1'],
  [
    'v1 invalid base64 body',
    mutate(apigwV1Event({ method: 'POST', body: new Uint8Array([1]) }), (e) => (e.body = 'not base64!')),
    'v1-multi',
  ],
  [
    'v1 base64 body of impossible length',
    mutate(apigwV1Event({ method: 'POST', body: new Uint8Array([1]) }), (e) => (e.body = 'AAAAA')),
    'v1-multi',
  ],
  ['v1 body not a string', mutate(apigwV1Event({ method: 'POST' }), (e) => (e.body = { a: 1 })), 'v1-multi'],
  [
    'v1 isBase64Encoded not a boolean',
    mutate(apigwV1Event({ method: 'POST', body: 'x' }), (e) => (e.isBase64Encoded = 'yes')),
    'v1-multi',
  ],
  ['v1 CONNECT method', apigwV1Event({ method: 'CONNECT' }), 'v1-multi'],
  ['v1 TRACE method', apigwV1Event({ method: 'trace' }), 'v1-multi'],
  ['v1 method with a space', apigwV1Event({ method: 'GE T' }), 'v1-multi'],
  ['v1 query map not an object', mutate(apigwV1Event(), (e) => (e.queryStringParameters = 'a=1')), 'v1-multi'],
  [
    'v1 multi-value query not arrays',
    mutate(apigwV1Event(), (e) => (e.multiValueQueryStringParameters = { a: 'x' })),
    'v1-multi',
  ],
  ['v2 without requestContext', mutate(apigwV2Event(), (e) => delete e.requestContext), 'v2'],
  ['v2 without requestContext.http', mutate(apigwV2Event(), (e) => delete e.requestContext.http), 'v2'],
  ['v2 without method', mutate(apigwV2Event(), (e) => delete e.requestContext.http.method), 'v2'],
  [
    'v2 without rawPath and http.path',
    mutate(apigwV2Event(), (e) => {
      delete e.rawPath
      delete e.requestContext.http.path
    }),
    'v2',
  ],
  ['v2 cookies not an array', mutate(apigwV2Event(), (e) => (e.cookies = 'a=1')), 'v2'],
  ['v2 cookies with a number', mutate(apigwV2Event(), (e) => (e.cookies = ['a=1', 2])), 'v2'],
  ['v2 rawQueryString not a string', mutate(apigwV2Event(), (e) => (e.rawQueryString = 5)), 'v2'],
  ['v2 invalid header name', apigwV2Event({ headers: { 'bad header': 'x' } }), 'v2'],
  [
    'v2 invalid base64',
    mutate(apigwV2Event({ method: 'POST', body: 'x', base64: true }), (e) => (e.body = '%%%%')),
    'v2',
  ],
  ['Function URL with a bad host header', functionUrlEvent({ headers: { host: 'a/b' } }), 'v2'],
  ['ALB without httpMethod', mutate(albEvent(), (e) => delete e.httpMethod), 'alb'],
  ['ALB multi-value mode, invalid header name', albEvent({ headers: { '(x)': 'y' }, multiValue: true }), 'alb-multi'],
  [
    'ALB invalid base64',
    mutate(albEvent({ method: 'POST', body: 'x', base64: true }), (e) => (e.body = 'a=b=')),
    'alb',
  ],
  [
    'WebSocket CONNECT with an invalid header value',
    websocketEvent({ eventType: 'CONNECT', headers: { x: 'a\nb' } }),
    'v1-multi',
  ],
  [
    'a getter that throws',
    Object.defineProperty({}, 'requestContext', {
      get() {
        throw new Error('boom')
      },
    }),
    'generic',
  ],
]

describe('malformed events get a 400 result of the right shape, never a throw', () => {
  it.each(CASES)('%s', async (_name, payload, shape) => {
    let called = 0
    const svc = httpAdapter()(
      serviceFn(async () => {
        called++
        return new Response('should not be called')
      }),
    )
    const result = (await oneshot(svc, { payload: payload as never, context: mockContext() })) as Record<
      string,
      unknown
    >
    expect(called).toBe(0)
    expect(result.statusCode).toBe(400)
    expect(result.isBase64Encoded).toBe(false)
    expect(result.body).toMatch(/^Bad Request: \S/)
    const contentType = 'text/plain; charset=utf-8'
    switch (shape) {
      case 'generic':
      case 'v1':
      case 'v2':
        expect(result.headers).toEqual({ 'content-type': contentType })
        expect(result).not.toHaveProperty('multiValueHeaders')
        expect(result).not.toHaveProperty('statusDescription')
        break
      case 'v1-multi':
        expect(result.multiValueHeaders).toEqual({ 'content-type': [contentType] })
        expect(result).not.toHaveProperty('headers')
        break
      case 'alb':
        expect(result.headers).toEqual({ 'content-type': contentType })
        expect(result.statusDescription).toBe('400 Bad Request')
        break
      case 'alb-multi':
        expect(result.multiValueHeaders).toEqual({ 'content-type': [contentType] })
        expect(result.statusDescription).toBe('400 Bad Request')
        break
    }
  })

  it('names the problem in the body', async () => {
    const svc = httpAdapter()(serviceFn(async () => new Response('')))
    const bad = await oneshot(svc, { payload: apigwV1Event({ headers: { 'a"a': 'x' } }), context: mockContext() })
    expect(bad.body).toBe('Bad Request: invalid header name "a\\"a"')
    const unknown = await oneshot(svc, { payload: {} as never, context: mockContext() })
    expect(unknown.body).toBe(
      'Bad Request: unrecognised event: expected an API Gateway (REST, HTTP or WebSocket), ALB or Function URL event',
    )
  })

  it('skips null and undefined entries of multiValueQueryStringParameters (REST and ALB), as for the other maps', async () => {
    const svc = httpAdapter()(serviceFn(async (req: Request) => new Response(new URL(req.url).search)))
    const queries = { a: ['1', null], b: null, c: undefined, d: ['x y'] }
    for (const event of [apigwV1Event(), albEvent({ multiValue: true })]) {
      const payload = mutate(event, (e) => {
        e.queryStringParameters = null
        e.multiValueQueryStringParameters = queries
      })
      const result = await oneshot(svc, { payload, context: mockContext() })
      expect(result.statusCode).toBe(200)
      expect(result.body).toMatch(/^\?a=1&d=x(%20|\+)y$/)
    }
  })
})

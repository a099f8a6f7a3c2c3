/**
 * One test per known peer bug (reference lambda.md §2.5 and §5), showing turret gets it right.
 */
import { Writable } from 'node:stream'
import { oneshot, serviceFn } from '@turret/core'
import { afterEach, describe, expect, it } from 'vitest'
import { mockContext } from '../testing/context'
import { albEvent, apigwV1Event, apigwV2Event, functionUrlEvent } from '../testing/index'
import { eventToRequest } from './adapter'
import {
  type AwsLambdaGlobal,
  httpAdapter,
  type LambdaHttpEvent,
  type ResponseStream,
  requestContext,
  type StreamingPrelude,
  sourceIp,
  streamHttpHandler,
} from './index'

function toRequest(payload: unknown): Request {
  const converted = eventToRequest({ payload: payload as never, context: mockContext() })
  if (!('request' in converted)) throw new Error(converted.message)
  return converted.request
}

const call = (svc: ReturnType<ReturnType<typeof httpAdapter>>, payload: LambdaHttpEvent) =>
  oneshot(svc, { payload, context: mockContext() }) as Promise<Record<string, unknown>>

afterEach(() => {
  delete (globalThis as { awslambda?: unknown }).awslambda
})

describe('known peer bugs', () => {
  it('several cookies with Expires dates are never split on commas (Powertools #4986 #5256 #5674, serverless-express #609)', async () => {
    const cookies = ['a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'b=2; Expires=Thu, 22 Oct 2026 07:28:00 GMT; Secure']
    const svc = httpAdapter()(
      serviceFn(async () => {
        const h = new Headers()
        for (const c of cookies) h.append('set-cookie', c)
        return new Response('', { headers: h })
      }),
    )
    expect((await call(svc, apigwV2Event())).cookies).toEqual(cookies)
    expect((await call(svc, functionUrlEvent())).cookies).toEqual(cookies)
    expect(((await call(svc, apigwV1Event())).multiValueHeaders as Record<string, string[]>)['set-cookie']).toEqual(
      cookies,
    )
    expect(
      ((await call(svc, albEvent({ multiValue: true }))).multiValueHeaders as Record<string, string[]>)['set-cookie'],
    ).toEqual(cookies)
  })

  it('a binary upload arrives as the exact bytes, not a UTF-8 string (Powertools createBody)', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x80, 0x81])
    const req = toRequest(apigwV1Event({ method: 'POST', body: bytes, headers: { 'Content-Type': 'image/jpeg' } }))
    expect(new Uint8Array(await req.arrayBuffer())).toEqual(bytes)
  })

  it('a binary response is base64 by content type, not only image/* (serverless-express #645 #549)', async () => {
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0xe2, 0xe3])
    const svc = httpAdapter()(
      serviceFn(async () => new Response(pdf, { headers: { 'content-type': 'application/pdf' } })),
    )
    expect(await call(svc, apigwV1Event())).toMatchObject({
      body: Buffer.from(pdf).toString('base64'),
      isBase64Encoded: true,
    })
  })

  it('ALB encoded query values are neither double-encoded (Powertools) nor double-decoded (serverless-express #219)', () => {
    const req = toRequest(albEvent({ query: { myKey: '?showAll=true', plus: 'a+b', pct: '100%' } }))
    const url = new URL(req.url)
    expect(url.search).toBe('?myKey=%3FshowAll%3Dtrue&plus=a%2Bb&pct=100%25')
    expect(url.searchParams.get('myKey')).toBe('?showAll=true')
    expect(url.searchParams.get('plus')).toBe('a+b')
    expect(url.searchParams.get('pct')).toBe('100%')
  })

  it('repeated v1 request headers keep every value (lambda_http collapses them to the headers value)', () => {
    const req = toRequest(apigwV1Event({ headers: { Accept: ['text/html', 'application/json'] } }))
    expect(req.headers.get('accept')).toBe('text/html, application/json')
  })

  it('the stage in a v2 rawPath is neither doubled nor silently kept when asked to strip (lambda_http #919, serverless-express #653)', () => {
    const ev = apigwV2Event({ path: '/dev/users', stage: 'dev' })
    const as = (stagePath: 'as-sent' | 'strip' | 'add') => {
      const c = eventToRequest({ payload: ev, context: mockContext() }, stagePath)
      if (!('request' in c)) throw new Error(c.message)
      return new URL(c.request.url).pathname
    }
    expect([as('as-sent'), as('strip'), as('add')]).toEqual(['/dev/users', '/users', '/dev/users'])
  })

  it('a streamed redirect with an empty body keeps its status, location and cookies (hono #2401, RIC #97)', async () => {
    const out: Buffer[] = []
    const aws: AwsLambdaGlobal = {
      streamifyResponse: (h) => h,
      HttpResponseStream: {
        from(_s: ResponseStream, prelude: StreamingPrelude) {
          let first = true
          return new Writable({
            write(chunk: Buffer, _e, cb) {
              if (first) out.push(Buffer.from(`${JSON.stringify(prelude)}\0\0\0\0\0\0\0\0`))
              first = false
              out.push(chunk)
              cb()
            },
          }) as unknown as ResponseStream
        },
      },
    }
    ;(globalThis as { awslambda?: unknown }).awslambda = aws
    const h = streamHttpHandler(
      serviceFn(
        async () => new Response(null, { status: 303, headers: { location: '/done', 'set-cookie': 'flash=ok' } }),
      ),
    ) as (e: LambdaHttpEvent, s: ResponseStream, c: unknown) => Promise<void>
    await h(functionUrlEvent({ method: 'POST', body: 'x' }), {} as ResponseStream, {
      awsRequestId: 'r',
      getRemainingTimeInMillis: () => 1000,
    })
    expect(Buffer.concat(out).toString()).toBe(
      `{"statusCode":303,"headers":{"location":"/done"},"cookies":["flash=ok"]}${'\0'.repeat(8)}`,
    )
  })

  it('an emulator sending a decoded rawQueryString with spaces does not crash (ministack #1035, lambda_http panic)', () => {
    const ev = apigwV2Event()
    ev.rawQueryString = 'q=a b&r=ü'
    const url = new URL(toRequest(ev).url)
    expect(url.searchParams.get('q')).toBe('a b')
    expect(url.searchParams.get('r')).toBe('ü')
  })

  it('control characters in a decoded path or raw query are percent-encoded, not dropped by the URL parser', () => {
    const url = new URL(toRequest(apigwV1Event({ path: '/a\nb\tc\x01', query: { k: 'x\ny' } })).url)
    expect(decodeURIComponent(url.pathname)).toBe('/a\nb\tc\x01')
    expect(url.searchParams.get('k')).toBe('x\ny')
    const v2 = apigwV2Event()
    v2.rawQueryString = 'k=a\tb '
    expect(new URL(toRequest(v2).url).searchParams.get('k')).toBe('a\tb ')
  })

  it('Hono drops empty single-value v1 query values (?a=); turret keeps them', () => {
    const url = new URL(toRequest(apigwV1Event({ query: { a: '' }, multiValue: false })).url)
    expect(url.search).toBe('?a=')
  })

  it('null header maps and undefined entries in multi-value arrays are tolerated (Powertools converter tests)', () => {
    const ev = apigwV1Event()
    ;(ev as { headers: unknown }).headers = null
    ev.multiValueHeaders = { 'X-A': [undefined as unknown as string, 'v'], Host: ['h.example.com'] }
    const req = toRequest(ev)
    expect(req.headers.get('x-a')).toBe('v')
    expect(req.url).toBe('https://h.example.com/')
  })

  it('path templates and non-ASCII survive (Hono: /book/{bookId}/, 日本語)', () => {
    const req = toRequest(apigwV1Event({ path: '/book/{bookId}/日本語' }))
    expect(decodeURIComponent(new URL(req.url).pathname)).toBe('/book/{bookId}/日本語')
  })

  it('sourceIp per source (Hono conninfo tests: v1 identity, v2 http, ALB last x-forwarded-for hop or none)', () => {
    expect(sourceIp(toRequest(apigwV1Event()))).toBe('203.0.113.7')
    expect(sourceIp(toRequest(apigwV2Event()))).toBe('203.0.113.7')
    expect(sourceIp(toRequest(albEvent({ headers: { 'x-forwarded-for': '10.0.0.1, 198.51.100.9' } })))).toBe(
      '198.51.100.9',
    )
    expect(sourceIp(toRequest(albEvent()))).toBeUndefined()
    expect(sourceIp(new Request('http://x/'))).toBeUndefined()
  })

  it('the JWT authorizer context is reachable (Hono v2 authorizer test)', async () => {
    const ev = apigwV2Event({
      requestContext: { authorizer: { jwt: { claims: { sub: 'u1' }, scopes: ['read'] } } },
    })
    const ctx = requestContext(toRequest(ev)) as { authorizer?: { jwt?: { claims?: Record<string, string> } } }
    expect(ctx.authorizer?.jwt?.claims?.sub).toBe('u1')
  })
})

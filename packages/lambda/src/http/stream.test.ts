import { serviceFn } from '@turret/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { toAwsContext } from '../context/index'
import { fakeAwsLambda } from '../testing/aws-lambda-global'
import { mockContext } from '../testing/context'
import { apigwV2Event, functionUrlEvent } from '../testing/index'
import { startRuntimeApiServer } from '../testing/runtime-api-server'
import {
  httpStreamAdapter,
  type LambdaHttpEvent,
  lambdaContext,
  type ResponseStream,
  runHttp,
  streamHttpHandler,
} from './index'
import { HTTP_INTEGRATION_CONTENT_TYPE, httpIntegrationPrelude } from './stream'

const COOKIES = ['a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/', 'b=2; Expires=Thu, 22 Oct 2026 07:28:00 GMT']
const NUL8 = Buffer.alloc(8)

function split(bytes: Buffer): { prelude: unknown; body: Buffer } {
  const at = bytes.indexOf(NUL8)
  expect(at).toBeGreaterThan(0)
  return { prelude: JSON.parse(bytes.subarray(0, at).toString()), body: bytes.subarray(at + 8) }
}

const awsContext = toAwsContext(mockContext({ requestId: 'req-1' }))

type StreamHandler = (event: LambdaHttpEvent, stream: ResponseStream, context: typeof awsContext) => Promise<void>

afterEach(() => {
  delete (globalThis as { awslambda?: unknown }).awslambda
})

describe('streamHttpHandler (managed runtime)', () => {
  it('a streamed redirect with an empty body still sends status, headers and every cookie (hono#2401, RIC#97)', async () => {
    const fake = fakeAwsLambda()
    ;(globalThis as { awslambda?: unknown }).awslambda = fake.aws
    const headers = new Headers({ location: '/login' })
    for (const c of COOKIES) headers.append('set-cookie', c)
    const h = streamHttpHandler(serviceFn(async () => new Response(null, { status: 302, headers }))) as StreamHandler
    await h(functionUrlEvent(), {} as ResponseStream, awsContext)
    expect(fake.ended).toBe(true)
    const { prelude, body } = split(fake.wire)
    expect(prelude).toEqual({ statusCode: 302, headers: { location: '/login' }, cookies: COOKIES })
    expect(body.length).toBe(0)
  })

  it('streams the body chunk by chunk with backpressure, with the Lambda context on the request', async () => {
    const fake = fakeAwsLambda({ highWaterMark: 1 })
    ;(globalThis as { awslambda?: unknown }).awslambda = fake.aws
    let requestId: string | undefined
    const parts = ['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n']
    const svc = serviceFn(async (req: Request) => {
      requestId = lambdaContext(req)?.requestId
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          for (const p of parts) c.enqueue(new TextEncoder().encode(p))
          c.close()
        },
      })
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
    })
    const h = streamHttpHandler(svc) as StreamHandler
    await h(functionUrlEvent({ path: '/events' }), {} as ResponseStream, awsContext)
    const { prelude, body } = split(fake.wire)
    expect(prelude).toEqual({ statusCode: 200, headers: { 'content-type': 'text/event-stream' }, cookies: [] })
    expect(body.toString()).toBe(parts.join(''))
    expect(fake.writes.length).toBeGreaterThanOrEqual(3)
    expect(requestId).toBe('req-1')
  })

  it('HEAD sends the prelude only; a malformed event gets a 400 prelude', async () => {
    const fake = fakeAwsLambda()
    ;(globalThis as { awslambda?: unknown }).awslambda = fake.aws
    const h = streamHttpHandler(
      serviceFn(async () => new Response('body', { headers: { 'x-a': '1' } })),
    ) as StreamHandler
    await h(functionUrlEvent({ method: 'HEAD' }), {} as ResponseStream, awsContext)
    const head = split(fake.wire)
    expect(head.prelude).toMatchObject({ statusCode: 200, headers: { 'x-a': '1' } })
    expect(head.body.length).toBe(0)

    const fake2 = fakeAwsLambda()
    ;(globalThis as { awslambda?: unknown }).awslambda = fake2.aws
    const h2 = streamHttpHandler(serviceFn(async () => new Response('never'))) as StreamHandler
    await h2({ nope: true } as never, {} as ResponseStream, awsContext)
    const bad = split(fake2.wire)
    expect(bad.prelude).toMatchObject({ statusCode: 400 })
    expect(bad.body.toString()).toMatch(/^Bad Request: unrecognised event/)
  })

  it('needs the awslambda global', () => {
    expect(() => streamHttpHandler(serviceFn(async () => new Response('')))).toThrow(/awslambda/)
  })
})

describe('httpStreamAdapter and runHttp({ stream: true }) (custom runtime)', () => {
  it('httpIntegrationPrelude is the prelude JSON then 8 NUL bytes', () => {
    const bytes = httpIntegrationPrelude({ statusCode: 204, headers: { a: 'b' }, cookies: ['c=d'] })
    expect(Buffer.from(bytes).toString()).toBe(
      `{"statusCode":204,"headers":{"a":"b"},"cookies":["c=d"]}${'\0'.repeat(8)}`,
    )
  })

  it('the adapter answers with a StreamingResponse: HTTP integration content type, prelude, body chunks', async () => {
    const svc = httpStreamAdapter()(
      serviceFn(async () => new Response('hello', { status: 201, headers: { 'set-cookie': COOKIES[0] as string } })),
    )
    const out = await svc.call({ payload: apigwV2Event(), context: mockContext() })
    expect(out.contentType).toBe(HTTP_INTEGRATION_CONTENT_TYPE)
    const prelude = Buffer.from(out.prelude as Uint8Array)
    expect(split(prelude).prelude).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      cookies: [COOKIES[0]],
    })
    const chunks: Buffer[] = []
    for await (const chunk of out.body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk))
    expect(Buffer.concat(chunks).toString()).toBe('hello')
  })

  it('runHttp({ stream: true }) posts prelude + 8 NULs + body in streaming mode to the Runtime API', async () => {
    const api = await startRuntimeApiServer()
    const controller = new AbortController()
    const headers = new Headers({ location: '/next' })
    for (const c of COOKIES) headers.append('set-cookie', c)
    const done = runHttp(
      serviceFn(async () => new Response(null, { status: 307, headers })),
      {
        stream: true,
        runtimeApi: api.endpoint,
        env: {},
        exit: vi.fn(),
        logger: { error: vi.fn() },
        signal: controller.signal,
      },
    )
    try {
      const post = await api.invoke(functionUrlEvent())
      expect(post.headers['lambda-runtime-function-response-mode']).toBe('streaming')
      expect(post.headers['content-type']).toBe(HTTP_INTEGRATION_CONTENT_TYPE)
      const { prelude, body } = split(post.body)
      expect(prelude).toEqual({ statusCode: 307, headers: { location: '/next' }, cookies: COOKIES })
      expect(body.length).toBe(0)
    } finally {
      controller.abort()
      await done
      await api.close()
    }
  })

  it('runHttp() buffered posts the v2 result', async () => {
    const api = await startRuntimeApiServer()
    const controller = new AbortController()
    const done = runHttp(
      serviceFn(async (req: Request) => new Response(`hi ${new URL(req.url).pathname}`)),
      {
        runtimeApi: api.endpoint,
        env: {},
        exit: vi.fn(),
        logger: { error: vi.fn() },
        signal: controller.signal,
      },
    )
    try {
      const post = await api.invoke(apigwV2Event({ path: '/there' }))
      expect(post.json()).toEqual({
        statusCode: 200,
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: 'hi /there',
        isBase64Encoded: false,
      })
    } finally {
      controller.abort()
      await done
      await api.close()
    }
  })
})

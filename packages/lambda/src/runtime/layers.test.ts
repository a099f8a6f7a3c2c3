import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it, vi } from 'vitest'
import type { LambdaEvent } from '../context/index'
import { lambdaEvent } from '../testing/index'
import { diagnostic, safeStringify } from './diagnostic'
import {
  FunctionError,
  type NextInvocation,
  panicToFunctionError,
  postToRuntimeApi,
  RuntimeApiError,
  type RuntimeApiRequest,
  type RuntimeApiResponse,
  streamingResponse,
  toRuntimeApiRequest,
} from './index'

const invocation = (payload: unknown, id = 'req 1/x'): NextInvocation => ({
  status: 200,
  headers: {
    'lambda-runtime-aws-request-id': id,
    'lambda-runtime-deadline-ms': String(Date.now() + 10_000),
  },
  body: new TextEncoder().encode(JSON.stringify(payload)),
})

describe('diagnostic / safeStringify', () => {
  it('renders errors, error-like objects and odd values without throwing', () => {
    expect(diagnostic(new SyntaxError('bad'))).toMatchObject({ errorType: 'SyntaxError', errorMessage: 'bad' })
    expect(diagnostic({ name: 'DomainError', message: 'insufficient funds' })).toEqual({
      errorType: 'DomainError',
      errorMessage: 'insufficient funds',
      stackTrace: [],
    })
    expect(diagnostic(42)).toEqual({ errorType: 'number', errorMessage: '42', stackTrace: [] })
    expect(diagnostic(null)).toEqual({ errorType: 'object', errorMessage: 'null', stackTrace: [] })
    expect(diagnostic(Object.create(null))).toEqual({ errorType: 'object', errorMessage: '{}', stackTrace: [] })
    const hostile = {
      toJSON() {
        throw new Error('no')
      },
      [Symbol.toPrimitive]() {
        throw new Error('no')
      },
    }
    expect(diagnostic(hostile)).toEqual({ errorType: 'object', errorMessage: '[object Object]', stackTrace: [] })
    const shared = { x: 1 }
    expect(safeStringify({ a: shared, b: shared, n: 10n })).toBe('{"a":{"x":1},"b":{"x":1},"n":"10"}')
  })
})

describe('panicToFunctionError', () => {
  it('turns sync throws and non-Error rejections into FunctionError with a diagnostic', async () => {
    const sync = panicToFunctionError()({
      ready: () => undefined,
      call: (): Promise<number> => {
        throw 'sync string'
      },
    })
    const err = await oneshot(sync, 1).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FunctionError)
    expect((err as FunctionError).diagnostic).toEqual({
      errorType: 'string',
      errorMessage: 'sync string',
      stackTrace: [],
    })
    expect((err as FunctionError).cause).toBe('sync string')
    const rejected = panicToFunctionError()(serviceFn(() => Promise.reject(new TypeError('t'))))
    await expect(oneshot(rejected, 1)).rejects.toMatchObject({ diagnostic: { errorType: 'TypeError' } })
    expect(await oneshot(panicToFunctionError()(serviceFn((n: number) => n + 1)), 1)).toBe(2)
  })
})

describe('toRuntimeApiRequest', () => {
  const layer = toRuntimeApiRequest({
    env: { functionName: 'f', functionVersion: '1', memoryLimitInMB: 128, logGroupName: '', logStreamName: '' },
  })

  it('builds the /response request, URL-encoding the request id', async () => {
    const svc = layer(serviceFn(({ payload }: LambdaEvent<unknown>) => ({ got: payload })))
    const req = await oneshot(svc, invocation({ a: 1 }))
    expect(req).toMatchObject({
      method: 'POST',
      path: '/2018-06-01/runtime/invocation/req%201%2Fx/response',
      headers: { 'content-type': 'application/json' },
      body: '{"got":{"a":1}}',
      requestId: 'req 1/x',
    })
  })

  it('builds the /error request for a failure, with the error type header', async () => {
    const svc = layer(
      panicToFunctionError()(
        serviceFn((): number => {
          throw new RangeError('out')
        }),
      ),
    )
    const req = await oneshot(svc, invocation(1, 'r'))
    expect(req.path).toBe('/2018-06-01/runtime/invocation/r/error')
    expect(req.headers).toEqual({
      'content-type': 'application/vnd.aws.lambda.error+json',
      'lambda-runtime-function-error-type': 'RangeError',
    })
    expect(JSON.parse(req.body as string)).toMatchObject({ errorType: 'RangeError', errorMessage: 'out' })
  })

  it('reports a bad header to /error when the request id is known, and rejects when it is not', async () => {
    const svc = layer(serviceFn(() => 1))
    const bad = { ...invocation(1, 'r2'), headers: { 'lambda-runtime-aws-request-id': 'r2' } }
    const req = await oneshot(svc, bad)
    expect(req.path).toBe('/2018-06-01/runtime/invocation/r2/error')
    expect(JSON.parse(req.body as string)).toMatchObject({ errorType: 'InvalidInvocationError' })
    await expect(oneshot(svc, { ...invocation(1), headers: {} })).rejects.toMatchObject({
      name: 'InvalidInvocationError',
    })
  })

  it('releases the source stream when the upload stops early', async () => {
    let released = false
    const source = (async function* () {
      try {
        yield 'one'
        yield 'two'
      } finally {
        released = true
      }
    })()
    const req = await oneshot(layer(serviceFn(() => streamingResponse(source, { prelude: 'P' }))), invocation(1))
    const it = (req.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
    expect(new TextDecoder().decode((await it.next()).value)).toBe('P')
    expect(new TextDecoder().decode((await it.next()).value)).toBe('one')
    await it.return?.()
    expect(released).toBe(true)
    expect(req.trailers?.()).toBeUndefined()
  })

  it('makes error type headers safe', async () => {
    const err = new Error('x')
    err.name = 'Bad\r\nInjected: yes'
    const req = await oneshot(layer(serviceFn(() => Promise.reject(err))), invocation(1))
    expect(req.headers?.['lambda-runtime-function-error-type']).toBe('Bad??Injected: yes')
  })
})

describe('postToRuntimeApi', () => {
  function client(statuses: number[]) {
    const sent: RuntimeApiRequest[] = []
    const svc = serviceFn(async (req: RuntimeApiRequest): Promise<RuntimeApiResponse> => {
      sent.push(req)
      return { status: statuses.shift() ?? 202, headers: {}, body: new Uint8Array() }
    })
    return { svc, sent }
  }
  const inner = toRuntimeApiRequest()(serviceFn(() => 'ok'))

  it('re-sends a 413 response as an error', async () => {
    const { svc, sent } = client([413, 202])
    const res = await oneshot(postToRuntimeApi(svc)(inner), invocation(1, 'big'))
    expect(res.status).toBe(202)
    expect(sent.map((r) => r.path)).toEqual([
      '/2018-06-01/runtime/invocation/big/response',
      '/2018-06-01/runtime/invocation/big/error',
    ])
  })

  it('rejects with RuntimeApiError on a 5xx, and logs a 4xx', async () => {
    await expect(oneshot(postToRuntimeApi(client([500]).svc)(inner), invocation(1))).rejects.toBeInstanceOf(
      RuntimeApiError,
    )
    const logger = { error: vi.fn() }
    const res = await oneshot(postToRuntimeApi(client([400]).svc, { logger })(inner), invocation(1))
    expect(res.status).toBe(400)
    expect(logger.error).toHaveBeenCalledTimes(1)
  })
})

it('lambdaEvent builds a usable event for oneshot tests', async () => {
  const svc = serviceFn(({ payload, context }: LambdaEvent<number>) => payload + context.remainingTimeMs())
  expect(await oneshot(svc, lambdaEvent(0, { remainingMs: 1_000 }))).toBeGreaterThan(900)
})

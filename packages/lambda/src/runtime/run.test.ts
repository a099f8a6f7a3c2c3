// Size: every test of run() uses one harness (a fake Runtime API started per test); split, each file would copy it.
import { EventEmitter } from 'node:events'
import { describeStack, type Service, serviceFn } from '@turret/core'
import { mockService, TestClock } from '@turret/core/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LambdaEvent } from '../context/index'
import { type RuntimeApiServer, startRuntimeApiServer } from '../testing/index'
import { type RunOptions, run, runtimeApiClient, runtimeStack, streamingResponse } from './index'

let api: RuntimeApiServer
beforeEach(async () => {
  api = await startRuntimeApiServer()
})
afterEach(async () => {
  await api.close()
})

/** Starts `run()` against the test server; `stop()` ends the loop and waits for it. */
function start<T, R>(
  service: Service<LambdaEvent<T>, R> | (() => Service<LambdaEvent<T>, R>),
  options: RunOptions = {},
) {
  const controller = new AbortController()
  const exit = vi.fn<(code: number) => void>()
  const logger = { error: vi.fn() }
  const done = run(service, { runtimeApi: api.endpoint, env: {}, exit, logger, signal: controller.signal, ...options })
  return {
    done,
    exit,
    logger,
    async stop() {
      controller.abort()
      await done
    },
  }
}

function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

describe('run(): responses', () => {
  it('POSTs each result as JSON to /response, with the context built from /next headers', async () => {
    const rt = start(
      serviceFn(({ payload, context }: LambdaEvent<{ n: number }>) => ({
        n: payload.n + 1,
        id: context.requestId,
        arn: context.invokedFunctionArn,
        tenant: context.tenantId,
        fn: context.env.functionName,
      })),
      { env: { AWS_LAMBDA_FUNCTION_NAME: 'adder' } },
    )
    for (const n of [1, 2, 3]) {
      const post = await api.invoke({ n }, { requestId: `req/${n}`, headers: { 'lambda-runtime-aws-tenant-id': 'tn' } })
      expect(post.kind).toBe('response')
      expect(post.requestId).toBe(`req/${n}`)
      expect(post.headers['content-type']).toBe('application/json')
      expect(post.json()).toEqual({
        n: n + 1,
        id: `req/${n}`,
        arn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
        tenant: 'tn',
        fn: 'adder',
      })
    }
    expect(api.connections).toBe(1) // one keep-alive connection for every request
    await rt.stop()
    expect(rt.exit).not.toHaveBeenCalled()
  })

  it('sends null for an undefined result', async () => {
    const rt = start(serviceFn(() => undefined))
    expect((await api.invoke({})).body.toString()).toBe('null')
    await rt.stop()
  })

  it('waits for service.ready() before each GET /next (backpressure)', async () => {
    const { service: svc, handle } = mockService<LambdaEvent<number>, number>()
    handle.allow(0)
    const rt = start(svc)
    await vi.waitUntil(() => handle.waiting === 1) // the loop awaits readiness…
    expect(api.waiting).toBe(0) // …and has not asked for an event
    handle.allow(1)
    await api.waitForNext(1)
    const result = api.invoke(41)
    const req = await handle.nextRequest()
    expect(req.request.payload).toBe(41)
    req.respond(42)
    expect((await result).json()).toBe(42)
    await vi.waitUntil(() => handle.waiting === 1)
    expect(api.waiting).toBe(0) // the single allowed call is used up: no new /next
    await rt.stop()
  })

  it('sets _X_AMZN_TRACE_ID per invocation when there is no concurrency, and clears it', async () => {
    const seen: Array<string | undefined> = []
    const rt = start(
      serviceFn(() => {
        seen.push(process.env._X_AMZN_TRACE_ID)
        return 1
      }),
    )
    await api.invoke({}, { headers: { 'lambda-runtime-trace-id': 'Root=1-abc;Sampled=1' } })
    await api.invoke({})
    expect(seen).toEqual(['Root=1-abc;Sampled=1', undefined])
    await rt.stop()
  })

  it('is a readable stack of layers', () => {
    const client = runtimeApiClient({ endpoint: api.endpoint })
    const stack = runtimeStack(
      serviceFn(() => 1),
      { client },
    )
    expect(describeStack(stack)).toEqual([
      'postToRuntimeApi',
      'toRuntimeApiRequest',
      'panicToFunctionError',
      'serviceFn',
    ])
    client.close()
  })
})

describe('run(): errors', () => {
  it('reports Error, string, undefined, cyclic objects and sync throws to /error, and keeps serving', async () => {
    const cyclic: Record<string, unknown> = { code: 7 }
    cyclic.self = cyclic
    const thrown: Record<string, unknown> = {
      type: new TypeError('bad input'),
      string: 'plain string',
      undefined: undefined,
      cyclic,
    }
    const rt = start({
      ready: () => undefined,
      call: ({ payload }: LambdaEvent<string>) => {
        if (payload === 'sync') throw new RangeError('sync throw')
        if (payload === 'ok') return Promise.resolve('fine')
        return Promise.reject(thrown[payload])
      },
    })
    const typeErr = await api.invoke('type')
    expect(typeErr.kind).toBe('error')
    expect(typeErr.headers['lambda-runtime-function-error-type']).toBe('TypeError')
    expect(typeErr.headers['content-type']).toBe('application/vnd.aws.lambda.error+json')
    const body = typeErr.json() as { errorType: string; errorMessage: string; stackTrace: string[] }
    expect(body.errorType).toBe('TypeError')
    expect(body.errorMessage).toBe('bad input')
    expect(body.stackTrace.length).toBeGreaterThan(0)
    expect(body.stackTrace[0]).toMatch(/^at /)

    expect((await api.invoke('string')).json()).toEqual({
      errorType: 'string',
      errorMessage: 'plain string',
      stackTrace: [],
    })
    expect((await api.invoke('undefined')).json()).toEqual({
      errorType: 'undefined',
      errorMessage: 'undefined',
      stackTrace: [],
    })
    const cyc = await api.invoke('cyclic')
    expect(cyc.headers['lambda-runtime-function-error-type']).toBe('object')
    expect(cyc.json()).toEqual({ errorType: 'object', errorMessage: '{"code":7,"self":"[Circular]"}', stackTrace: [] })
    expect((await api.invoke('sync')).json()).toMatchObject({ errorType: 'RangeError', errorMessage: 'sync throw' })
    const ok = await api.invoke('ok')
    expect(ok.kind).toBe('response')
    expect(ok.json()).toBe('fine')
    await rt.stop()
    expect(rt.exit).not.toHaveBeenCalled()
  })

  it('reports an unserializable result and an invalid event without calling the handler', async () => {
    const calls: unknown[] = []
    const rt = start(
      serviceFn(({ payload }: LambdaEvent<unknown>) => {
        calls.push(payload)
        return { big: 1n }
      }),
    )
    const bad = await api.invoke(null, { rawBody: '{not json' })
    expect(bad.kind).toBe('error')
    expect(bad.json()).toMatchObject({ errorType: 'Runtime.UnmarshalError' })
    expect(calls).toEqual([])
    const ser = await api.invoke(1)
    expect(ser.json()).toMatchObject({ errorType: 'Runtime.SerializationError' })
    expect(calls).toEqual([1])
    await rt.stop()
  })

  it('aborts the context signal of a handler hanging past its deadline', async () => {
    const clock = new TestClock()
    const started = deferred()
    const rt = start(
      serviceFn(
        ({ context }: LambdaEvent<unknown>) =>
          new Promise((_, reject) => {
            started.resolve()
            context.signal.addEventListener('abort', () => reject(context.signal.reason))
          }),
      ),
      { clock },
    )
    const post = api.invoke({}, { deadline: Date.now() + 1_000 })
    await started.promise
    await clock.advance(999)
    expect(api.posts).toHaveLength(0)
    await clock.advance(1)
    const res = await post
    expect(res.kind).toBe('error')
    expect(res.json()).toMatchObject({ errorType: 'DeadlineExceededError' })
    await rt.stop()
  })

  it('reports a 413 on /response to /error instead', async () => {
    const rt = start(serviceFn(() => 'x'.repeat(100)))
    const post = await api.invoke({}, { responseStatus: 413 })
    expect(post.kind).toBe('error')
    expect(post.json()).toMatchObject({ errorType: 'Runtime.ResponseTooLarge' })
    expect(api.posts.map((p) => [p.kind, p.status])).toEqual([
      ['response', 413],
      ['error', 202],
    ])
    await rt.stop()
  })
})

describe('run(): init and fatal errors', () => {
  it('reports a throwing service factory to /runtime/init/error and exits 1', async () => {
    const rt = start(() => {
      throw new Error('no config')
    })
    const post = await api.initError
    expect(post.headers['lambda-runtime-function-error-type']).toBe('Error')
    expect(post.json()).toMatchObject({ errorType: 'Error', errorMessage: 'no config' })
    await rt.done
    expect(rt.exit).toHaveBeenCalledWith(1)
    expect(api.waiting).toBe(0)
  })

  it('reports a rejecting init function the same way', async () => {
    const rt = start(
      serviceFn(() => 1),
      {
        init: async () => {
          throw 'secrets unavailable'
        },
      },
    )
    expect((await api.initError).json()).toEqual({
      errorType: 'string',
      errorMessage: 'secrets unavailable',
      stackTrace: [],
    })
    await rt.done
    expect(rt.exit).toHaveBeenCalledWith(1)
  })

  it('treats a service failing readiness before the first invocation as an init error', async () => {
    const { service: svc, handle } = mockService<LambdaEvent<number>, number>()
    handle.sendError(new Error('pool broken'))
    const rt = start(svc)
    expect((await api.initError).json()).toMatchObject({ errorMessage: 'pool broken' })
    await rt.done
    expect(rt.exit).toHaveBeenCalledWith(1)
  })

  it('exits 1 when /next answers 500', async () => {
    api.failNext(500)
    const rt = start(serviceFn(() => 1))
    await rt.done
    expect(rt.exit).toHaveBeenCalledWith(1)
    expect(rt.logger.error).toHaveBeenCalledWith(expect.stringContaining('500'), expect.any(String))
  })

  it('exits 1 when the Runtime API is unreachable', async () => {
    const endpoint = api.endpoint
    await api.close()
    const rt = start(
      serviceFn(() => 1),
      { runtimeApi: endpoint },
    )
    await rt.done
    expect(rt.exit).toHaveBeenCalledWith(1)
    api = await startRuntimeApiServer()
  })

  it('exits 1 when AWS_LAMBDA_RUNTIME_API is missing', async () => {
    const exit = vi.fn()
    await run(
      serviceFn(() => 1),
      { env: {}, exit, logger: { error: vi.fn() } },
    )
    expect(exit).toHaveBeenCalledWith(1)
  })
})

describe('run(): concurrency and shutdown', () => {
  it('runs AWS_LAMBDA_MAX_CONCURRENCY loops over one keep-alive pool, with no trace env', async () => {
    let active = 0
    let maxActive = 0
    const gate = deferred()
    const traces: Array<string | undefined> = []
    const rt = start(
      serviceFn(async ({ payload, context }: LambdaEvent<number>) => {
        active++
        maxActive = Math.max(maxActive, active)
        traces.push(process.env._X_AMZN_TRACE_ID)
        await gate.promise
        active--
        return { n: payload, id: context.requestId, trace: context.xrayTraceId }
      }),
      { env: { AWS_LAMBDA_MAX_CONCURRENCY: '4' } },
    )
    await api.waitForNext(4)
    const first = [1, 2, 3, 4].map((n) =>
      api.invoke(n, { requestId: `r${n}`, headers: { 'lambda-runtime-trace-id': `Root=${n}` } }),
    )
    await vi.waitFor(() => expect(active).toBe(4))
    gate.resolve()
    const posts = await Promise.all(first)
    expect(posts.map((p) => p.json())).toEqual([1, 2, 3, 4].map((n) => ({ n, id: `r${n}`, trace: `Root=${n}` })))
    const more = await Promise.all([5, 6, 7, 8, 9, 10, 11, 12].map((n) => api.invoke(n)))
    expect(more.map((p) => (p.json() as { n: number }).n)).toEqual([5, 6, 7, 8, 9, 10, 11, 12])
    expect(maxActive).toBe(4)
    expect(traces.every((t) => t === undefined)).toBe(true)
    expect(api.connections).toBeLessThanOrEqual(8)
    await rt.stop()
  })

  it('on SIGTERM lets in-flight invocations finish, then exits 0', async () => {
    const signals = new EventEmitter()
    const gate = deferred()
    const started = deferred()
    const rt = start(
      serviceFn(async ({ payload }: LambdaEvent<number>) => {
        started.resolve()
        await gate.promise
        return payload * 10
      }),
      { signals, concurrency: 2 },
    )
    const post = api.invoke(3)
    await started.promise
    await api.waitForNext(1)
    signals.emit('SIGTERM')
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r)) // let the shutdown run as far as it can
    expect(rt.exit).not.toHaveBeenCalled()
    gate.resolve()
    expect((await post).json()).toBe(30)
    await rt.done
    expect(rt.exit).toHaveBeenCalledWith(0)
    expect(signals.listenerCount('SIGTERM')).toBe(0)
    expect(api.waiting).toBe(0)
  })
})

describe('run(): streaming', () => {
  it('streams a StreamingResponse chunked, with the streaming response mode', async () => {
    const rt = start(
      serviceFn(() =>
        streamingResponse(
          (async function* () {
            yield 'hello '
            yield new TextEncoder().encode('streamed ')
            yield 'world'
          })(),
          { contentType: 'text/plain' },
        ),
      ),
    )
    const post = await api.invoke({})
    expect(post.kind).toBe('response')
    expect(post.headers['lambda-runtime-function-response-mode']).toBe('streaming')
    expect(post.headers['transfer-encoding']).toBe('chunked')
    expect(post.headers['content-type']).toBe('text/plain')
    expect(post.body.toString()).toBe('hello streamed world')
    expect(post.trailers['lambda-runtime-function-error-type']).toBeUndefined()
    await rt.stop()
  })

  it('sends a prelude (HTTP integration style) even when the body is empty, from a ReadableStream', async () => {
    const prelude = `${JSON.stringify({ statusCode: 302, headers: { location: '/x' } })}\0\0\0\0\0\0\0\0`
    const rt = start(
      serviceFn(() =>
        streamingResponse(new ReadableStream<Uint8Array>({ start: (c) => c.close() }), {
          contentType: 'application/vnd.awslambda.http-integration-response',
          prelude,
        }),
      ),
    )
    const post = await api.invoke({})
    expect(post.headers['content-type']).toBe('application/vnd.awslambda.http-integration-response')
    expect(post.body.toString()).toBe(prelude)
    await rt.stop()
  })

  it('reports a mid-stream failure in the error trailers (base64 JSON)', async () => {
    const rt = start(
      serviceFn(() =>
        streamingResponse(
          (async function* () {
            yield 'partial'
            throw new Error('disk gone')
          })(),
        ),
      ),
    )
    const post = await api.invoke({})
    expect(post.kind).toBe('response')
    expect(post.headers.trailer).toMatch(/Lambda-Runtime-Function-Error-Type/)
    expect(post.body.toString()).toBe('partial')
    expect(post.trailers['lambda-runtime-function-error-type']).toBe('Error')
    const errBody = JSON.parse(
      Buffer.from(post.trailers['lambda-runtime-function-error-body'] ?? '', 'base64').toString(),
    )
    expect(errBody).toMatchObject({ errorType: 'Error', errorMessage: 'disk gone' })
    expect((await api.invoke({})).kind).toBe('response') // the loop goes on
    await rt.stop()
  })

  it('reports a stream failing before its first chunk to /error', async () => {
    const rt = start(
      serviceFn(() =>
        streamingResponse(
          (async function* () {
            yield* []
            throw new TypeError('no data')
          })(),
        ),
      ),
    )
    const post = await api.invoke({})
    expect(post.kind).toBe('error')
    expect(post.json()).toMatchObject({ errorType: 'TypeError', errorMessage: 'no data' })
    await rt.stop()
  })
})

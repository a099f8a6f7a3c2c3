import middy from '@middy/core'
import { describeStack, oneshot, serviceFn } from '@turret/core'
import { mockService, TestClock } from '@turret/core/testing'
import { TimeoutError, timeout } from '@turret/core/timeout'
import type { Context as AwsContext, Callback } from 'aws-lambda'
import { describe, expect, it, vi } from 'vitest'
import type { LambdaEvent } from '../context/index'
import { streamingResponse } from '../runtime/index'
import { lambdaEvent } from '../testing/index'
import { fromHandler, lambdaHandler } from './index'

/** A managed-runtime context object, as the Node.js runtime passes it. */
function awsContext(remainingMs = 30_000): AwsContext {
  const deadline = Date.now() + remainingMs
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'orders',
    functionVersion: '7',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders:live',
    memoryLimitInMB: '1024',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    logGroupName: '/aws/lambda/orders',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  }
}

describe('lambdaHandler()', () => {
  it('calls the service with a LambdaEvent built from the runtime context', async () => {
    const seen: LambdaEvent<{ id: number }>[] = []
    const main = lambdaHandler(
      serviceFn((ev: LambdaEvent<{ id: number }>) => {
        seen.push(ev)
        return { ok: ev.payload.id }
      }),
    )
    expect(await main({ id: 3 }, awsContext())).toEqual({ ok: 3 })
    const ctx = seen[0]?.context
    expect(ctx?.requestId).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef')
    expect(ctx?.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:123456789012:function:orders:live')
    expect(ctx?.env).toMatchObject({ functionName: 'orders', functionVersion: '7', memoryLimitInMB: 1024 })
    expect(ctx?.remainingTimeMs()).toBeGreaterThan(29_000)
  })

  it('awaits readiness before calling, and rejects with the service error', async () => {
    const { service, handle } = mockService<LambdaEvent<number>, number>()
    handle.allow(0)
    const main = lambdaHandler(service)
    const res = main(1, awsContext())
    await vi.waitUntil(() => handle.waiting === 1)
    expect(handle.outstanding).toBe(0)
    handle.allow(1)
    const req = await handle.nextRequest()
    req.fail(new RangeError('nope'))
    await expect(res).rejects.toThrow(RangeError)
  })

  it('aborts the context signal at the deadline, on the given clock', async () => {
    const clock = new TestClock()
    const main = lambdaHandler(
      serviceFn(
        ({ context }: LambdaEvent<unknown>) =>
          new Promise((_, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason))),
      ),
      { clock },
    )
    const res = main({}, awsContext(200))
    await clock.advance(200)
    await expect(res).rejects.toMatchObject({ name: 'DeadlineExceededError' })
  })

  it('refuses a StreamingResponse clearly (the managed runtime buffers)', async () => {
    const main = lambdaHandler(serviceFn(() => streamingResponse((async function* () {})())))
    await expect(main({}, awsContext())).rejects.toThrow(/StreamingResponse/)
  })

  it('sets callbackWaitsForEmptyEventLoop when asked', async () => {
    const ctx = awsContext()
    await lambdaHandler(
      serviceFn(() => 1),
      { callbackWaitsForEmptyEventLoop: false },
    )({}, ctx)
    expect(ctx.callbackWaitsForEmptyEventLoop).toBe(false)
    const untouched = awsContext()
    await lambdaHandler(serviceFn(() => 1))({}, untouched)
    expect(untouched.callbackWaitsForEmptyEventLoop).toBe(true)
  })
})

describe('fromHandler()', () => {
  it('wraps a promise-style handler and passes it a managed-runtime-like context', async () => {
    const svc = fromHandler(async (event: { a: number }, context: AwsContext) => ({
      sum: event.a + 1,
      fn: context.functionName,
      id: context.awsRequestId,
      left: context.getRemainingTimeInMillis() > 0,
    }))
    const ev = lambdaEvent({ a: 1 }, { requestId: 'r-1' })
    expect(await oneshot(svc, ev)).toEqual({ sum: 2, fn: 'test', id: 'r-1', left: true })
  })

  it('wraps a plain (non-async) handler and a sync throw', async () => {
    expect(
      await oneshot(
        fromHandler((n: number) => n * 2),
        lambdaEvent(4),
      ),
    ).toBe(8)
    const throwing = fromHandler((): number => {
      throw new TypeError('sync')
    })
    await expect(oneshot(throwing, lambdaEvent(0))).rejects.toThrow('sync')
  })

  it('wraps a callback-style handler (told apart by its arity)', async () => {
    const legacy = (event: string, _context: AwsContext, callback: Callback<string>) => {
      if (event === 'bad') setTimeout(() => callback(new Error('bad event')), 1)
      else setTimeout(() => callback(null, event.toUpperCase()), 1)
    }
    const svc = fromHandler(legacy)
    expect(await oneshot(svc, lambdaEvent('hi'))).toBe('HI')
    await expect(oneshot(svc, lambdaEvent('bad'))).rejects.toThrow('bad event')
    expect(describeStack(svc)).toEqual(['fromHandler(legacy)'])
  })

  it('honours context.succeed/fail from old callback-style code', async () => {
    const old = (event: number, context: AwsContext, _cb: Callback<number>) => {
      if (event > 0) context.succeed(event)
      else context.fail('negative')
    }
    expect(await oneshot(fromHandler(old), lambdaEvent(5))).toBe(5)
    await expect(oneshot(fromHandler(old), lambdaEvent(-1))).rejects.toBe('negative')
  })

  it('passes the runtime’s own context object through when exported again with lambdaHandler()', async () => {
    const ctx = awsContext()
    let received: AwsContext | undefined
    const main = lambdaHandler(
      fromHandler(async (_e: unknown, c: AwsContext) => {
        received = c
        return 1
      }),
    )
    await main({}, ctx)
    expect(received).toBe(ctx)
  })
})

describe('a Middy handler wrapped by fromHandler under a turret timeout', () => {
  interface Order {
    id: string
    delayMs?: number
  }
  /** An existing Middy-built handler: a before middleware, an after middleware and error mapping. */
  const legacy = middy(async (event: Order & { seenAt?: string }): Promise<Record<string, unknown>> => {
    if (event.id === 'boom') throw new Error('order failed')
    if (event.delayMs) await new Promise((r) => setTimeout(r, event.delayMs))
    return { statusCode: 200, id: event.id, seenAt: event.seenAt }
  })
    .before(async (request) => {
      ;(request.event as Order & { seenAt?: string }).seenAt = 'before'
    })
    .after(async (request) => {
      request.response = { ...request.response, wrapped: true }
    })
    .onError(async (request) => {
      request.response = { statusCode: 500, error: (request.error as Error).message }
    })

  it('behaves like the original, plus the timeout', async () => {
    const clock = new TestClock()
    const main = lambdaHandler(timeout(1_000, { clock })(fromHandler(legacy)))

    for (const event of [{ id: 'a' }, { id: 'boom' }]) {
      const original = await legacy({ ...event }, awsContext())
      expect(await main({ ...event }, awsContext())).toEqual(original)
    }
    expect(await main({ id: 'a' }, awsContext())).toEqual({ statusCode: 200, id: 'a', seenAt: 'before', wrapped: true })
    expect(await main({ id: 'boom' }, awsContext())).toEqual({ statusCode: 500, error: 'order failed' })

    const slow = main({ id: 'slow', delayMs: 50 }, awsContext())
    await clock.advance(1_000)
    await expect(slow).rejects.toBeInstanceOf(TimeoutError)
    expect(await legacy({ id: 'slow', delayMs: 5 }, awsContext())).toMatchObject({ id: 'slow', wrapped: true })
  })
})

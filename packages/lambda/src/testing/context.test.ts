import { oneshot, serviceFn } from '@turret/core'
import { TestClock } from '@turret/core/testing'
import { json } from '@turret/http'
import type { Context as AwsContext } from 'aws-lambda'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { type Context, InvocationContext, type LambdaEvent, toAwsContext } from '../context/index'
import { lambdaHandler } from '../handler/index'
import { type HttpHandler, httpHandler, lambdaContext } from '../http/index'
import { type MockContext, mockContext } from './context'
import { apigwV2Event } from './index'

describe('mockContext() fits both sides', () => {
  it('is turret’s Context and the runtime’s context object in TypeScript', () => {
    expectTypeOf(mockContext()).toEqualTypeOf<MockContext>()
    expectTypeOf(mockContext()).toExtend<Context>()
    expectTypeOf(mockContext()).toExtend<InvocationContext>()
    expectTypeOf(mockContext()).toExtend<AwsContext>()
    expectTypeOf(mockContext()).toExtend<Parameters<HttpHandler>[1]>()
    expectTypeOf(toAwsContext(mockContext())).toEqualTypeOf<AwsContext>()
  })

  it('carries the runtime context’s fields, read from its own', () => {
    const ctx = mockContext({ requestId: 'req-1', remainingMs: 5_000, env: { functionName: 'orders' } })
    expect(ctx).toBeInstanceOf(InvocationContext)
    expect(ctx).toMatchObject({
      awsRequestId: 'req-1',
      functionName: 'orders',
      functionVersion: '$LATEST',
      memoryLimitInMB: '128',
      logGroupName: '/aws/lambda/test',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
      callbackWaitsForEmptyEventLoop: true,
    })
    expect(ctx.getRemainingTimeInMillis()).toBeGreaterThan(4_000)
    expect(toAwsContext(ctx)).toMatchObject({ awsRequestId: 'req-1', functionName: 'orders', memoryLimitInMB: '128' })
  })

  it('httpHandler(app)(event, mockContext()) type-checks and the service sees that very context', async () => {
    const ctx = mockContext({ requestId: 'req-2' })
    let seen: Context | undefined
    const app = serviceFn(async (req: Request) => {
      seen = lambdaContext(req)
      return json({ id: seen?.requestId })
    })
    const result = await httpHandler(app)(apigwV2Event({ path: '/x' }), ctx)
    expect(result).toMatchObject({ statusCode: 200, body: '{"id":"req-2"}' })
    expect(seen).toBe(ctx)
  })

  it('lambdaHandler() keeps the mock’s clock: the deadline signal follows a TestClock, and is not disposed', async () => {
    const clock = new TestClock()
    const ctx = mockContext({ remainingMs: 100, clock })
    const svc = serviceFn(async (event: LambdaEvent<string>) => event.context)
    const seen = await lambdaHandler(svc)('payload', ctx)
    expect(seen).toBe(ctx)
    expect(ctx.signal.aborted).toBe(false)
    await clock.advance(100)
    expect(ctx.signal.aborted).toBe(true)
    // oneshot with a LambdaEvent still takes the same value.
    expect(await oneshot(svc, { payload: 'x', context: ctx })).toBe(ctx)
  })
})

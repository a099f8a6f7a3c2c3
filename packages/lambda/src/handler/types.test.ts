import middy from '@middy/core'
import { type Service, serviceFn } from '@turret/core'
import type { Context as AwsContext, SQSEvent, SQSRecord } from 'aws-lambda'
import { describe, expectTypeOf, it } from 'vitest'
import type { LambdaEvent } from '../context/index'
import { type BatchResponse, sqsBatch } from '../events/index'
import { run, type ServiceOrFactory } from '../runtime/index'
import { fromHandler, type LambdaHandler, lambdaHandler } from './index'

describe('types', () => {
  it('lambdaHandler() keeps the event and result types', () => {
    const svc = serviceFn(async ({ payload }: LambdaEvent<{ id: string }>) => ({ ok: payload.id }))
    expectTypeOf(lambdaHandler(svc)).toEqualTypeOf<LambdaHandler<{ id: string }, { ok: string }>>()
    expectTypeOf(lambdaHandler(svc)).parameter(1).toEqualTypeOf<AwsContext>()
  })

  it('fromHandler() infers from promise-style, callback-style and Middy handlers', () => {
    expectTypeOf(fromHandler(async (e: number) => String(e))).toEqualTypeOf<Service<LambdaEvent<number>, string>>()
    const cb = (e: string, _c: AwsContext, callback: (err: Error | null, r?: number) => void) =>
      callback(null, e.length)
    expectTypeOf(fromHandler(cb)).toEqualTypeOf<Service<LambdaEvent<string>, number>>()
    const m = middy(async (e: { n: number }) => e.n * 2)
    expectTypeOf(fromHandler(m)).toEqualTypeOf<Service<LambdaEvent<{ n: number }>, number>>()
  })

  it('sqsBatch() builds a batch service run() and lambdaHandler() accept', () => {
    const batch = sqsBatch(serviceFn(async (_: LambdaEvent<SQSRecord>) => {}))
    expectTypeOf(batch).toEqualTypeOf<Service<LambdaEvent<SQSEvent>, BatchResponse>>()
    expectTypeOf(lambdaHandler(batch)).returns.resolves.toEqualTypeOf<BatchResponse>()
    expectTypeOf(batch).toExtend<ServiceOrFactory<SQSEvent, BatchResponse>>()
    expectTypeOf(run).returns.resolves.toBeVoid()
  })
})

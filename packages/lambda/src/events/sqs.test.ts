import { oneshot, type Service, serviceFn } from '@turret/core'
import type { SQSEvent, SQSRecord } from 'aws-lambda'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LambdaEvent } from '../context/index'
import { lambdaEvent, sqsEvent, sqsRecord } from '../testing/index'
import batchResponseFixture from './fixtures/sqs/example-sqs-batch-response.json'
import sqsFixture from './fixtures/sqs/sqs-event.json'
import { BatchFailedError, InvalidEventError, sqsBatch } from './index'

/** A record service that fails the records whose body is in `failing`, and logs the bodies it saw. */
function recorder(failing: ReadonlySet<string> = new Set()) {
  const seen: string[] = []
  const svc = serviceFn(async ({ payload }: LambdaEvent<SQSRecord>) => {
    seen.push(payload.body)
    if (failing.has(payload.body)) throw new Error(`cannot process ${payload.body}`)
  })
  return { svc, seen }
}

const standard = (n: number) => Array.from({ length: n }, (_, i) => sqsRecord(`m${i}`, { messageId: `id${i}` }))

describe('the Handler pattern: a class holding its clients implements Service for SQS records', () => {
  // What a payments client looks like to this handler (an SDK client in production).
  interface PaymentsClient {
    charge(customerId: string, cents: number): Promise<void>
  }
  interface ChargeOrdersConfig {
    readonly currency: string
    readonly maxCents: number
  }
  interface OrderMessage {
    readonly orderId: string
    readonly customerId: string
    readonly cents: number
  }

  /**
   * Charges one order per SQS message. The class is built once per execution environment (clients
   * and configuration live on it) and handles one record per call; `sqsBatch` turns it into the
   * function's batch handler, with partial batch failures.
   */
  class ChargeOrders implements Service<LambdaEvent<SQSRecord>, void> {
    constructor(
      private readonly payments: PaymentsClient,
      private readonly config: ChargeOrdersConfig,
    ) {}

    ready(): undefined {
      return undefined
    }

    async call({ payload }: LambdaEvent<SQSRecord>): Promise<void> {
      const order = JSON.parse(payload.body) as OrderMessage
      if (order.cents > this.config.maxCents) throw new RangeError(`order ${order.orderId} is over the limit`)
      await this.payments.charge(order.customerId, order.cents)
    }
  }

  it('runs under sqsBatch and reports only the messages that failed', async () => {
    const charged: string[] = []
    const payments: PaymentsClient = {
      async charge(customerId, cents) {
        if (customerId === 'blocked') throw new Error('card declined')
        charged.push(`${customerId}:${cents}`)
      },
    }
    const main = sqsBatch(new ChargeOrders(payments, { currency: 'EUR', maxCents: 10_000 }))

    const event = sqsEvent([
      sqsRecord({ orderId: 'o1', customerId: 'ada', cents: 1_200 }, { messageId: 'm-1' }),
      sqsRecord({ orderId: 'o2', customerId: 'blocked', cents: 300 }, { messageId: 'm-2' }),
      sqsRecord({ orderId: 'o3', customerId: 'alan', cents: 99_999 }, { messageId: 'm-3' }),
      sqsRecord({ orderId: 'o4', customerId: 'grace', cents: 450 }, { messageId: 'm-4' }),
    ])
    const response = await oneshot(main, lambdaEvent(event))

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-3' }] })
    expect(charged).toEqual(['ada:1200', 'grace:450'])
  })
})

describe('sqsBatch on the fixtures', () => {
  it('processes sqs-event.json and answers an empty failure list', async () => {
    const { svc, seen } = recorder()
    const res = await oneshot(sqsBatch(svc), lambdaEvent(sqsFixture as SQSEvent))
    expect(res).toEqual({ batchItemFailures: [] })
    expect(seen).toEqual(['Message Body'])
  })

  it('reports a failed fixture record by messageId when asked to report full failures', async () => {
    const { svc } = recorder(new Set(['Message Body']))
    const res = await oneshot(sqsBatch(svc, { onFullBatchFailure: 'report' }), lambdaEvent(sqsFixture as SQSEvent))
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'MessageID_1' }] })
  })

  it('produces the shape of example-sqs-batch-response.json', async () => {
    const records = ['id1', 'id2', 'id3', 'id4'].map((id) => sqsRecord(id, { messageId: id }))
    const { svc } = recorder(new Set(['id2', 'id4']))
    expect(await oneshot(sqsBatch(svc), lambdaEvent(sqsEvent(records)))).toEqual(batchResponseFixture)
  })
})

describe('sqsBatch on a standard queue', () => {
  it('reports the failures in chosen positions, in record order', async () => {
    const records = standard(10)
    const { svc, seen } = recorder(new Set(['m0', 'm3', 'm9']))
    const res = await oneshot(sqsBatch(svc), lambdaEvent(sqsEvent(records)))
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['id0', 'id3', 'id9'])
    expect(seen).toHaveLength(10)
  })

  it('counts non-Error throws as failures of that record only', async () => {
    const svc = serviceFn(({ payload }: LambdaEvent<SQSRecord>) => {
      if (payload.body === 'm1') throw 'a string'
      if (payload.body === 'm2') return Promise.reject(undefined)
      return Promise.resolve()
    })
    const res = await oneshot(sqsBatch(svc), lambdaEvent(sqsEvent(standard(4))))
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'id1' }, { itemIdentifier: 'id2' }])
  })

  it('processes up to `concurrency` records at once with the same result', async () => {
    let active = 0
    let maxActive = 0
    const svc = serviceFn(async ({ payload }: LambdaEvent<SQSRecord>) => {
      active++
      maxActive = Math.max(maxActive, active)
      await new Promise((r) => setTimeout(r, 1))
      active--
      if (payload.body === 'm5' || payload.body === 'm6') throw new Error('no')
    })
    const res = await oneshot(sqsBatch(svc, { concurrency: 4 }), lambdaEvent(sqsEvent(standard(12))))
    expect(maxActive).toBe(4)
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'id5' }, { itemIdentifier: 'id6' }])
  })

  it('throws BatchFailedError when every record failed (default), or reports them all', async () => {
    const records = standard(3)
    const { svc } = recorder(new Set(['m0', 'm1', 'm2']))
    const err = await oneshot(sqsBatch(svc), lambdaEvent(sqsEvent(records))).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BatchFailedError)
    expect((err as BatchFailedError).errors).toHaveLength(3)
    expect((err as BatchFailedError).response.batchItemFailures).toHaveLength(3)
    const reported = await oneshot(sqsBatch(svc, { onFullBatchFailure: 'report' }), lambdaEvent(sqsEvent(records)))
    expect(reported.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['id0', 'id1', 'id2'])
  })

  it('passes each record with the invocation context, and calls onRecordError', async () => {
    const errors: unknown[] = []
    const ids: string[] = []
    const svc = serviceFn(({ payload, context }: LambdaEvent<SQSRecord>) => {
      ids.push(context.requestId)
      if (payload.body === 'm1') throw new Error('x')
    })
    await oneshot(
      sqsBatch(svc, { onRecordError: (e) => errors.push(e) }),
      lambdaEvent(sqsEvent(standard(2)), { requestId: 'inv-1' }),
    )
    expect(ids).toEqual(['inv-1', 'inv-1'])
    expect(errors).toHaveLength(1)
  })

  it('answers an empty batch with no failures, and rejects a non-batch event', async () => {
    const { svc } = recorder()
    expect(await oneshot(sqsBatch(svc), lambdaEvent(sqsEvent([])))).toEqual({ batchItemFailures: [] })
    await expect(oneshot(sqsBatch(svc), lambdaEvent({ nope: true } as unknown as SQSEvent))).rejects.toBeInstanceOf(
      InvalidEventError,
    )
  })

  it('reports exactly the failed records for any failure set and concurrency (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 8 }),
        async (fails, concurrency) => {
          const records = fails.map((_, i) => sqsRecord(`m${i}`, { messageId: `id${i}` }))
          const failing = new Set(fails.flatMap((f, i) => (f ? [`m${i}`] : [])))
          const { svc } = recorder(failing)
          const res = await oneshot(
            sqsBatch(svc, { concurrency, onFullBatchFailure: 'report' }),
            lambdaEvent(sqsEvent(records)),
          )
          expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
            fails.flatMap((f, i) => (f ? [`id${i}`] : [])),
          )
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('sqsBatch on a FIFO queue', () => {
  // Groups: a b a b a b (positions 0..5)
  const fifo = () =>
    ['a', 'b', 'a', 'b', 'a', 'b'].map((g, i) => sqsRecord(`${g}${i}`, { groupId: g, messageId: `f${i}` }))

  it('stops at the first failure and reports it and every later record', async () => {
    const { svc, seen } = recorder(new Set(['a2']))
    const res = await oneshot(sqsBatch(svc, { concurrency: 8 }), lambdaEvent(sqsEvent(fifo())))
    expect(seen).toEqual(['a0', 'b1', 'a2'])
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['f2', 'f3', 'f4', 'f5'])
  })

  it('with continueOtherGroups, skips only the failed group’s later records', async () => {
    const { svc, seen } = recorder(new Set(['a2']))
    const res = await oneshot(sqsBatch(svc, { continueOtherGroups: true }), lambdaEvent(sqsEvent(fifo())))
    expect(seen).toEqual(['a0', 'b1', 'a2', 'b3', 'b5'])
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['f2', 'f4'])
  })

  it('with continueOtherGroups, reports a failure in each group independently', async () => {
    const { svc, seen } = recorder(new Set(['b1', 'a4']))
    const res = await oneshot(sqsBatch(svc, { continueOtherGroups: true }), lambdaEvent(sqsEvent(fifo())))
    expect(seen).toEqual(['a0', 'b1', 'a2', 'a4'])
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['f1', 'f3', 'f4', 'f5'])
  })

  it('a failure of the first record skips the whole batch: full failure', async () => {
    const { svc, seen } = recorder(new Set(['a0']))
    await expect(oneshot(sqsBatch(svc), lambdaEvent(sqsEvent(fifo())))).rejects.toBeInstanceOf(BatchFailedError)
    expect(seen).toEqual(['a0'])
  })
})

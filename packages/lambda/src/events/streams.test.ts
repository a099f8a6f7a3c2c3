import { oneshot, serviceFn } from '@turret/core'
import type { DynamoDBRecord, DynamoDBStreamEvent, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import type { LambdaEvent } from '../context/index'
import { dynamodbEvent, dynamodbRecord, kinesisEvent, kinesisRecord, lambdaEvent } from '../testing/index'
import ddbFixture from './fixtures/dynamodb/dynamodb-event.json'
import ddbOptional from './fixtures/dynamodb/example-dynamodb-event-record-with-optional-fields.json'
import kinesisEncrypted from './fixtures/kinesis/example-kinesis-event-encrypted.json'
import kinesisFixture from './fixtures/kinesis/kinesis-event.json'
import { BatchFailedError, dynamodbBatch, dynamodbImages, kinesisBatch, kinesisText } from './index'

function kinesisRecorder(failing: ReadonlySet<string>) {
  const seen: string[] = []
  const svc = serviceFn(({ payload }: LambdaEvent<KinesisStreamRecord>) => {
    const text = kinesisText(payload)
    seen.push(text)
    if (failing.has(text)) throw new Error(`bad ${text}`)
  })
  return { svc, seen }
}

const kinesisBatchOf = (n: number) =>
  kinesisEvent(Array.from({ length: n }, (_, i) => kinesisRecord(`r${i}`, `seq-${i}`)))

describe('kinesisBatch', () => {
  it('decodes the fixtures’ data and answers no failures', async () => {
    for (const fixture of [kinesisFixture, kinesisEncrypted]) {
      const { svc, seen } = kinesisRecorder(new Set())
      expect(await oneshot(kinesisBatch(svc), lambdaEvent(fixture as KinesisStreamEvent))).toEqual({
        batchItemFailures: [],
      })
      expect(seen).toEqual(['Hello World', 'Hello World'])
    }
  })

  it('reports a failing fixture record by its sequence number and stops there', async () => {
    let calls = 0
    const svc = serviceFn(({ payload }: LambdaEvent<KinesisStreamRecord>) => {
      calls++
      if ((payload.kinesis as { encryptionType?: string }).encryptionType === 'KMS') throw new Error('cannot decrypt')
    })
    const res = await oneshot(
      kinesisBatch(svc, { onFullBatchFailure: 'report' }),
      lambdaEvent(kinesisEncrypted as KinesisStreamEvent),
    )
    expect(calls).toBe(1)
    expect(res.batchItemFailures).toEqual([
      { itemIdentifier: '49568167373333333333333333333333333333333333333333333333' },
      { itemIdentifier: '49568167373333333334444444444444444444444444444444444444' },
    ])
  })

  it('stops at the first failure in a generated batch and reports it and every later record', async () => {
    const { svc, seen } = kinesisRecorder(new Set(['r3', 'r5']))
    const res = await oneshot(kinesisBatch(svc), lambdaEvent(kinesisBatchOf(7)))
    expect(seen).toEqual(['r0', 'r1', 'r2', 'r3'])
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['seq-3', 'seq-4', 'seq-5', 'seq-6'])
  })

  it('with continueAfterFailure processes everything and reports only the failures', async () => {
    const { svc, seen } = kinesisRecorder(new Set(['r3', 'r5']))
    const res = await oneshot(kinesisBatch(svc, { continueAfterFailure: true }), lambdaEvent(kinesisBatchOf(7)))
    expect(seen).toHaveLength(7)
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['seq-3', 'seq-5'])
  })

  it('a failing first record fails the whole batch (throws by default)', async () => {
    const { svc } = kinesisRecorder(new Set(['r0']))
    await expect(oneshot(kinesisBatch(svc), lambdaEvent(kinesisBatchOf(3)))).rejects.toBeInstanceOf(BatchFailedError)
  })
})

describe('dynamodbBatch', () => {
  it('processes dynamodb-event.json with unmarshalled images', async () => {
    const keys: unknown[] = []
    const svc = serviceFn(({ payload }: LambdaEvent<DynamoDBRecord>) => {
      keys.push(dynamodbImages(payload).keys)
    })
    const res = await oneshot(dynamodbBatch(svc), lambdaEvent(ddbFixture as DynamoDBStreamEvent))
    expect(res).toEqual({ batchItemFailures: [] })
    expect(keys[0]).toEqual({ val: 'data', key: 'binary' })
    expect(keys).toHaveLength((ddbFixture as DynamoDBStreamEvent).Records.length)
  })

  it('reports by dynamodb.SequenceNumber, stopping at the first failure', async () => {
    const seen: string[] = []
    const svc = serviceFn(({ payload }: LambdaEvent<DynamoDBRecord>) => {
      const id = payload.dynamodb?.Keys?.id?.S as string
      seen.push(id)
      if (id === 'b') throw new Error('conflict')
    })
    const event = dynamodbEvent(['a', 'b', 'c'].map((id, i) => dynamodbRecord(id, `${100 + i}`)))
    const res = await oneshot(dynamodbBatch(svc), lambdaEvent(event))
    expect(seen).toEqual(['a', 'b'])
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }, { itemIdentifier: '102' }] })
    const all = await oneshot(dynamodbBatch(svc, { continueAfterFailure: true }), lambdaEvent(event))
    expect(all).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] })
  })

  it('fails the whole batch when a record without a SequenceNumber fails (it cannot be reported)', async () => {
    const svc = serviceFn((): void => {
      throw new Error('no')
    })
    const event = { Records: [ddbOptional, dynamodbRecord('x', '5')] } as DynamoDBStreamEvent
    const err = await oneshot(dynamodbBatch(svc, { onFullBatchFailure: 'report' }), lambdaEvent(event)).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(BatchFailedError)
    expect((err as BatchFailedError).message).toMatch(/without an identifier/)
  })
})

import { oneshot, serviceFn } from '@turret/core'
import type { DynamoDBRecord, EventBridgeEvent, S3Event, SNSEvent } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import type { LambdaEvent } from '../context/index'
import { lambdaEvent, sqsRecord } from '../testing/index'
import ddbFixture from './fixtures/dynamodb/dynamodb-event.json'
import ebFixture from './fixtures/eventbridge/example-eventbridge-event-obj.json'
import ebSchedule from './fixtures/eventbridge/example-eventbridge-schedule.json'
import s3Decoded from './fixtures/s3/example-s3-event-with-decoded.json'
import s3Fixture from './fixtures/s3/s3-event.json'
import snsPascal from './fixtures/sns/example-sns-event-pascal-case.json'
import snsFixture from './fixtures/sns/sns-event.json'
import {
  decodeS3Key,
  dynamodbImages,
  eventBridge,
  eventBridgeDetail,
  InvalidEventError,
  kinesisJson,
  s3Objects,
  snsFromSqs,
  snsMessages,
  unmarshall,
  unmarshallValue,
} from './index'

interface Ec2StateChange {
  'instance-id': string
  state: 'pending' | 'running' | 'stopped'
}

describe('EventBridge', () => {
  it('types the detail of the fixture', () => {
    const detail = eventBridgeDetail<Ec2StateChange>(ebFixture as EventBridgeEvent<string, unknown>)
    expect(detail.state).toBe('pending')
    expect(detail['instance-id']).toBe('i-abcd1111')
    expect(eventBridgeDetail(ebSchedule as EventBridgeEvent<string, unknown>)).toEqual({})
  })

  it('checks detail-type, source and detail before calling the service', async () => {
    const parse = (d: unknown): Ec2StateChange => {
      const v = d as Ec2StateChange
      if (typeof v?.['instance-id'] !== 'string') throw new TypeError('not an EC2 state change')
      return v
    }
    const seen: string[] = []
    const svc = eventBridge(
      serviceFn(({ payload }: LambdaEvent<EventBridgeEvent<string, Ec2StateChange>>) => {
        seen.push(payload.detail.state)
        return payload.detail['instance-id']
      }),
      { detailTypes: ['EC2 Instance State-change Notification'], sources: ['aws.ec2'], parse },
    )
    expect(await oneshot(svc, lambdaEvent(ebFixture as EventBridgeEvent<string, unknown>))).toBe('i-abcd1111')
    await expect(oneshot(svc, lambdaEvent(ebSchedule as EventBridgeEvent<string, unknown>))).rejects.toBeInstanceOf(
      InvalidEventError,
    )
    const wrongDetail = { ...ebFixture, detail: { nope: 1 } } as EventBridgeEvent<string, unknown>
    await expect(oneshot(svc, lambdaEvent(wrongDetail))).rejects.toThrow('not an EC2 state change')
    expect(seen).toEqual(['pending'])
  })
})

describe('SNS', () => {
  it('reads both fixtures (attributes flattened)', () => {
    const [msg] = snsMessages(snsFixture as SNSEvent)
    expect(msg).toEqual({
      messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
      topicArn: 'arn:aws:sns:EXAMPLE',
      subject: 'TestInvoke',
      timestamp: '2015-06-03T17:43:27.123Z',
      type: 'Notification',
      message: 'Hello from SNS!',
      attributes: { Test: 'TestString', TestBinary: 'TestBinary' },
    })
    const [pascal] = snsMessages(snsPascal as SNSEvent)
    expect(pascal?.message).toBe('Hello\r\nworld!')
    expect(pascal?.attributes).toEqual({})
  })

  it('parses JSON messages on request and rejects bad JSON clearly', () => {
    const event = structuredClone(snsFixture) as SNSEvent
    ;(event.Records[0] as SNSEvent['Records'][0]).Sns.Message = '{"orderId":"o-1","total":12}'
    expect(snsMessages<{ orderId: string; total: number }>(event, { json: true })[0]?.message).toEqual({
      orderId: 'o-1',
      total: 12,
    })
    expect(() => snsMessages(snsFixture as SNSEvent, { json: true })).toThrow(InvalidEventError)
  })

  it('unwraps an SNS notification delivered through SQS', () => {
    const notification = { ...(snsFixture as SNSEvent).Records[0]?.Sns, Message: '{"a":1}' }
    const msg = snsFromSqs<{ a: number }>(sqsRecord(notification), { json: true })
    expect(msg.message).toEqual({ a: 1 })
    expect(msg.topicArn).toBe('arn:aws:sns:EXAMPLE')
    expect(() => snsFromSqs(sqsRecord({ not: 'sns' }))).toThrow(InvalidEventError)
  })
})

describe('S3', () => {
  it('decodes object keys: %XX escapes, and + as a space', () => {
    expect(s3Objects(s3Fixture as S3Event)[0]).toEqual({
      eventName: 'ObjectCreated:Put',
      eventTime: '1970-01-01T00:00:00.123Z',
      region: 'us-east-1',
      bucket: 'sourcebucket',
      key: 'Happy Face.jpg',
      size: 1024,
      eTag: 'd41d8cd98f00b204e9800998ecf8427e',
      versionId: 'version',
      sequencer: 'Happy Sequencer',
    })
    expect(s3Objects(s3Decoded as S3Event)[0]?.key).toBe(s3Decoded.Records[0]?.s3.object.urlDecodedKey)
    expect(decodeS3Key('reports/Q1+2026%2Bdraft.pdf')).toBe('reports/Q1 2026+draft.pdf')
    expect(decodeS3Key('caf%C3%A9+menu.txt')).toBe('café menu.txt')
    expect(decodeS3Key('100%+sure')).toBe('100% sure')
  })
})

describe('Kinesis', () => {
  it('parses JSON data', () => {
    const record = {
      kinesis: { data: Buffer.from('{"n":1}').toString('base64'), sequenceNumber: '1' },
    } as Parameters<typeof kinesisJson>[0]
    expect(kinesisJson(record)).toEqual({ n: 1 })
  })
})

describe('DynamoDB unmarshall', () => {
  it('unmarshalls every attribute type', () => {
    const item = unmarshall({
      s: { S: 'text' },
      n: { N: '42' },
      f: { N: '3.5' },
      b: { B: 'AAEqQQ==' },
      t: { BOOL: true },
      z: { NULL: true },
      m: { M: { inner: { L: [{ S: 'x' }, { N: '1' }] } } },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.5'] },
      bs: { BS: ['AAE=', 'QQ=='] },
    })
    expect(item).toEqual({
      s: 'text',
      n: 42,
      f: 3.5,
      b: new Uint8Array([0, 1, 42, 65]),
      t: true,
      z: null,
      m: { inner: ['x', 1] },
      ss: new Set(['a', 'b']),
      ns: new Set([1, 2.5]),
      bs: new Set([new Uint8Array([0, 1]), new Uint8Array([65])]),
    })
  })

  it('keeps big numbers exact as bigint or string, and refuses to lose digits as number', () => {
    const big = { N: '12345678901234567890' }
    expect(unmarshallValue(big, { numbers: 'bigint' })).toBe(12345678901234567890n)
    expect(unmarshallValue({ N: '1.25' }, { numbers: 'bigint' })).toBe(1.25)
    expect(unmarshallValue(big, { numbers: 'string' })).toBe('12345678901234567890')
    expect(() => unmarshallValue(big)).toThrow(/bigint/)
    expect(unmarshallValue({ NS: ['9007199254740993'] }, { numbers: 'bigint' })).toEqual(new Set([9007199254740993n]))
    expect(() => unmarshallValue({} as never)).toThrow(InvalidEventError)
  })

  it('unmarshalls the images of the fixture records', () => {
    const records = (ddbFixture as { Records: DynamoDBRecord[] }).Records
    const first = dynamodbImages(records[0] as DynamoDBRecord)
    expect(first.eventName).toBe('INSERT')
    expect(first.keys).toEqual({ val: 'data', key: 'binary' })
    expect(first.newImage).toMatchObject({ val: 'data', key: 'binary', asdf1: new Uint8Array([0, 1, 42, 65]) })
    expect(first.oldImage).toBeUndefined()
    const second = dynamodbImages(records[1] as DynamoDBRecord).newImage as Record<string, unknown>
    expect(second).toMatchObject({
      Boolean: true,
      Null: null,
      // biome-ignore lint/suspicious/noApproximativeNumericConstant: the fixture's value
      List: ['Cookies', 'Coffee', 3.14159],
      Map: { Name: 'Joe', Age: 35 },
      FloatNumber: 123.45,
      IntegerNumber: 123,
      NumberSet: new Set([1234, 567.8]),
    })
  })
})

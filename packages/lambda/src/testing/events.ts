import type {
  DynamoDBRecord,
  DynamoDBStreamEvent,
  KinesisStreamEvent,
  KinesisStreamRecord,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda'

let counter = 0

/** Fields of a generated SQS record. */
export interface SqsRecordOptions {
  /** Defaults to `msg-<n>`. */
  readonly messageId?: string | undefined
  /** Makes the record come from a FIFO queue, in this message group. Defaults to a standard queue. */
  readonly groupId?: string | undefined
}

/**
 * An SQS record with `body` (objects are JSON-encoded).
 *
 * @example
 * ```ts
 * const event = sqsEvent([sqsRecord({ id: 1 }), sqsRecord('plain', { groupId: 'g1' })])
 * ```
 */
export function sqsRecord(body: unknown, options: SqsRecordOptions = {}): SQSRecord {
  const n = ++counter
  const fifo = options.groupId !== undefined
  return {
    messageId: options.messageId ?? `msg-${n}`,
    receiptHandle: `handle-${n}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1764300000000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1764300000001',
      ...(fifo
        ? { MessageGroupId: options.groupId, MessageDeduplicationId: `dedup-${n}`, SequenceNumber: `${n}` }
        : {}),
    },
    messageAttributes: {},
    md5OfBody: '00000000000000000000000000000000',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${fifo ? 'orders.fifo' : 'orders'}`,
    awsRegion: 'us-east-1',
  }
}

/** An SQS event around `records`. */
export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records }
}

/** A Kinesis record carrying `data` (objects JSON-encoded, then base64). */
export function kinesisRecord(data: unknown, sequenceNumber = `${++counter}`.padStart(20, '0')): KinesisStreamRecord {
  const text = typeof data === 'string' ? data : JSON.stringify(data)
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: 'pk',
      sequenceNumber,
      data: Buffer.from(text).toString('base64'),
      approximateArrivalTimestamp: 1764300000.123,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/LambdaRole',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/test',
  }
}

/** A Kinesis event around `records`. */
export function kinesisEvent(records: KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: records }
}

/** A DynamoDB Streams INSERT record with a string key `id`. */
export function dynamodbRecord(id: string, sequenceNumber = `${++counter}`.padStart(20, '0')): DynamoDBRecord {
  return {
    eventID: `event-${sequenceNumber}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      Keys: { id: { S: id } },
      NewImage: { id: { S: id } },
      SequenceNumber: sequenceNumber,
      SizeBytes: 26,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/test/stream/2026-01-01T00:00:00.000',
  }
}

/** A DynamoDB Streams event around `records`. */
export function dynamodbEvent(records: DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: records }
}

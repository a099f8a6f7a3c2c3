import type { Service } from '@turret/core'
import type { DynamoDBRecord, DynamoDBStreamEvent, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda'
import type { LambdaEvent } from '../context/index'
import { type BatchOptions, type BatchResponse, BatchService } from './batch'

/** Options of {@link kinesisBatch} and {@link dynamodbBatch}. */
export interface StreamBatchOptions extends BatchOptions {
  /**
   * Keep processing after a failure instead of stopping (Lambda resumes from the lowest reported
   * sequence number, so later records are delivered again anyway). Defaults to `false`.
   */
  readonly continueAfterFailure?: boolean | undefined
}

/**
 * Turns a per-record service into a Kinesis batch service: records in order, stopping at the first
 * failure, which is reported (with every later record) by `kinesis.sequenceNumber`.
 *
 * @example
 * ```ts
 * export const main = lambdaHandler(kinesisBatch(serviceFn(async ({ payload }) => index(kinesisJson(payload)))))
 * ```
 */
export function kinesisBatch(
  recordService: Service<LambdaEvent<KinesisStreamRecord>, unknown>,
  options: StreamBatchOptions = {},
): Service<LambdaEvent<KinesisStreamEvent>, BatchResponse> {
  const mode = options.continueAfterFailure ? 'all' : 'stop'
  return new BatchService<KinesisStreamRecord>(
    'kinesisBatch',
    recordService,
    'Kinesis',
    () => ({ id: (r) => r.kinesis?.sequenceNumber, mode, concurrency: 1 }),
    options,
  )
}

/**
 * Turns a per-record service into a DynamoDB Streams batch service: records in order, stopping at
 * the first failure, which is reported (with every later record) by `dynamodb.SequenceNumber`.
 *
 * @example
 * ```ts
 * export const main = lambdaHandler(dynamodbBatch(serviceFn(async ({ payload }) => sync(dynamodbImages(payload)))))
 * ```
 */
export function dynamodbBatch(
  recordService: Service<LambdaEvent<DynamoDBRecord>, unknown>,
  options: StreamBatchOptions = {},
): Service<LambdaEvent<DynamoDBStreamEvent>, BatchResponse> {
  const mode = options.continueAfterFailure ? 'all' : 'stop'
  return new BatchService<DynamoDBRecord>(
    'dynamodbBatch',
    recordService,
    'DynamoDB Streams',
    () => ({ id: (r) => r.dynamodb?.SequenceNumber, mode, concurrency: 1 }),
    options,
  )
}

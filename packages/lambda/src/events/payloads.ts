import { type Next, PassThrough, type Service } from '@turret/core'
import type {
  EventBridgeEvent,
  KinesisStreamRecord,
  S3Event,
  S3EventRecord,
  SNSEvent,
  SNSEventRecord,
  SQSRecord,
} from 'aws-lambda'
import type { LambdaEvent } from '../context/index'
import { InvalidEventError } from './batch'

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new InvalidEventError(`${what} is not valid JSON`, { cause })
  }
}

// ---- EventBridge ----------------------------------------------------------------------------

/** Options of {@link eventBridge}. */
export interface EventBridgeOptions<D> {
  /** Checks and types `detail` (e.g. a schema's `parse`); a throw rejects the call. Defaults to a cast. */
  readonly parse?: ((detail: unknown) => D) | undefined
  /** Accepted `detail-type` values; others reject with `InvalidEventError`. Defaults to any. */
  readonly detailTypes?: readonly string[] | undefined
  /** Accepted `source` values; others reject with `InvalidEventError`. Defaults to any. */
  readonly sources?: readonly string[] | undefined
}

/**
 * The typed `detail` of an EventBridge event, checked by `parse` when given.
 *
 * @example
 * ```ts
 * const { state } = eventBridgeDetail<{ state: string }>(event)
 * ```
 */
export function eventBridgeDetail<D>(event: EventBridgeEvent<string, unknown>, parse?: (detail: unknown) => D): D {
  if (typeof event !== 'object' || event === null || !('detail' in event)) {
    throw new InvalidEventError('expected an EventBridge event with a detail')
  }
  return parse ? parse(event.detail) : (event.detail as D)
}

class EventBridgeService<D, R> extends PassThrough<
  LambdaEvent<EventBridgeEvent<string, unknown>>,
  R,
  LambdaEvent<EventBridgeEvent<string, D>>,
  R
> {
  readonly layerName = 'eventBridge'
  constructor(
    inner: Service<LambdaEvent<EventBridgeEvent<string, D>>, R>,
    private readonly options: EventBridgeOptions<D>,
  ) {
    super(inner)
  }
  protected handle(
    { payload, context }: LambdaEvent<EventBridgeEvent<string, unknown>>,
    next: Next<LambdaEvent<EventBridgeEvent<string, D>>, R>,
  ): Promise<R> {
    try {
      const { detailTypes, sources, parse } = this.options
      if (detailTypes && !detailTypes.includes(payload['detail-type'])) {
        throw new InvalidEventError(`unexpected EventBridge detail-type: ${payload['detail-type']}`)
      }
      if (sources && !sources.includes(payload.source)) {
        throw new InvalidEventError(`unexpected EventBridge source: ${payload.source}`)
      }
      const detail = eventBridgeDetail(payload, parse)
      return next({ payload: { ...payload, detail }, context })
    } catch (error) {
      return Promise.reject(error)
    }
  }
}

/**
 * Types (and optionally checks) the `detail` of the EventBridge events a service receives.
 *
 * @example
 * ```ts
 * export const main = lambdaHandler(eventBridge(onOrderPlaced, { detailTypes: ['OrderPlaced'], parse: OrderPlaced.parse }))
 * ```
 */
export function eventBridge<D, R>(
  inner: Service<LambdaEvent<EventBridgeEvent<string, D>>, R>,
  options: EventBridgeOptions<D> = {},
): Service<LambdaEvent<EventBridgeEvent<string, unknown>>, R> {
  return new EventBridgeService(inner, options)
}

// ---- SNS --------------------------------------------------------------------------------------

/** An SNS notification, camel-cased, with its message (text, or parsed JSON). */
export interface SnsMessage<T> {
  readonly messageId: string
  readonly topicArn: string
  readonly subject: string | undefined
  readonly timestamp: string
  readonly type: string
  /** The message: text, or the parsed JSON with `{ json: true }`. */
  readonly message: T
  /** Message attributes, name → value. */
  readonly attributes: Readonly<Record<string, string>>
}

/** Options of {@link snsMessage}. */
export interface SnsMessageOptions {
  /** Parse `Message` as JSON (a bad one throws `InvalidEventError`). Defaults to `false`. */
  readonly json?: boolean | undefined
}

interface SnsNotification {
  readonly Type?: string
  readonly MessageId: string
  readonly TopicArn: string
  readonly Subject?: string | null
  readonly Message: string
  readonly Timestamp: string
  readonly MessageAttributes?: Record<string, { Type: string; Value: string }>
}

function fromNotification<T>(sns: SnsNotification, options: SnsMessageOptions): SnsMessage<T> {
  const attributes: Record<string, string> = {}
  for (const [k, v] of Object.entries(sns.MessageAttributes ?? {})) attributes[k] = v.Value
  return {
    messageId: sns.MessageId,
    topicArn: sns.TopicArn,
    subject: sns.Subject ?? undefined,
    timestamp: sns.Timestamp,
    type: sns.Type ?? 'Notification',
    message: (options.json ? parseJson(sns.Message, `SNS message ${sns.MessageId}`) : sns.Message) as T,
    attributes,
  }
}

/**
 * The message of one SNS record.
 *
 * @example
 * ```ts
 * const { message } = snsMessage<Order>(record, { json: true })
 * ```
 */
export function snsMessage<T = string>(record: SNSEventRecord, options: SnsMessageOptions = {}): SnsMessage<T> {
  return fromNotification<T>(record.Sns as SnsNotification, options)
}

/** The messages of an SNS event, in order. */
export function snsMessages<T = string>(event: SNSEvent, options: SnsMessageOptions = {}): SnsMessage<T>[] {
  if (!Array.isArray(event?.Records)) throw new InvalidEventError('expected an SNS event with a Records array')
  return event.Records.map((r) => snsMessage<T>(r, options))
}

/**
 * The SNS notification inside an SQS record (SNS → SQS subscription without raw delivery).
 *
 * @example
 * ```ts
 * sqsBatch(serviceFn(({ payload }) => save(snsFromSqs<Order>(payload, { json: true }).message)))
 * ```
 */
export function snsFromSqs<T = string>(record: SQSRecord, options: SnsMessageOptions = {}): SnsMessage<T> {
  const body = parseJson(record.body, `SQS message ${record.messageId}`) as SnsNotification
  if (typeof body?.Message !== 'string') throw new InvalidEventError('the SQS message is not an SNS notification')
  return fromNotification<T>(body, options)
}

// ---- S3 ----------------------------------------------------------------------------------------

/**
 * Decodes an S3 event object key: S3 URL-encodes keys and writes spaces as `+`.
 *
 * @example
 * ```ts
 * decodeS3Key('reports/Q1+2026%2Bdraft.pdf') // 'reports/Q1 2026+draft.pdf'
 * ```
 */
export function decodeS3Key(key: string): string {
  const spaced = key.replace(/\+/g, ' ')
  try {
    return decodeURIComponent(spaced)
  } catch {
    return spaced
  }
}

/** The object an S3 notification is about, key decoded. */
export interface S3ObjectRef {
  readonly eventName: string
  readonly eventTime: string
  readonly region: string
  readonly bucket: string
  /** The object key, URL-decoded (`+` as space). */
  readonly key: string
  readonly size: number | undefined
  readonly eTag: string | undefined
  readonly versionId: string | undefined
  readonly sequencer: string
}

/** The object of one S3 record. */
export function s3Object(record: S3EventRecord): S3ObjectRef {
  const { s3 } = record
  return {
    eventName: record.eventName,
    eventTime: record.eventTime,
    region: record.awsRegion,
    bucket: s3.bucket.name,
    key: decodeS3Key(s3.object.key),
    size: s3.object.size,
    eTag: s3.object.eTag,
    versionId: s3.object.versionId,
    sequencer: s3.object.sequencer,
  }
}

/**
 * The objects of an S3 event, keys decoded.
 *
 * @example
 * ```ts
 * for (const { bucket, key } of s3Objects(event.payload)) await thumbnail(bucket, key)
 * ```
 */
export function s3Objects(event: S3Event): S3ObjectRef[] {
  if (!Array.isArray(event?.Records)) throw new InvalidEventError('expected an S3 event with a Records array')
  return event.Records.map(s3Object)
}

// ---- Kinesis ------------------------------------------------------------------------------------

/** The data bytes of a Kinesis record (base64-decoded). */
export function kinesisData(record: KinesisStreamRecord): Uint8Array {
  return new Uint8Array(Buffer.from(record.kinesis.data, 'base64'))
}

/** The data of a Kinesis record as UTF-8 text. */
export function kinesisText(record: KinesisStreamRecord): string {
  return Buffer.from(record.kinesis.data, 'base64').toString('utf8')
}

/** The data of a Kinesis record parsed as JSON (a bad one throws `InvalidEventError`). */
export function kinesisJson<T = unknown>(record: KinesisStreamRecord): T {
  return parseJson(kinesisText(record), `Kinesis record ${record.kinesis.sequenceNumber}`) as T
}

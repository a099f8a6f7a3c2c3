/**
 * Event-driven helpers: SQS, Kinesis and DynamoDB Streams batches as per-record services with
 * partial batch failure responses, and typed payloads for EventBridge, SNS, S3 and DynamoDB.
 * @module
 */
export {
  BatchFailedError,
  type BatchItemFailure,
  type BatchOptions,
  type BatchResponse,
  InvalidEventError,
} from './batch'
export {
  type DynamoImages,
  type DynamoValue,
  dynamodbImages,
  type NumberMode,
  type UnmarshallOptions,
  unmarshall,
  unmarshallValue,
} from './dynamodb-json'
export {
  decodeS3Key,
  type EventBridgeOptions,
  eventBridge,
  eventBridgeDetail,
  kinesisData,
  kinesisJson,
  kinesisText,
  type S3ObjectRef,
  type SnsMessage,
  type SnsMessageOptions,
  s3Object,
  s3Objects,
  snsFromSqs,
  snsMessage,
  snsMessages,
} from './payloads'
export { type SqsBatchOptions, sqsBatch } from './sqs'
export { dynamodbBatch, kinesisBatch, type StreamBatchOptions } from './streams'

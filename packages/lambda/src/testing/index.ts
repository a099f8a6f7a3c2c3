/**
 * `@turret/lambda/testing`: a mock invocation context, event factories and a loopback Runtime API
 * server for testing Lambda services oneshot-style and `run()` end to end.
 * @module
 */

export { type FakeAwsLambda, type FakeAwsLambdaOptions, fakeAwsLambda } from './aws-lambda-global'
export { lambdaEvent, MockContext, type MockContextOptions, mockContext } from './context'
export {
  dynamodbEvent,
  dynamodbRecord,
  kinesisEvent,
  kinesisRecord,
  type SqsRecordOptions,
  sqsEvent,
  sqsRecord,
} from './events'
export {
  albEvent,
  apigwV1Event,
  apigwV2Event,
  functionUrlEvent,
  type HttpEventInit,
  type MultiMap,
  type WebsocketEventInit,
  websocketEvent,
} from './http-events'
export { type DecodedHttpResult, decodeHttpResult, decodeStreamedHttpResult, resultToResponse } from './http-results'
export {
  type InvokeOptions,
  type RecordedPost,
  type RuntimeApiServer,
  startRuntimeApiServer,
} from './runtime-api-server'

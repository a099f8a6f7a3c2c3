/**
 * The Lambda HTTP adapter: every Lambda HTTP event (API Gateway REST v1 and HTTP API v2, Function URLs, ALB,
 * WebSocket) ⇄ fetch `Request`/`Response`, buffered and streamed, and the accessors for what the adapter
 * attaches to each request (the event, its source, the invocation context).
 * @module
 */
export { type HttpAdapterOptions, httpAdapter } from './adapter'
export {
  eventSource,
  type LambdaHttpInfo,
  type LambdaHttpRequestContext,
  lambdaContext,
  lambdaHttpEvent,
  lambdaHttpInfo,
  pathParameters,
  requestContext,
  sourceIp,
  stageVariables,
} from './context'
export { type HttpHandler, type HttpHandlerOptions, httpHandler, type RunHttpOptions, runHttp } from './entry'
export type { StagePath } from './request'
export type { IsBinary } from './response'
export { type AwsLambdaGlobal, httpStreamAdapter, type ResponseStream, streamHttpHandler } from './stream'
export type { HttpEventSource, LambdaHttpEvent, LambdaHttpResult, StreamingPrelude } from './types'

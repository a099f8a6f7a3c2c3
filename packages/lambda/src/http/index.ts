/**
 * The Lambda HTTP adapter: every Lambda HTTP event (API Gateway REST v1 and HTTP API v2, Function URLs, ALB,
 * WebSocket) ⇄ fetch `Request`/`Response`, buffered and streamed.
 * @module
 */
export { badEventResult, eventToRequest, type HttpAdapterOptions, httpAdapter } from './adapter'
export {
  eventSource,
  type LambdaHttpInfo,
  type LambdaHttpRequestContext,
  lambdaContext,
  lambdaHttpEvent,
  lambdaHttpInfo,
  lambdaHttpKey,
  pathParameters,
  requestContext,
  sourceIp,
  stageVariables,
} from './context'
export { type HttpHandler, type HttpHandlerOptions, httpHandler, type RunHttpOptions, runHttp } from './entry'
export { BadHttpEvent, detectSource, type ParsedEvent, parseEvent, type StagePath } from './request'
export { type IsBinary, isTextContentType, statusDescription, toResult } from './response'
export {
  type AwsLambdaGlobal,
  HTTP_INTEGRATION_CONTENT_TYPE,
  httpIntegrationPrelude,
  httpIntegrationStream,
  httpStreamAdapter,
  type ResponseStream,
  streamHttpHandler,
  writeResponseStream,
} from './stream'
export type { HttpEventSource, LambdaHttpEvent, LambdaHttpResult, StreamingPrelude } from './types'

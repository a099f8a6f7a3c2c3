/**
 * `@turret/lambda/internal`: pieces `@turret/dev` builds on (the managed-runtime `awslambda` global, the
 * adapter from managed-runtime handlers to services, the Runtime API routes). **Unstable**: no semver
 * promise, names and shapes change in any release. Use `@turret/lambda` and `@turret/lambda/testing`.
 * @module
 */

// Pieces dev uses that the public roots may stop exporting (issue #18 trims them): one source for dev.
export { contextFromRuntimeHeaders } from '../context/index'
export { isTextContentType } from '../http/response'
export { errorRequest } from '../runtime/response'
export { isStreamingResponse } from '../runtime/streaming'
export {
  awsLambdaGlobal,
  HTTP_INTEGRATION_CONTENT_TYPE,
  installAwsLambdaGlobal,
  preludeBytes,
  STREAMIFIED,
  type StreamifiedMark,
  streamified,
} from './aws-lambda-global'
export {
  fromManagedHandler,
  installManagedAwsLambda,
  type ManagedHandler,
  ManagedResponseStream,
  managedAwsLambda,
} from './managed-handler'
export { BodyTooLarge, header, readBody, runtimeError, sendJson } from './runtime-api/http'
export {
  decodePath,
  errorOutcome,
  type FunctionErrorPayload,
  type InvocationOutcome,
  parseErrorOutcome,
} from './runtime-api/outcome'
export {
  MAX_STREAMED_RESPONSE,
  MAX_SYNC_PAYLOAD,
  RuntimeApi,
  type RuntimeApiHooks,
  type RuntimeInvocation,
  type RuntimePost,
} from './runtime-api/routes'

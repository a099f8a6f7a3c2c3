/**
 * `@turret/lambda/internal`: the pieces of `@turret/lambda` that other turret packages (`@turret/dev`) and
 * turret's own tests build on, but that are not for users: the managed-runtime `awslambda` global, the
 * adapter from managed-runtime handlers to services, the Runtime API routes, and adapter helpers.
 * **Unstable**: not covered by semver; names and shapes change in any release. Use `@turret/lambda` and
 * `@turret/lambda/testing` instead.
 * @module
 */
export {
  contextFromRuntimeHeaders,
  InvalidInvocationError,
  type RuntimeHeaders,
} from '../context/build'
export { detectSource } from '../http/request'
export { isTextContentType } from '../http/response'
export { HTTP_INTEGRATION_CONTENT_TYPE } from '../http/stream'
export { diagnostic } from '../runtime/diagnostic'
export { errorRequest } from '../runtime/response'
export { isStreamingResponse } from '../runtime/streaming'
export {
  awsLambdaGlobal,
  installAwsLambdaGlobal,
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

/**
 * The custom-runtime loop and its layers: `run()` drives `postToRuntimeApi` → `toRuntimeApiRequest`
 * → `panicToFunctionError` → your service over a keep-alive Runtime API client.
 * @module
 */

export {
  RuntimeApiClient,
  type RuntimeApiClientOptions,
  RuntimeApiError,
  type RuntimeApiRequest,
  type RuntimeApiResponse,
  runtimeApiClient,
} from './client'
export { type Diagnostic, diagnostic, FunctionError, safeStringify } from './diagnostic'
export { panicToFunctionError } from './panic-to-function-error'
export { type PostToRuntimeApiOptions, postToRuntimeApi, type RuntimeLogger } from './post'
export {
  errorRequest,
  INIT_ERROR_PATH,
  NEXT_PATH,
  type NextInvocation,
  RUNTIME_API_VERSION,
  type ToRuntimeApiRequestOptions,
  toRuntimeApiRequest,
} from './response'
export {
  type RunOptions,
  type RuntimeStackOptions,
  run,
  runtimeStack,
  type ServiceOrFactory,
  type SignalSource,
} from './run'
export {
  type ByteStream,
  byteChunks,
  isStreamingResponse,
  type StreamingResponse,
  type StreamingResponseOptions,
  streamingResponse,
  streamingResponseSymbol,
} from './streaming'

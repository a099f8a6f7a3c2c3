/**
 * The custom-runtime loop and its layers: `run()` drives `postToRuntimeApi` → `runtimeApiResponse`
 * → `catchPanic` → your service over a keep-alive Runtime API client.
 * @module
 */
export { catchPanic } from './catch-panic'
export {
  RuntimeApiClient,
  type RuntimeApiClientOptions,
  RuntimeApiError,
  type RuntimeApiRequest,
  type RuntimeApiResponse,
  runtimeApiClient,
} from './client'
export { type Diagnostic, diagnostic, FunctionError, safeStringify } from './diagnostic'
export { type PostToRuntimeApiOptions, postToRuntimeApi, type RuntimeLogger } from './post'
export {
  errorRequest,
  INIT_ERROR_PATH,
  type Invocation,
  NEXT_PATH,
  RUNTIME_API_VERSION,
  type RuntimeApiResponseOptions,
  runtimeApiResponse,
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

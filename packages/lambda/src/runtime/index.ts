/**
 * The custom-runtime loop and its layers: `run()` drives `postToRuntimeApi` → `toRuntimeApiRequest`
 * → `panicToFunctionError` → your service over a keep-alive Runtime API client. `runtimeStack()`,
 * `runtimeApiClient()` and `NEXT_PATH` are the pieces of a loop of your own.
 *
 * @example
 * ```ts
 * const client = runtimeApiClient()
 * const stack = runtimeStack(service, { client })
 * for (;;) await oneshot(stack, await oneshot(client, { method: 'GET', path: NEXT_PATH }))
 * ```
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
export { type Diagnostic, FunctionError } from './diagnostic'
export { panicToFunctionError } from './panic-to-function-error'
export { type PostToRuntimeApiOptions, postToRuntimeApi, type RuntimeLogger } from './post'
export { NEXT_PATH, type NextInvocation, type ToRuntimeApiRequestOptions, toRuntimeApiRequest } from './response'
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
  isStreamingResponse,
  type StreamingResponse,
  type StreamingResponseOptions,
  streamingResponse,
} from './streaming'

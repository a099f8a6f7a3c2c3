/**
 * Entry points of the HTTP adapter: the managed runtime export and the custom runtime loop.
 * @module
 */
import type { Service } from '@turret/core'
import type { Context as AwsContext } from 'aws-lambda'
import { type HandlerOptions, lambdaHandler } from '../handler/index'
import { type RunOptions, run } from '../runtime/index'
import { type HttpAdapterOptions, httpAdapter } from './adapter'
import { httpStreamAdapter } from './stream'
import type { LambdaHttpEvent, LambdaHttpResult } from './types'

/** The managed Node.js runtime's handler signature for HTTP events. */
export type HttpHandler = (event: LambdaHttpEvent, context: AwsContext) => Promise<LambdaHttpResult>

/** Options of {@link httpHandler}: the adapter's and `lambdaHandler()`'s. */
export interface HttpHandlerOptions extends HttpAdapterOptions, HandlerOptions {}

/**
 * The managed Node.js runtime export for an HTTP service: `lambdaHandler(httpAdapter(options)(service))`, i.e.
 * `(event, context) => Promise<result>`.
 *
 * An error that escapes the service (a rejection, such as core's `TimeoutError`) makes the handler throw: the
 * invocation fails and API Gateway answers `502` (HTTP API: `500`), as for any Lambda function that throws,
 * while `serve()` answers the same error `500`. This is each runtime's own behaviour, kept on purpose. For the
 * same `500` response everywhere (and a body and logging of your choice), put `catchPanic()` from
 * `@turret/http` around the stack.
 *
 * @example
 * ```ts
 * export const handler = httpHandler(new ServiceBuilder().layer(catchPanic()).layer(timeout(5_000)).service(app))
 * ```
 */
export function httpHandler(service: Service<Request, Response>, options: HttpHandlerOptions = {}): HttpHandler {
  const { stagePath, isBinary, ...handlerOptions } = options
  return lambdaHandler(httpAdapter({ stagePath, isBinary })(service), handlerOptions)
}

/** Options of {@link runHttp}: the adapter's, the loop's, and the response mode. */
export interface RunHttpOptions extends HttpAdapterOptions, RunOptions {
  /**
   * Stream responses (Runtime API streaming mode, HTTP integration prelude + 8 NUL bytes + body), for Function
   * URLs with `InvokeMode: RESPONSE_STREAM` and API Gateway streaming integrations. Defaults to `false`
   * (buffered results).
   */
  readonly stream?: boolean | undefined
}

/**
 * Runs an HTTP service as a custom runtime: `run(httpAdapter(options)(service))`, or with `{ stream: true }`
 * `run(httpStreamAdapter(options)(service))`. As with {@link httpHandler}, an error that escapes the service
 * is reported to the Runtime API as the invocation's error (API Gateway answers `502`); `catchPanic()` from
 * `@turret/http` turns it into a `500` response instead.
 *
 * @example
 * ```ts
 * await runHttp(app) // bootstrap of a provided.al2023 function
 * ```
 */
export function runHttp(service: Service<Request, Response>, options: RunHttpOptions = {}): Promise<void> {
  const { stream, stagePath, isBinary, overrideGlobalObjects, ...runOptions } = options
  const adapterOptions: HttpAdapterOptions = { stagePath, isBinary, overrideGlobalObjects }
  if (stream) return run(httpStreamAdapter(adapterOptions)(service), runOptions)
  return run(httpAdapter(adapterOptions)(service), runOptions)
}

import { type Clock, type Next, PassThrough, type Service, systemClock } from '@turret/core'
import {
  contextFromRuntimeHeaders,
  type FunctionEnvironment,
  functionEnvironment,
  type InvocationContext,
  type LambdaEvent,
} from '../context/index'
import type { RuntimeApiRequest, RuntimeApiResponse } from './client'
import { type Diagnostic, diagnostic, headerSafe, safeStringify } from './diagnostic'
import { byteChunks, isStreamingResponse, type StreamingResponse } from './streaming'

/** The Runtime API's base path. */
export const RUNTIME_API_VERSION = '/2018-06-01'
/** `GET` this path for the next invocation. */
export const NEXT_PATH = `${RUNTIME_API_VERSION}/runtime/invocation/next`
/** `POST` init failures here. */
export const INIT_ERROR_PATH = `${RUNTIME_API_VERSION}/runtime/init/error`

/** An invocation as `/next` delivered it: status, headers and the raw event bytes. */
export type NextInvocation = RuntimeApiResponse

function invocationPath(requestId: string, what: 'response' | 'error'): string {
  return `${RUNTIME_API_VERSION}/runtime/invocation/${encodeURIComponent(requestId)}/${what}`
}

/**
 * The request that reports `error` for an invocation to `/error` (or, without a request id, to
 * `/runtime/init/error`): body `{errorType, errorMessage, stackTrace}`, header
 * `Lambda-Runtime-Function-Error-Type`.
 */
export function errorRequest(requestId: string | undefined, error: unknown): RuntimeApiRequest {
  const diag: Diagnostic = diagnostic(error)
  return {
    method: 'POST',
    path: requestId === undefined ? INIT_ERROR_PATH : invocationPath(requestId, 'error'),
    headers: {
      'content-type': 'application/vnd.aws.lambda.error+json',
      'lambda-runtime-function-error-type': headerSafe(diag.errorType),
    },
    body: safeStringify(diag),
    requestId,
  }
}

/** Options of {@link toRuntimeApiRequest}. */
export interface ToRuntimeApiRequestOptions {
  /** The function's environment, put in every context. Defaults to `functionEnvironment(process.env)`. */
  readonly env?: FunctionEnvironment | undefined
  /** Times each invocation's deadline signal. Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
  /**
   * Whether to set `_X_AMZN_TRACE_ID` in `process.env` per invocation (only safe with no concurrency).
   * Defaults to `false`; `run()` turns it on when its concurrency is 1.
   */
  readonly traceEnv?: boolean | undefined
}

class ToRuntimeApiRequestService extends PassThrough<NextInvocation, RuntimeApiRequest, LambdaEvent<unknown>, unknown> {
  readonly layerName = 'toRuntimeApiRequest'
  readonly #env: FunctionEnvironment
  readonly #clock: Clock
  readonly #traceEnv: boolean

  constructor(inner: Service<LambdaEvent<unknown>, unknown>, options: ToRuntimeApiRequestOptions) {
    super(inner)
    this.#env = options.env ?? functionEnvironment()
    this.#clock = options.clock ?? systemClock
    this.#traceEnv = options.traceEnv ?? false
  }

  protected async handle(
    invocation: NextInvocation,
    next: Next<LambdaEvent<unknown>, unknown>,
  ): Promise<RuntimeApiRequest> {
    let context: InvocationContext
    try {
      context = contextFromRuntimeHeaders(invocation.headers, { env: this.#env, clock: this.#clock })
    } catch (error) {
      const id = invocation.headers['lambda-runtime-aws-request-id']
      if (typeof id === 'string' && id) return errorRequest(id, error)
      throw error
    }
    const { requestId } = context
    if (this.#traceEnv) {
      if (context.xrayTraceId) process.env._X_AMZN_TRACE_ID = context.xrayTraceId
      else delete process.env._X_AMZN_TRACE_ID
    }
    let payload: unknown
    try {
      payload = JSON.parse(Buffer.from(invocation.body).toString('utf8'))
    } catch (cause) {
      context.dispose()
      return errorRequest(requestId, { name: 'Runtime.UnmarshalError', message: `invalid event JSON: ${cause}` })
    }
    let result: unknown
    try {
      result = await next({ payload, context })
    } catch (error) {
      context.dispose()
      return errorRequest(requestId, error)
    }
    if (isStreamingResponse(result)) return streamingRequest(requestId, result, context)
    context.dispose()
    let body: string | undefined
    try {
      body = JSON.stringify(result)
    } catch (cause) {
      return errorRequest(requestId, {
        name: 'Runtime.SerializationError',
        message: `cannot serialize the result as JSON: ${diagnostic(cause).errorMessage}`,
      })
    }
    return {
      method: 'POST',
      path: invocationPath(requestId, 'response'),
      headers: { 'content-type': 'application/json' },
      body: body ?? 'null',
      requestId,
    }
  }
}

async function streamingRequest(
  requestId: string,
  res: StreamingResponse,
  context: InvocationContext,
): Promise<RuntimeApiRequest> {
  const chunks = byteChunks(res.body)
  let first: IteratorResult<Uint8Array, void>
  try {
    first = await chunks.next()
  } catch (error) {
    context.dispose()
    return errorRequest(requestId, error)
  }
  let failure: Diagnostic | undefined
  async function* body(): AsyncGenerator<Uint8Array, void, undefined> {
    try {
      if (res.prelude !== undefined) {
        yield typeof res.prelude === 'string' ? new TextEncoder().encode(res.prelude) : res.prelude
      }
      if (first.done) return
      yield first.value
      for (;;) {
        const next = await chunks.next()
        if (next.done) return
        yield next.value
      }
    } catch (error) {
      failure = diagnostic(error)
    } finally {
      context.dispose()
      // Stopped early (the connection failed): let the source release its resources.
      await chunks.return(undefined).catch(() => {})
    }
  }
  return {
    method: 'POST',
    path: invocationPath(requestId, 'response'),
    headers: {
      'content-type': res.contentType,
      'lambda-runtime-function-response-mode': 'streaming',
      'transfer-encoding': 'chunked',
      trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
      connection: 'close',
    },
    body: body(),
    trailers: () =>
      failure && {
        'Lambda-Runtime-Function-Error-Type': headerSafe(failure.errorType),
        'Lambda-Runtime-Function-Error-Body': Buffer.from(safeStringify(failure)).toString('base64'),
      },
    requestId,
  }
}

/**
 * lambda_runtime's `RuntimeApiResponseService` (named here for what it produces): turns a service of {@link LambdaEvent}s into a service
 * from raw `/next` invocations to the Runtime API request that answers them — builds the context,
 * parses the event JSON, then POSTs the result to `/response` (JSON, or streamed for a
 * {@link StreamingResponse}) or the failure to `/error`. It never rejects for a handler failure.
 *
 * @example
 * ```ts
 * const req = await oneshot(toRuntimeApiRequest()(svc), { status: 200, headers, body })
 * ```
 */
export function toRuntimeApiRequest(
  options: ToRuntimeApiRequestOptions = {},
): (inner: Service<LambdaEvent<unknown>, unknown>) => Service<NextInvocation, RuntimeApiRequest> {
  return function toRuntimeApiRequest(inner) {
    return new ToRuntimeApiRequestService(inner, options)
  }
}

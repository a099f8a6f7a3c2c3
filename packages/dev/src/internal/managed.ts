/**
 * The managed Node.js runtime's side of a handler module: loading `module.export`, the `context`
 * object, calling promise and callback handlers, and the error document. Shared by `turret invoke`
 * (in process) and the runtime bootstrap that `turret dev` runs as a child process.
 */
import { isAbsolute, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

/** A managed-runtime handler: `(event, context[, callback])`. */
export type ManagedHandler = (
  event: unknown,
  context: ManagedContext,
  callback?: (error?: unknown, result?: unknown) => void,
) => unknown

/** The managed Node.js runtime's `context` object. */
export interface ManagedContext {
  callbackWaitsForEmptyEventLoop: boolean
  readonly functionName: string
  readonly functionVersion: string
  readonly invokedFunctionArn: string
  readonly memoryLimitInMB: string
  readonly awsRequestId: string
  readonly logGroupName: string
  readonly logStreamName: string
  readonly identity?: unknown
  readonly clientContext?: unknown
  readonly tenantId?: string
  getRemainingTimeInMillis(): number
  done(error?: unknown, result?: unknown): void
  fail(error: unknown): void
  succeed(result: unknown): void
}

/** The error document a runtime reports (`{ errorType, errorMessage, trace }`, as aws-lambda-ric sends it). */
export interface ErrorDocument {
  readonly errorType: string
  readonly errorMessage: string
  readonly trace: string[]
}

/** A failure with a Lambda error type (`Runtime.ImportModuleError`, `Runtime.HandlerNotFound`, …). */
export class RuntimeFailure extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = errorType
  }
}

/** The error document of anything thrown. */
export function errorDocument(error: unknown): ErrorDocument {
  if (error instanceof Error) {
    const errorType = error instanceof RuntimeFailure ? error.errorType : error.name || 'Error'
    return { errorType, errorMessage: error.message, trace: (error.stack ?? '').split('\n') }
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] }
}

/** Imports a handler module (ESM or CJS) and returns its export (`handler` by default; `a.b` for nested). */
export async function loadHandler(modulePath: string, exportName = 'handler'): Promise<ManagedHandler> {
  const file = isAbsolute(modulePath) ? modulePath : resolve(modulePath)
  let mod: Record<string, unknown>
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } catch (error) {
    // As aws-lambda-ric: a missing module or a syntax error get a Runtime.* type; other init errors stay as thrown.
    const code = (error as { code?: string }).code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new RuntimeFailure('Runtime.ImportModuleError', (error as Error).message, { cause: error })
    if (error instanceof SyntaxError)
      throw new RuntimeFailure('Runtime.UserCodeSyntaxError', error.message, { cause: error })
    throw error
  }
  const lookup = (root: unknown): unknown =>
    exportName
      .split('.')
      .reduce<unknown>((obj, key) => (obj == null ? undefined : (obj as Record<string, unknown>)[key]), root)
  let fn = lookup(mod)
  // A CJS module imported from ESM: its `module.exports` is the default export.
  if (fn === undefined && mod.default !== undefined && exportName !== 'default') fn = lookup(mod.default)
  if (typeof fn !== 'function') {
    throw new RuntimeFailure(
      'Runtime.HandlerNotFound',
      `${modulePath}: export '${exportName}' is ${fn === undefined ? 'undefined' : `not a function (${typeof fn})`}`,
    )
  }
  return fn as ManagedHandler
}

/** Where the context's values come from. */
export interface ContextSource {
  readonly requestId: string
  readonly deadlineMs: number
  readonly invokedFunctionArn: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly identity?: unknown
  readonly clientContext?: unknown
  readonly tenantId?: string | undefined
}

/** Builds the managed runtime's `context` object; `complete` receives `done`/`succeed`/`fail`. */
export function managedContext(
  source: ContextSource,
  complete: (error: unknown, result?: unknown) => void = () => {},
): ManagedContext {
  const { env } = source
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    invokedFunctionArn: source.invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    awsRequestId: source.requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    ...(source.identity !== undefined ? { identity: source.identity } : {}),
    ...(source.clientContext !== undefined ? { clientContext: source.clientContext } : {}),
    ...(source.tenantId !== undefined ? { tenantId: source.tenantId } : {}),
    getRemainingTimeInMillis: () => Math.max(0, source.deadlineMs - Date.now()),
    done: (error, result) => complete(error ?? null, result),
    fail: (error) => complete(error ?? new Error('failed')),
    succeed: (result) => complete(null, result),
  }
}

/**
 * Calls a handler the way the managed runtime does: a returned promise settles the invocation; a
 * handler that takes a callback (or calls `context.done/succeed/fail`) settles it through that.
 */
export function callHandler(handler: ManagedHandler, event: unknown, source: ContextSource): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    let settled = false
    const complete = (error: unknown, result?: unknown) => {
      if (settled) return
      settled = true
      if (error !== null && error !== undefined) reject(error)
      else resolvePromise(result)
    }
    const context = managedContext(source, complete)
    try {
      const returned = handler(event, context, complete)
      if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') {
        ;(returned as PromiseLike<unknown>).then(
          (value) => complete(null, value),
          (error: unknown) => complete(error ?? new Error('rejected')),
        )
      } else if (handler.length < 3 && !settled) {
        complete(null, returned)
      }
    } catch (error) {
      complete(error)
    }
  })
}

/** The symbol `awslambda.streamifyResponse` marks a streaming handler with (value `'response'`). */
export const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming')
/** The content type of a streamed HTTP integration response (JSON prelude, 8 NUL bytes, body). */
export const HTTP_INTEGRATION = 'application/vnd.awslambda.http-integration-response'

/** A response stream `awslambda.HttpResponseStream.from` can put a prelude on. */
export interface PreludeTarget {
  contentType: string
  prelude: Buffer | undefined
}

/** A handler marked by `awslambda.streamifyResponse`. */
export type StreamingHandler = ((event: unknown, stream: never, context: ManagedContext) => unknown) & {
  [STREAMING]?: string
  highWaterMark?: number
}

/** Whether a handler was marked by `awslambda.streamifyResponse`. */
export function isStreamingHandler(fn: unknown): fn is StreamingHandler {
  return typeof fn === 'function' && (fn as StreamingHandler)[STREAMING] === 'response'
}

/**
 * Defines the managed runtime's `awslambda` global (`streamifyResponse`, `HttpResponseStream.from`) unless
 * one exists, so handler modules written for Lambda's Node.js runtime load.
 */
export function installAwsLambdaGlobal(): void {
  const g = globalThis as Record<string, unknown>
  if (g.awslambda !== undefined) return
  g.awslambda = {
    streamifyResponse(handler: StreamingHandler, options?: { highWaterMark?: number }) {
      handler[STREAMING] = 'response'
      if (options?.highWaterMark) handler.highWaterMark = options.highWaterMark
      return handler
    },
    HttpResponseStream: {
      from(stream: PreludeTarget, prelude: unknown) {
        stream.contentType = HTTP_INTEGRATION
        stream.prelude = Buffer.concat([Buffer.from(JSON.stringify(prelude)), Buffer.alloc(8)])
        return stream
      },
    },
  }
}

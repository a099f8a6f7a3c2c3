/**
 * `turret invoke`: runs a handler module once, in this process, with a managed-runtime context.
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { basename, extname, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { isTextContentType, streamedToAnswer } from '../internal/events'
import {
  type ContextSource,
  callHandler,
  type ErrorDocument,
  errorDocument,
  HTTP_INTEGRATION,
  installAwsLambdaGlobal,
  isStreamingHandler,
  loadHandler,
  type ManagedHandler,
  managedContext,
  type PreludeTarget,
} from '../internal/managed'

/** Collects what a streaming handler writes. */
class CollectingStream extends Writable implements PreludeTarget {
  contentType = 'application/octet-stream'
  prelude: Buffer | undefined
  readonly chunks: Buffer[] = []
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk)
    callback()
  }
}

/**
 * Runs a handler marked by `awslambda.streamifyResponse` and returns what a buffered invocation of it
 * returns: an HTTP result (`statusCode`, `headers`, `cookies`, `body`) for an HTTP integration stream, else
 * the streamed text.
 */
async function callStreaming(handler: ManagedHandler, event: unknown, source: ContextSource): Promise<unknown> {
  const stream = new CollectingStream()
  await (handler as unknown as (e: unknown, s: Writable, c: unknown) => unknown)(event, stream, managedContext(source))
  if (!stream.writableFinished) await new Promise<void>((r) => stream.end(r))
  const body = Buffer.concat([stream.prelude ?? Buffer.alloc(0), ...stream.chunks])
  if (stream.contentType !== HTTP_INTEGRATION) return body.toString('utf8')
  const answer = streamedToAnswer(body)
  if (!answer) return body.toString('utf8')
  const { 'set-cookie': setCookie, ...rest } = answer.headers
  const cookies = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]
  const contentType = rest['content-type']
  const text = isTextContentType(Array.isArray(contentType) ? contentType[0] : contentType)
  return {
    statusCode: answer.status,
    headers: rest,
    cookies,
    body: answer.body.toString(text ? 'utf8' : 'base64'),
    isBase64Encoded: !text,
  }
}

/** Options of {@link invoke}. */
export interface InvokeModuleOptions {
  /** The handler's export name (`a.b` for nested). Defaults to `'handler'`. */
  readonly exportName?: string | undefined
  /** The function timeout in milliseconds; past it the result is a `Sandbox.Timedout` error. Defaults to `3000`. */
  readonly timeoutMs?: number | undefined
  /** The function name (context and AWS_LAMBDA_FUNCTION_NAME). Defaults to the module's file name without extension. */
  readonly functionName?: string | undefined
  /** The memory size in MB (context.memoryLimitInMB). Defaults to `128`. */
  readonly memory?: number | undefined
  /** The region used in the invoked ARN. Defaults to `'us-east-1'`. */
  readonly region?: string | undefined
  /** The request id. Defaults to a fresh UUID. */
  readonly requestId?: string | undefined
  /** The client context passed as `context.clientContext`. Defaults to none. */
  readonly clientContext?: unknown
  /** The Cognito identity passed as `context.identity`. Defaults to none. */
  readonly identity?: unknown
  /** Extra environment variables set while the module loads and runs (restored afterwards). Defaults to none. */
  readonly env?: Readonly<Record<string, string>> | undefined
}

/** The outcome of {@link invoke}: the handler's result, or its error document. */
export type InvokeModuleResult =
  | { readonly ok: true; readonly result: unknown; readonly requestId: string; readonly durationMs: number }
  | { readonly ok: false; readonly error: ErrorDocument; readonly requestId: string; readonly durationMs: number }

export type { ErrorDocument } from '../internal/managed'

/**
 * Loads a handler module (ESM or CJS; TypeScript when tsx is registered, as the `turret` command
 * does) and runs one invocation with a realistic context: request id, deadline, ARN, environment.
 *
 * @example
 * ```ts
 * const out = await invoke('./src/handler.ts', { name: 'ada' })
 * if (out.ok) console.log(out.result)
 * ```
 */
export async function invoke(
  modulePath: string,
  event: unknown,
  options: InvokeModuleOptions = {},
): Promise<InvokeModuleResult> {
  const file = resolve(modulePath)
  const functionName = options.functionName ?? basename(file, extname(file)).replace(/[^A-Za-z0-9-_]/g, '-')
  const timeoutMs = options.timeoutMs ?? 3_000
  const region = options.region ?? 'us-east-1'
  const requestId = options.requestId ?? randomUUID()
  const env: Record<string, string> = {
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memory ?? 128),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
    AWS_REGION: region,
    _X_AMZN_TRACE_ID: `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`,
    ...options.env,
  }
  const saved = new Map<string, string | undefined>()
  for (const [key, value] of Object.entries(env)) {
    saved.set(key, process.env[key])
    process.env[key] = value
  }
  let started = performance.now()
  const done = (outcome: { ok: true; result: unknown } | { ok: false; error: ErrorDocument }): InvokeModuleResult => ({
    ...outcome,
    requestId,
    durationMs: performance.now() - started,
  })
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    installAwsLambdaGlobal()
    const handler = await loadHandler(file, options.exportName ?? 'handler')
    started = performance.now()
    const deadlineMs = Date.now() + timeoutMs
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const seconds = (timeoutMs / 1000).toFixed(2)
        reject(
          Object.assign(new Error(`RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`), {
            name: 'Sandbox.Timedout',
          }),
        )
      }, timeoutMs)
    })
    const source: ContextSource = {
      requestId,
      deadlineMs,
      invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
      env: process.env,
      clientContext: options.clientContext,
      identity: options.identity,
    }
    const result = await Promise.race([
      isStreamingHandler(handler) ? callStreaming(handler, event, source) : callHandler(handler, event, source),
      timedOut,
    ])
    return done({ ok: true, result })
  } catch (error) {
    const doc = errorDocument(error)
    return done({ ok: false, error: doc.errorType === 'Sandbox.Timedout' ? { ...doc, trace: [] } : doc })
  } finally {
    clearTimeout(timer)
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

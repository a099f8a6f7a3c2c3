/**
 * `turret invoke`: runs a handler module once, in this process, with a managed-runtime context.
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { basename, extname, resolve } from 'node:path'
import { type Clock, oneshot, systemClock } from '@turret/core'
import { functionEnvironment } from '@turret/lambda'
import {
  contextFromRuntimeHeaders,
  fromManagedHandler,
  HTTP_INTEGRATION_CONTENT_TYPE,
  installManagedAwsLambda,
  isStreamingResponse,
  isTextContentType,
} from '@turret/lambda/internal'
import { decodeStreamedHttpResult } from '@turret/lambda/testing'
import { type ErrorDocument, errorDocument, loadHandler } from '../internal/load'

/**
 * What a buffered invocation of a streaming handler returns: an HTTP result (`statusCode`, `headers`, `cookies`,
 * `body`) for an HTTP integration stream, else the streamed text.
 */
async function collectStreamed(
  contentType: string,
  prelude: Uint8Array | string | undefined,
  body: AsyncIterable<Uint8Array>,
): Promise<unknown> {
  const chunks: Uint8Array[] =
    prelude === undefined ? [] : [typeof prelude === 'string' ? Buffer.from(prelude) : prelude]
  for await (const chunk of body) chunks.push(chunk)
  const bytes = Buffer.concat(chunks)
  if (contentType !== HTTP_INTEGRATION_CONTENT_TYPE) return bytes.toString('utf8')
  const answer = decodeStreamedHttpResult(bytes)
  if (!answer) return bytes.toString('utf8')
  const headers: Record<string, string> = {}
  const cookies: string[] = []
  for (const [name, value] of answer.headers) {
    if (name === 'set-cookie') cookies.push(value)
    else headers[name] = name in headers ? `${headers[name]}, ${value}` : value
  }
  const text = isTextContentType(headers['content-type'] ?? null, headers['content-encoding'] ?? null) ?? true
  return {
    statusCode: answer.status,
    headers,
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
  /** Times the function timeout and the duration. Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
}

/** The outcome of {@link invoke}: the handler's result, or its error document. */
export type InvokeModuleResult =
  | { readonly ok: true; readonly result: unknown; readonly requestId: string; readonly durationMs: number }
  | { readonly ok: false; readonly error: ErrorDocument; readonly requestId: string; readonly durationMs: number }

export type { ErrorDocument } from '../internal/load'

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
  const clock = options.clock ?? systemClock
  // The Runtime API's times are epoch milliseconds: wall time read once, then moved on by the clock.
  const epoch = Date.now()
  const clockStart = clock.now()
  const wallNow = () => epoch + (clock.now() - clockStart)
  const env: Record<string, string> = {
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memory ?? 128),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${new Date(epoch).toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
    AWS_REGION: region,
    _X_AMZN_TRACE_ID: `Root=1-${Math.floor(epoch / 1000).toString(16)}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`,
    ...options.env,
  }
  const saved = new Map<string, string | undefined>()
  for (const [key, value] of Object.entries(env)) {
    saved.set(key, process.env[key])
    process.env[key] = value
  }
  let started = clock.now()
  const done = (outcome: { ok: true; result: unknown } | { ok: false; error: ErrorDocument }): InvokeModuleResult => ({
    ...outcome,
    requestId,
    durationMs: clock.now() - started,
  })
  let timer: ReturnType<Clock['setTimeout']> | undefined
  try {
    installManagedAwsLambda()
    const service = fromManagedHandler(await loadHandler(file, options.exportName ?? 'handler'))
    started = clock.now()
    const timedOut = new Promise<never>((_, reject) => {
      timer = clock.setTimeout(() => {
        const seconds = (timeoutMs / 1000).toFixed(2)
        reject(
          Object.assign(new Error(`RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`), {
            name: 'Sandbox.Timedout',
          }),
        )
      }, timeoutMs)
    })
    const headers: Record<string, string> = {
      'lambda-runtime-aws-request-id': requestId,
      'lambda-runtime-deadline-ms': String(Math.round(wallNow() + timeoutMs)),
      'lambda-runtime-invoked-function-arn': `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
      'lambda-runtime-trace-id': env._X_AMZN_TRACE_ID as string,
    }
    if (options.clientContext !== undefined)
      headers['lambda-runtime-client-context'] = JSON.stringify(options.clientContext)
    if (options.identity !== undefined) headers['lambda-runtime-cognito-identity'] = JSON.stringify(options.identity)
    const context = contextFromRuntimeHeaders(headers, { env: functionEnvironment(process.env), clock })
    const run = async () => {
      try {
        const result = await oneshot(service, { payload: event, context })
        return isStreamingResponse(result)
          ? await collectStreamed(result.contentType, result.prelude, result.body as AsyncIterable<Uint8Array>)
          : result
      } finally {
        context.dispose()
      }
    }
    const result = await Promise.race([run(), timedOut])
    return done({ ok: true, result })
  } catch (error) {
    const doc = errorDocument(error)
    return done({ ok: false, error: doc.errorType === 'Sandbox.Timedout' ? { ...doc, trace: [] } : doc })
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer)
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

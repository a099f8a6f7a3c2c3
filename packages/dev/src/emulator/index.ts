/**
 * A local Lambda environment: the Runtime API (for turret's `run()`, aws-lambda-ric or any other
 * runtime) and Lambda's Invoke API (for `@aws-sdk/client-lambda` and the AWS CLI).
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Readable } from 'node:stream'
import { type Clock, ClosedError, systemClock, type TimerHandle } from '@turret/core'
import { apiError, BodyTooLarge, header, readBody, runtimeError } from './http'
import { RuntimeProcess } from './process'

/** Lambda's limit on a synchronous invocation's request and buffered response: 6 MB. */
export const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024
/** Lambda's limit on an asynchronous (`Event`) invocation's payload: 1 MB. */
export const MAX_ASYNC_PAYLOAD = 1024 * 1024
/** Lambda's limit on a streamed response: 200 MB. */
export const MAX_STREAMED_RESPONSE = 200 * 1024 * 1024
/** What RAPID accepts on `/response` before answering 413 (6 MB plus a little slack). */
const RESPONSE_LIMIT = MAX_SYNC_PAYLOAD + 100

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** The function's name (Invoke API path, ARN, AWS_LAMBDA_FUNCTION_NAME). Defaults to `'function'`. */
  readonly functionName?: string | undefined
  /** The function timeout, in milliseconds; an invocation still running then fails with `Sandbox.Timedout`. Defaults to `3000` (Lambda's default). */
  readonly timeoutMs?: number | undefined
  /** The function's memory size in MB (AWS_LAMBDA_FUNCTION_MEMORY_SIZE). Defaults to `128`. */
  readonly memory?: number | undefined
  /** Extra environment variables for the runtime process (they override the Lambda ones). Defaults to none. */
  readonly env?: Readonly<Record<string, string>> | undefined
  /** The port to listen on. Defaults to `0` (any free port). */
  readonly port?: number | undefined
  /** The address to listen on. Defaults to `'127.0.0.1'`. */
  readonly host?: string | undefined
  /** The region used in ARNs and AWS_REGION. Defaults to `'us-east-1'`. */
  readonly region?: string | undefined
  /** The account id used in ARNs. Defaults to `'123456789012'`. */
  readonly accountId?: string | undefined
  /**
   * The runtime to run as a child process, `[command, ...args]`, started with the Lambda environment
   * (AWS_LAMBDA_RUNTIME_API and friends) and restarted after it exits or times out. Defaults to
   * none: a runtime attaches itself to `runtimeApi`.
   */
  readonly command?: readonly string[] | undefined
  /** The working directory of the runtime process. Defaults to the current directory. */
  readonly cwd?: string | undefined
  /** Receives the runtime process's output. Defaults to writing it to this process's stdout/stderr. */
  readonly onOutput?: ((text: string, stream: 'stdout' | 'stderr') => void) | undefined
  /**
   * How long a managed runtime process may take from start to its first `/next` (Lambda's init phase);
   * past it the process is killed and the invocation waiting for it fails with `Sandbox.Timedout`.
   * Defaults to `10000`.
   */
  readonly initTimeoutMs?: number | undefined
  /** The clock that runs function and init timeouts. Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
}

/** Options of one {@link Emulator.invoke}. */
export interface InvokeOptions {
  /** The client context, sent to the runtime as JSON in Lambda-Runtime-Client-Context. Defaults to none. */
  readonly clientContext?: unknown
  /** The Cognito identity, sent as JSON in Lambda-Runtime-Cognito-Identity. Defaults to none. */
  readonly identity?: unknown
  /** The X-Ray trace header. Defaults to a fresh `Root=1-…;Parent=…;Sampled=0`. */
  readonly traceId?: string | undefined
  /** The qualifier (version or alias) appended to the invoked ARN. Defaults to none. */
  readonly qualifier?: string | undefined
  /** The tenant id (Lambda-Runtime-Aws-Tenant-Id). Defaults to none. */
  readonly tenantId?: string | undefined
  /**
   * Receives a streamed response's body as it arrives (with the Content-Type the runtime posted); the result
   * then has an empty payload, and an `error` when the stream ended with error trailers. Defaults to none
   * (streamed responses are buffered into the result's payload).
   */
  readonly onStream?: ((body: Readable, contentType: string | undefined) => void) | undefined
}

/** The error document of a failed invocation (`{ errorType, errorMessage, … }`). */
export interface FunctionErrorPayload {
  /** The error's type, e.g. `Error` or `Sandbox.Timedout`. */
  readonly errorType: string
  /** The error's message. */
  readonly errorMessage: string
  /** Other fields the runtime sent (`trace`, `stackTrace`, …). */
  readonly [field: string]: unknown
}

/** The outcome of one invocation, as the Invoke API reports it. */
export interface InvokeResult {
  /** The invocation's request id. */
  readonly requestId: string
  /** The response bytes; the error document when the function failed. */
  readonly payload: Buffer
  /** The Content-Type the runtime posted the response with. */
  readonly contentType: string | undefined
  /** `'Unhandled'` when the function failed (X-Amz-Function-Error), else `undefined`. */
  readonly functionError: 'Unhandled' | undefined
  /** The parsed error document when the function failed. */
  readonly error: FunctionErrorPayload | undefined
  /** Whether the runtime streamed the response. */
  readonly streamed: boolean
  /** Milliseconds from dispatch to the runtime until the response. */
  readonly durationMs: number
  /** The runtime's output during the invocation (managed runtime only), with START/END/REPORT lines. */
  readonly logs: string
  /** The payload as UTF-8 text. */
  text(): string
  /** The payload parsed as JSON. */
  json(): unknown
}

/** A running emulator. */
export interface Emulator {
  /** The base URL, e.g. `http://127.0.0.1:9001` (Invoke API endpoint for the AWS SDK). */
  readonly url: string
  /** The AWS_LAMBDA_RUNTIME_API value, e.g. `127.0.0.1:9001`. */
  readonly runtimeApi: string
  /** The function's name. */
  readonly functionName: string
  /** The environment a runtime process gets (AWS_LAMBDA_RUNTIME_API, AWS_LAMBDA_FUNCTION_NAME, …). */
  readonly env: Readonly<Record<string, string>>
  /** Invokes the function synchronously (RequestResponse) and resolves with what the Invoke API would return. */
  invoke(event: unknown, options?: InvokeOptions): Promise<InvokeResult>
  /** Kills the managed runtime process (if any) and starts a fresh one; in-flight invocations fail. */
  restart(): Promise<void>
  /** Stops the server and the runtime process; pending invocations reject with `ClosedError`. */
  close(): Promise<void>
}

interface Invocation {
  readonly id: string
  readonly payload: Buffer
  readonly arn: string
  readonly headers: Record<string, string>
  state: 'queued' | 'running' | 'responding' | 'done'
  timer: TimerHandle | undefined
  started: number
  logStart: number
  upload: IncomingMessage | undefined
  readonly onStream: InvokeOptions['onStream']
  readonly resolve: (result: InvokeResult) => void
  readonly reject: (error: Error) => void
}

interface Outcome {
  readonly payload: Buffer
  readonly contentType?: string | undefined
  readonly error?: FunctionErrorPayload | undefined
  readonly streamed?: boolean | undefined
}

const RUNTIME = '/2018-06-01/runtime'
const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/
const RUNTIME_INVOCATION = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/
const LOG_LIMIT = 256 * 1024

/** A fresh X-Ray trace header. */
/** `decodeURIComponent`, or `undefined` for a malformed %-escape (a 4xx for the client, not a 500). */
function decodePath(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

function traceHeader(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16)
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`
}

function errorDocument(errorType: string, errorMessage: string): Outcome {
  const error = { errorType, errorMessage }
  return { payload: Buffer.from(JSON.stringify(error)), contentType: 'application/json', error }
}

/** Parses a runtime's error body; falls back to the error-type header, as Lambda does. */
function parseError(body: Buffer, headerType: string | undefined): Outcome {
  try {
    const doc = JSON.parse(body.toString('utf8')) as Record<string, unknown>
    if (doc && typeof doc === 'object') {
      const errorType = typeof doc.errorType === 'string' ? doc.errorType : (headerType ?? 'Unhandled')
      const errorMessage = typeof doc.errorMessage === 'string' ? doc.errorMessage : ''
      return { payload: body, contentType: 'application/json', error: { ...doc, errorType, errorMessage } }
    }
  } catch {}
  return errorDocument(headerType ?? 'Unhandled', body.toString('utf8'))
}

/**
 * Starts an emulated Lambda environment on 127.0.0.1: the Runtime API for a runtime process and
 * the Invoke API for clients.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ functionName: 'hello', command: ['node', 'bootstrap.js'] })
 * const res = await emu.invoke({ name: 'world' })
 * res.json() // the handler's result
 * await emu.close()
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const functionName = options.functionName ?? 'function'
  const timeoutMs = options.timeoutMs ?? 3_000
  const memory = options.memory ?? 128
  const region = options.region ?? 'us-east-1'
  const accountId = options.accountId ?? '123456789012'
  const clock = options.clock ?? systemClock
  const functionArn = `arn:aws:lambda:${region}:${accountId}:function:${functionName}`
  const onOutput =
    options.onOutput ??
    ((text: string, stream: 'stdout' | 'stderr') => (stream === 'stdout' ? process.stdout : process.stderr).write(text))

  const queue: Invocation[] = []
  const waiting: ServerResponse[] = []
  const active = new Map<string, Invocation>()
  const finished = new Map<string, 'done' | 'timeout'>()
  let pendingInitError: Outcome | undefined
  let polled = false
  let initErrorReported = false
  let closed = false
  let log = ''
  let logBase = 0
  let runtime: RuntimeProcess | undefined
  let initTimer: TimerHandle | undefined
  const initTimeoutMs = options.initTimeoutMs ?? 10_000

  function appendLog(text: string): void {
    log += text
    if (log.length > LOG_LIMIT) {
      const drop = log.length - LOG_LIMIT / 2
      log = log.slice(drop)
      logBase += drop
    }
  }

  function remember(id: string, how: 'done' | 'timeout'): void {
    finished.set(id, how)
    if (finished.size > 1000) finished.delete(finished.keys().next().value as string)
  }

  /** Whether an invocation is over (a check made after an await: the state may have moved on). */
  function isDone(inv: Invocation): boolean {
    return inv.state === 'done'
  }

  function complete(inv: Invocation, outcome: Outcome): void {
    if (inv.state === 'done') return
    const wasRunning = inv.state !== 'queued'
    inv.state = 'done'
    if (inv.timer !== undefined) clock.clearTimeout(inv.timer)
    active.delete(inv.id)
    const index = queue.indexOf(inv)
    if (index >= 0) queue.splice(index, 1)
    if (!finished.has(inv.id)) remember(inv.id, 'done')
    const durationMs = wasRunning ? Date.now() - inv.started : 0
    let logs = ''
    if (wasRunning) {
      const billed = Math.max(1, Math.ceil(durationMs))
      appendLog(
        `END RequestId: ${inv.id}\nREPORT RequestId: ${inv.id}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${memory} MB\n`,
      )
      logs = log.slice(Math.max(0, inv.logStart - logBase))
    }
    const payload = outcome.payload
    inv.resolve({
      requestId: inv.id,
      payload,
      contentType: outcome.contentType,
      functionError: outcome.error ? 'Unhandled' : undefined,
      error: outcome.error,
      streamed: outcome.streamed ?? false,
      durationMs,
      logs,
      text: () => payload.toString('utf8'),
      json: () => JSON.parse(payload.toString('utf8')),
    })
  }

  function dispatch(inv: Invocation, res: ServerResponse): void {
    inv.state = 'running'
    inv.started = Date.now()
    active.set(inv.id, inv)
    inv.logStart = logBase + log.length
    appendLog(`START RequestId: ${inv.id} Version: $LATEST\n`)
    inv.timer = clock.setTimeout(() => timedOut(inv), timeoutMs)
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': inv.payload.length,
      'Lambda-Runtime-Aws-Request-Id': inv.id,
      'Lambda-Runtime-Deadline-Ms': String(inv.started + timeoutMs),
      'Lambda-Runtime-Invoked-Function-Arn': inv.arn,
      ...inv.headers,
    })
    res.end(inv.payload)
  }

  function pump(): void {
    if (pendingInitError && queue.length > 0) {
      const first = queue[0] as Invocation
      const outcome = pendingInitError
      pendingInitError = undefined
      complete(first, outcome)
    }
    while (queue.length > 0 && waiting.length > 0) {
      const res = waiting.shift() as ServerResponse
      if (res.destroyed || res.writableEnded) continue
      dispatch(queue.shift() as Invocation, res)
    }
    if (queue.length > 0 && runtime && !runtime.running && !closed) startRuntime()
    armInitTimer()
  }

  function timedOut(inv: Invocation): void {
    if (inv.state === 'done') return
    inv.timer = undefined
    remember(inv.id, 'timeout')
    inv.upload?.destroy()
    const seconds = (timeoutMs / 1000).toFixed(2)
    complete(
      inv,
      errorDocument('Sandbox.Timedout', `RequestId: ${inv.id} Error: Task timed out after ${seconds} seconds`),
    )
    // Lambda tears the environment down after a timeout: a managed runtime is killed and restarted.
    if (runtime?.running) void stopRuntime('Runtime killed after a timeout').then(pump)
  }

  function enqueue(payload: Buffer, invokeOptions: InvokeOptions = {}): Promise<InvokeResult> {
    if (closed) return Promise.reject(new ClosedError('emulator closed'))
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {
        'Lambda-Runtime-Trace-Id': invokeOptions.traceId ?? traceHeader(),
      }
      if (invokeOptions.clientContext !== undefined)
        headers['Lambda-Runtime-Client-Context'] = JSON.stringify(invokeOptions.clientContext)
      if (invokeOptions.identity !== undefined)
        headers['Lambda-Runtime-Cognito-Identity'] = JSON.stringify(invokeOptions.identity)
      if (invokeOptions.tenantId !== undefined) headers['Lambda-Runtime-Aws-Tenant-Id'] = invokeOptions.tenantId
      const arn = invokeOptions.qualifier ? `${functionArn}:${invokeOptions.qualifier}` : functionArn
      queue.push({
        id: randomUUID(),
        payload,
        arn,
        headers,
        state: 'queued',
        timer: undefined,
        started: 0,
        logStart: 0,
        upload: undefined,
        onStream: invokeOptions.onStream,
        resolve,
        reject,
      })
      pump()
    })
  }

  // ---- Runtime API -------------------------------------------------------------------------------

  function next(req: IncomingMessage, res: ServerResponse): void {
    polled = true
    if (initTimer !== undefined) clock.clearTimeout(initTimer)
    initTimer = undefined
    req.resume()
    waiting.push(res)
    res.on('close', () => {
      const index = waiting.indexOf(res)
      if (index >= 0) waiting.splice(index, 1)
    })
    pump()
  }

  function unknownId(res: ServerResponse, id: string): void {
    const how = finished.get(id)
    if (how === 'timeout') runtimeError(res, 410, 'InvokeTimeout', 'Invoke timeout')
    else if (how === 'done' || active.get(id)?.state === 'responding') {
      // A second /response or /error for an invocation already answered: Lambda's 403.
      runtimeError(
        res,
        403,
        'InvalidStateTransition',
        'State transition from Ready to InvocationResponse failed for runtime. Error: State transition is not allowed',
      )
    } else runtimeError(res, 400, 'InvalidRequestID', 'Invalid request ID')
  }

  async function respond(req: IncomingMessage, res: ServerResponse, inv: Invocation): Promise<void> {
    const mode = header(req, 'lambda-runtime-function-response-mode')
    if (mode !== undefined && mode.toLowerCase() !== 'streaming') {
      req.resume()
      return runtimeError(res, 400, 'InvalidFunctionResponseMode', 'Invalid function response mode')
    }
    const streamed = mode !== undefined
    inv.state = 'responding'
    inv.upload = req
    let body: Buffer
    try {
      body =
        streamed && inv.onStream
          ? await passThrough(req, inv.onStream)
          : await readBody(req, streamed ? MAX_STREAMED_RESPONSE : RESPONSE_LIMIT)
    } catch (error) {
      inv.upload = undefined
      if (error instanceof BodyTooLarge) {
        const limit = streamed ? MAX_STREAMED_RESPONSE : RESPONSE_LIMIT
        const message = `Response payload size exceeded maximum allowed payload size (${limit} bytes).`
        res.setHeader('Connection', 'close')
        runtimeError(res, 413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${limit} bytes).`)
        return complete(inv, errorDocument('Function.ResponseSizeTooLarge', message))
      }
      if (!isDone(inv)) complete(inv, errorDocument('Runtime.TruncatedResponse', 'response was truncated'))
      return
    }
    inv.upload = undefined
    if (isDone(inv)) return unknownId(res, inv.id)
    const errorType = req.trailers['lambda-runtime-function-error-type']
    if (errorType) {
      const encoded = req.trailers['lambda-runtime-function-error-body']
      const decoded = encoded ? Buffer.from(encoded, 'base64') : Buffer.alloc(0)
      const outcome = parseError(decoded, errorType)
      complete(inv, { ...outcome, streamed })
    } else {
      complete(inv, { payload: body, contentType: header(req, 'content-type'), streamed })
    }
    res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}')
  }

  /** Hands a streamed body to the invoker as it arrives; resolves (with no bytes kept) when it ends. */
  function passThrough(req: IncomingMessage, onStream: NonNullable<InvokeOptions['onStream']>): Promise<Buffer> {
    onStream(req, header(req, 'content-type'))
    return new Promise((resolve, reject) => {
      let size = 0
      req.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_STREAMED_RESPONSE) {
          req.destroy()
          reject(new BodyTooLarge(size))
        }
      })
      req.on('end', () => resolve(Buffer.alloc(0)))
      req.on('error', reject)
      req.on('close', () => {
        if (!req.complete) reject(new Error('request aborted'))
      })
    })
  }

  async function fail(req: IncomingMessage, res: ServerResponse, inv: Invocation | undefined): Promise<void> {
    let body: Buffer
    try {
      body = await readBody(req, RESPONSE_LIMIT)
    } catch {
      body = Buffer.alloc(0)
    }
    const outcome = parseError(body, header(req, 'lambda-runtime-function-error-type'))
    if (inv) {
      if (isDone(inv)) return unknownId(res, inv.id)
      complete(inv, outcome)
    } else {
      // /runtime/init/error: served in response to the first invoke; the environment is torn down.
      initErrorReported = true
      pendingInitError = outcome
      pump()
      // The runtime should exit after reporting; if it lingers, kill that process (not a successor).
      const pid = runtime?.pid
      if (pid !== undefined)
        setTimeout(() => {
          if (runtime?.pid === pid) void stopRuntime('Runtime exited after an init error').then(pump)
        }, 500).unref()
    }
    res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}')
  }

  // ---- Invoke API --------------------------------------------------------------------------------

  async function invokeApi(req: IncomingMessage, res: ServerResponse, rawName: string): Promise<void> {
    const name = decodePath(rawName)
    if (name === undefined) {
      req.resume()
      return apiError(res, 400, 'ValidationException', 'the function name is not valid percent-encoding')
    }
    const [base, nameQualifier] = name.startsWith('arn:')
      ? [name.split(':').slice(0, 7).join(':'), name.split(':')[7]]
      : name.includes(':function:')
        ? [name.split(':').slice(0, 3).join(':'), name.split(':')[3]]
        : name.split(':')
    const matches = base === functionName || base === functionArn || base === `${accountId}:function:${functionName}`
    if (!matches) {
      req.resume()
      return apiError(res, 404, 'ResourceNotFoundException', `Function not found: ${name}`)
    }
    const url = new URL(req.url ?? '/', 'http://localhost')
    const qualifier = url.searchParams.get('Qualifier') ?? nameQualifier
    const type = header(req, 'x-amz-invocation-type') ?? 'RequestResponse'
    if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
      req.resume()
      return apiError(res, 400, 'InvalidParameterValueException', `Unsupported InvocationType: ${type}`)
    }
    const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD
    let body: Buffer
    try {
      body = await readBody(req, limit)
    } catch (error) {
      if (error instanceof BodyTooLarge)
        return apiError(
          res,
          413,
          'RequestTooLargeException',
          `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
        )
      throw error
    }
    if (body.length === 0) body = Buffer.from('{}')
    try {
      JSON.parse(body.toString('utf8'))
    } catch (error) {
      return apiError(
        res,
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${(error as Error).message}`,
      )
    }
    let clientContext: unknown
    const encodedContext = header(req, 'x-amz-client-context')
    if (encodedContext) {
      try {
        clientContext = JSON.parse(Buffer.from(encodedContext, 'base64').toString('utf8'))
      } catch {
        return apiError(res, 400, 'InvalidRequestContentException', 'Client context must be base64-encoded JSON')
      }
    }
    const common = { 'x-amz-executed-version': '$LATEST' }
    if (type === 'DryRun') return void res.writeHead(204, common).end()
    const invokeOptions: InvokeOptions = {
      qualifier: qualifier || undefined,
      clientContext,
      traceId: header(req, 'x-amzn-trace-id'),
    }
    const pending = enqueue(body, invokeOptions)
    if (type === 'Event') {
      pending.catch(() => {})
      return void res.writeHead(202, { ...common, 'content-length': 0 }).end()
    }
    let result: InvokeResult
    try {
      result = await pending
    } catch (error) {
      return apiError(res, 500, 'ServiceException', (error as Error).message)
    }
    const headers: Record<string, string | number> = {
      ...common,
      'content-type': 'application/json',
      'content-length': result.payload.length,
      'x-amzn-requestid': result.requestId,
    }
    if (result.functionError) headers['x-amz-function-error'] = result.functionError
    if (header(req, 'x-amz-log-type') === 'Tail') {
      const logs = Buffer.from(result.logs)
      headers['x-amz-log-result'] = logs.subarray(Math.max(0, logs.length - 4096)).toString('base64')
    }
    res.writeHead(200, headers).end(result.payload)
  }

  // ---- server ------------------------------------------------------------------------------------

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] as string
    const method = req.method ?? 'GET'
    if (path === `${RUNTIME}/invocation/next`) {
      if (method !== 'GET') return runtimeError(res, 405, 'MethodNotAllowed', 'use GET')
      return next(req, res)
    }
    const invocation = RUNTIME_INVOCATION.exec(path)
    if (invocation) {
      if (method !== 'POST') return runtimeError(res, 405, 'MethodNotAllowed', 'use POST')
      const id = decodePath(invocation[1] as string)
      if (id === undefined) {
        req.resume()
        return runtimeError(res, 400, 'InvalidRequestID', 'Invalid request ID')
      }
      const inv = active.get(id)
      if (inv?.state !== 'running') {
        req.resume()
        return unknownId(res, id)
      }
      return invocation[2] === 'response' ? respond(req, res, inv) : fail(req, res, inv)
    }
    if (path === `${RUNTIME}/init/error`) {
      if (method !== 'POST') return runtimeError(res, 405, 'MethodNotAllowed', 'use POST')
      return fail(req, res, undefined)
    }
    const invoke = INVOKE.exec(path)
    if (invoke) {
      if (method !== 'POST') return apiError(res, 405, 'MethodNotAllowed', 'use POST')
      return invokeApi(req, res, invoke[1] as string)
    }
    req.resume()
    return runtimeError(res, 404, 'NotFound', `no route for ${method} ${path}`)
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) runtimeError(res, 500, 'InternalServerError', String(error))
      else res.destroy()
    })
  })
  // /next is a long poll and runtimes keep their connection alive between invocations.
  server.keepAliveTimeout = 0
  server.requestTimeout = 0
  server.headersTimeout = 0
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const runtimeApi = `${host}:${address.port}`

  const env: Record<string, string> = {
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memory),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(Math.ceil(timeoutMs / 1000)),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    ...options.env,
  }

  function exited(code: number | null, signal: NodeJS.Signals | null): void {
    const reason =
      code !== null ? `exit status ${code}` : signal ? `signal: ${signal.toLowerCase()}` : 'failed to start'
    const running = [...active.values()]
    for (const inv of running)
      complete(
        inv,
        errorDocument('Runtime.ExitError', `RequestId: ${inv.id} Error: Runtime exited with error: ${reason}`),
      )
    // A runtime that dies during init fails the invocation that was waiting for it (unless it reported why).
    const first = queue[0]
    if (running.length === 0 && !polled && !initErrorReported && first)
      complete(
        first,
        errorDocument('Runtime.ExitError', `RequestId: ${first.id} Error: Runtime exited with error: ${reason}`),
      )
    if (!closed) pump()
  }

  runtime = options.command
    ? new RuntimeProcess({
        command: options.command,
        cwd: options.cwd,
        env: { ...(process.env as Record<string, string>), ...env },
        onOutput: (text, stream) => {
          appendLog(text)
          onOutput(text, stream)
        },
        onExit: exited,
      })
    : undefined

  function startRuntime(): void {
    if (!runtime) return
    if (initTimer !== undefined) clock.clearTimeout(initTimer)
    initTimer = undefined
    polled = false
    initErrorReported = false
    runtime.start()
  }

  /** Arms the init deadline while an invocation waits for a managed runtime that has not polled yet. */
  function armInitTimer(): void {
    if (!runtime?.running || polled || initTimer !== undefined || queue.length === 0) return
    const pid = runtime.pid
    initTimer = clock.setTimeout(() => {
      initTimer = undefined
      if (polled || runtime?.pid !== pid) return
      const first = queue[0]
      const seconds = (initTimeoutMs / 1000).toFixed(2)
      void runtime?.stop().then(() => {
        if (first && !isDone(first))
          complete(
            first,
            errorDocument('Sandbox.Timedout', `RequestId: ${first.id} Error: Init timed out after ${seconds} seconds`),
          )
        pump()
      })
    }, initTimeoutMs)
  }

  if (runtime) startRuntime()

  async function stopRuntime(reason: string): Promise<void> {
    if (!runtime) return
    await runtime.stop()
    for (const inv of [...active.values()])
      complete(inv, errorDocument('Runtime.ExitError', `RequestId: ${inv.id} Error: ${reason}`))
  }

  return {
    url: `http://${runtimeApi}`,
    runtimeApi,
    functionName,
    env,
    invoke(event, invokeOptions) {
      const payload =
        event instanceof Uint8Array ? Buffer.from(event) : Buffer.from(JSON.stringify(event === undefined ? {} : event))
      return enqueue(payload, invokeOptions)
    },
    async restart() {
      await stopRuntime('Runtime restarted')
      if (!closed) startRuntime()
    },
    async close() {
      if (closed) return
      closed = true
      const error = new ClosedError('emulator closed')
      for (const inv of [...queue, ...active.values()]) {
        if (inv.state === 'done') continue
        inv.state = 'done'
        if (inv.timer !== undefined) clock.clearTimeout(inv.timer)
        inv.reject(error)
      }
      queue.length = 0
      active.clear()
      if (initTimer !== undefined) clock.clearTimeout(initTimer)
      await runtime?.stop()
      for (const res of waiting.splice(0)) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

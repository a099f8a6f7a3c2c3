/**
 * A small managed-Node.js-style runtime: `node bootstrap.js <module> [export]` loads the handler
 * module, then serves invocations from the Runtime API at AWS_LAMBDA_RUNTIME_API (what the
 * emulator sets). It supports promise and callback handlers, the `awslambda` global
 * (`streamifyResponse`, `HttpResponseStream.from`) for streamed responses with error trailers, and
 * reports init failures to `/runtime/init/error`. It imports nothing outside `@turret/dev`, so it
 * runs without a build of the other packages.
 */
import { Agent, type ClientRequest, type IncomingHttpHeaders, request } from 'node:http'
import { Writable } from 'node:stream'
import {
  type ContextSource,
  callHandler,
  type ErrorDocument,
  errorDocument,
  installAwsLambdaGlobal,
  isStreamingHandler,
  loadHandler,
  type ManagedHandler,
  managedContext,
  type StreamingHandler,
} from '../internal/managed'

const BASE = '/2018-06-01/runtime'

const api = process.env.AWS_LAMBDA_RUNTIME_API
if (!api) {
  console.error('bootstrap: AWS_LAMBDA_RUNTIME_API is not set')
  process.exit(1)
}
const [hostname, port] = api.split(':') as [string, string]
const agent = new Agent({ keepAlive: true })

interface Reply {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

function send(
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const length = body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }
    const req = request(
      { agent, hostname, port: Number(port), method, path, headers: { ...length, ...headers } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

function postError(path: string, doc: ErrorDocument): Promise<Reply> {
  return send('POST', path, JSON.stringify(doc), {
    'Content-Type': 'application/vnd.aws.lambda.error+json',
    'Lambda-Runtime-Function-Error-Type': doc.errorType,
  })
}

/** The writable a streaming handler gets: chunks go to a chunked POST, opened on the first write. */
class ResponseStream extends Writable {
  contentType = 'application/octet-stream'
  prelude: Buffer | undefined
  #req: ClientRequest | undefined
  readonly done: Promise<Reply>
  #resolve!: (reply: Reply) => void
  #reject!: (error: Error) => void

  constructor(
    readonly path: string,
    highWaterMark: number | undefined,
  ) {
    super(highWaterMark ? { highWaterMark } : {})
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    this.done.catch(() => {})
  }

  get started(): boolean {
    return this.#req !== undefined
  }

  #open(): ClientRequest {
    if (this.#req) return this.#req
    const req = request(
      {
        agent,
        hostname,
        port: Number(port),
        method: 'POST',
        path: this.path,
        headers: {
          'Content-Type': this.contentType,
          'Lambda-Runtime-Function-Response-Mode': 'streaming',
          'Transfer-Encoding': 'chunked',
          Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          this.#resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        )
      },
    )
    req.on('error', (error) => this.#reject(error))
    this.#req = req
    if (this.prelude) {
      req.write(this.prelude)
      this.prelude = undefined
    }
    return req
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const req = this.#open()
    if (chunk.length === 0 || req.write(chunk)) callback()
    else req.once('drain', () => callback())
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#open().end()
    callback()
  }

  /** Ends the stream with error trailers (the error happened after streaming started). */
  fail(doc: ErrorDocument): void {
    const req = this.#open()
    req.addTrailers({
      'Lambda-Runtime-Function-Error-Type': doc.errorType,
      'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(doc)).toString('base64'),
    })
    req.end()
  }
}

installAwsLambdaGlobal()

let current: string | undefined

async function invoke(handler: StreamingHandler, reply: Reply): Promise<void> {
  const id = reply.headers['lambda-runtime-aws-request-id'] as string
  current = id
  const path = `${BASE}/invocation/${encodeURIComponent(id)}`
  const trace = reply.headers['lambda-runtime-trace-id'] as string | undefined
  if (trace) process.env._X_AMZN_TRACE_ID = trace
  else delete process.env._X_AMZN_TRACE_ID
  const json = (name: string) => {
    const value = reply.headers[name] as string | undefined
    return value ? JSON.parse(value) : undefined
  }
  let source: ContextSource
  let event: unknown
  try {
    source = {
      requestId: id,
      deadlineMs: Number(reply.headers['lambda-runtime-deadline-ms']),
      invokedFunctionArn: (reply.headers['lambda-runtime-invoked-function-arn'] as string) ?? '',
      env: process.env,
      clientContext: json('lambda-runtime-client-context'),
      identity: json('lambda-runtime-cognito-identity'),
      tenantId: reply.headers['lambda-runtime-aws-tenant-id'] as string | undefined,
    }
    event = JSON.parse(reply.body.toString('utf8'))
  } catch (error) {
    await postError(`${path}/error`, errorDocument(error))
    return
  }
  if (isStreamingHandler(handler)) {
    const stream = new ResponseStream(`${path}/response`, handler.highWaterMark)
    try {
      await handler(event, stream as never, managedContext(source))
      if (!stream.writableFinished) await new Promise<void>((r) => stream.end(r))
      await stream.done
    } catch (error) {
      if (stream.started) {
        stream.fail(errorDocument(error))
        await stream.done.catch(() => {})
      } else {
        await postError(`${path}/error`, errorDocument(error))
      }
    }
    return
  }
  try {
    const result = await callHandler(handler as unknown as ManagedHandler, event, source)
    await send('POST', `${path}/response`, JSON.stringify(result === undefined ? null : result), {
      'Content-Type': 'application/json',
    })
  } catch (error) {
    await postError(`${path}/error`, errorDocument(error))
  }
}

async function main(): Promise<void> {
  const [modulePath, exportName] = process.argv.slice(2)
  if (!modulePath) {
    console.error('usage: bootstrap <module> [export]')
    process.exit(2)
  }
  let handler: StreamingHandler
  try {
    handler = (await loadHandler(modulePath, exportName || 'handler')) as unknown as StreamingHandler
  } catch (error) {
    const doc = errorDocument(error)
    console.error(`${doc.errorType}: ${doc.errorMessage}`)
    await postError(`${BASE}/init/error`, doc).catch(() => {})
    process.exit(1)
  }
  for (;;) {
    const reply = await send('GET', `${BASE}/invocation/next`)
    if (reply.status !== 200) {
      console.error(`bootstrap: /next answered ${reply.status}: ${reply.body.toString('utf8')}`)
      process.exit(1)
    }
    await invoke(handler, reply)
    current = undefined
  }
}

// As aws-lambda-ric: an uncaught exception fails the current invocation, then the process exits.
process.on('uncaughtException', (error) => {
  const doc = errorDocument(error)
  console.error(`Uncaught ${doc.errorType}: ${doc.errorMessage}`)
  const path = current ? `${BASE}/invocation/${encodeURIComponent(current)}/error` : `${BASE}/init/error`
  postError(path, doc).finally(() => process.exit(129))
})

main().catch((error: unknown) => {
  console.error('bootstrap:', error)
  process.exit(1)
})

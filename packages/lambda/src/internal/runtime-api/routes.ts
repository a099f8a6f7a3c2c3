import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { BodyTooLarge, header, readBody, runtimeError } from './http'
import { decodePath, errorOutcome, type InvocationOutcome, parseErrorOutcome } from './outcome'

/** Lambda's limit on a synchronous invocation's buffered response: 6 MB. */
export const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024
/** Lambda's limit on a streamed response: 200 MB. */
export const MAX_STREAMED_RESPONSE = 200 * 1024 * 1024
/** What RAPID accepts on `/response` before answering 413 (6 MB plus a little slack). */
const RESPONSE_LIMIT = MAX_SYNC_PAYLOAD + 100

const RUNTIME = '/2018-06-01/runtime'
const NEXT = `${RUNTIME}/invocation/next`
const INIT_ERROR = `${RUNTIME}/init/error`
const INVOCATION = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/

/** An invocation as the Runtime API sees it. */
export interface RuntimeInvocation {
  /** The request id. */
  readonly id: string
  /** The event bytes. */
  readonly payload: Buffer
  /** Where it is: waiting for `/next`, handed to the runtime, its response arriving, or over. */
  state: 'queued' | 'running' | 'responding' | 'done'
  /** The `/response` body being received (destroyed when the invocation times out). */
  upload: IncomingMessage | undefined
}

/** One POST the runtime made (to `/response`, `/error` or `/runtime/init/error`). */
export interface RuntimePost {
  /** `'response'`, `'error'` or `'init-error'`. */
  readonly kind: 'response' | 'error' | 'init-error'
  /** The request id in the path (undefined for init errors). */
  readonly requestId: string | undefined
  /** The request headers, keys lower-cased. */
  readonly headers: IncomingHttpHeaders
  /** The HTTP trailers (streaming error reporting). */
  readonly trailers: Readonly<Record<string, string | undefined>>
  /** The raw body (empty when it was handed to a stream consumer). */
  readonly body: Buffer
  /** The status the server answered with. */
  readonly status: number
}

/** What the owner of the invocations (the emulator, the test server) decides. */
export interface RuntimeApiHooks<I extends RuntimeInvocation> {
  /** The `/next` headers for `inv`, as it is handed to the runtime (request id, deadline, ARN, …). */
  dispatch(inv: I): Readonly<Record<string, string>>
  /** `inv` ended with `outcome` (it is already `done` and out of the queue); `post` is the POST that ended it. */
  completed(inv: I, outcome: InvocationOutcome, post: RuntimePost | undefined): void
  /** The runtime reported an init error. */
  initError(outcome: InvocationOutcome, post: RuntimePost): void
  /** A `GET /next` arrived. Defaults to nothing. */
  polled?(): void
  /** Runs after each attempt to hand invocations out (start a runtime, arm a timer). Defaults to nothing. */
  pumped?(): void
  /** Every POST, in order. Defaults to nothing. */
  posted?(post: RuntimePost): void
  /** The status to answer a `/response` with; anything but 202 leaves the invocation running. Defaults to 202. */
  responseStatus?(inv: I): number
  /** Receives a streamed response's body as it arrives, instead of buffering it. Defaults to none. */
  onStream?(inv: I): ((body: Readable, contentType: string | undefined) => void) | undefined
}

/**
 * The one Runtime API implementation (RAPID's behaviour): the invocation queue, the `/next` long poll,
 * `/response` (buffered or streamed, with size limits and error trailers), `/error` and `/runtime/init/error`,
 * and Lambda's answers to late or unknown posts (400, 403, 410, 413). `turret dev`'s emulator and
 * `startRuntimeApiServer()` serve it; what an invocation is for (a timer, a test's promise) is the hooks'.
 */
export class RuntimeApi<I extends RuntimeInvocation> {
  /** Invocations waiting for a runtime, in order. */
  readonly queue: I[] = []
  /** Invocations handed to the runtime. */
  readonly active = new Map<string, I>()
  /** `GET /next` requests waiting for an invocation. */
  readonly waiting: ServerResponse[] = []
  readonly #finished = new Map<string, 'done' | 'timeout'>()
  readonly #failures: Array<{ readonly status: number; readonly body: string }> = []
  #pendingInitError: InvocationOutcome | undefined

  constructor(readonly hooks: RuntimeApiHooks<I>) {}

  /** Queues an invocation and hands it out if a runtime is waiting. */
  enqueue(inv: I): void {
    this.queue.push(inv)
    this.pump()
  }

  /** Makes the next `GET /next` answer `status` instead of an invocation. */
  failNext(status: number, body: string): void {
    this.#failures.push({ status, body })
    this.pump()
  }

  /** Fails the next invocation with `outcome` (an init error is answered to the first invoke). */
  failFirst(outcome: InvocationOutcome): void {
    this.#pendingInitError = outcome
    this.pump()
  }

  /** Ends `inv` with `outcome` (`how: 'timeout'` makes later posts for it answer 410). */
  complete(inv: I, outcome: InvocationOutcome, how: 'done' | 'timeout' = 'done', post?: RuntimePost): void {
    if (inv.state === 'done') return
    inv.state = 'done'
    this.active.delete(inv.id)
    const index = this.queue.indexOf(inv)
    if (index >= 0) this.queue.splice(index, 1)
    if (!this.#finished.has(inv.id)) this.#finished.set(inv.id, how)
    if (this.#finished.size > 1000) this.#finished.delete(this.#finished.keys().next().value as string)
    this.hooks.completed(inv, outcome, post)
  }

  /** Hands queued invocations to waiting runtimes. */
  pump(): void {
    const pending = this.#pendingInitError
    const first = this.queue[0]
    if (pending && first) {
      this.#pendingInitError = undefined
      this.complete(first, pending)
    }
    for (;;) {
      const res = this.waiting[0]
      if (!res) break
      if (res.destroyed || res.writableEnded) {
        this.waiting.shift()
        continue
      }
      const failure = this.#failures.shift()
      if (failure) {
        this.waiting.shift()
        res.writeHead(failure.status, { 'content-type': 'application/json' }).end(failure.body)
        continue
      }
      const inv = this.queue.shift()
      if (!inv) break
      this.waiting.shift()
      this.#dispatch(inv, res)
    }
    this.hooks.pumped?.()
  }

  #dispatch(inv: I, res: ServerResponse): void {
    inv.state = 'running'
    this.active.set(inv.id, inv)
    const headers = this.hooks.dispatch(inv)
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': inv.payload.length, ...headers })
    res.end(inv.payload)
  }

  /** Destroys the waiting `/next` requests (on close). */
  closeWaiting(): void {
    for (const res of this.waiting.splice(0)) res.destroy()
  }

  /** Serves a Runtime API request; resolves `false` when the path is not the Runtime API's. */
  async route(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const method = req.method ?? 'GET'
    if (path === NEXT) {
      if (method !== 'GET') runtimeError(res, 405, 'MethodNotAllowed', 'use GET')
      else this.#next(req, res)
      return true
    }
    const match = INVOCATION.exec(path)
    if (match) {
      if (method !== 'POST') {
        runtimeError(res, 405, 'MethodNotAllowed', 'use POST')
        return true
      }
      const id = decodePath(match[1] as string)
      if (id === undefined) {
        req.resume()
        runtimeError(res, 400, 'InvalidRequestID', 'Invalid request ID')
        return true
      }
      const inv = this.active.get(id)
      if (inv?.state !== 'running') {
        req.resume()
        this.#unknownId(res, id)
        return true
      }
      await (match[2] === 'response' ? this.#respond(req, res, inv) : this.#fail(req, res, inv))
      return true
    }
    if (path === INIT_ERROR) {
      if (method !== 'POST') runtimeError(res, 405, 'MethodNotAllowed', 'use POST')
      else await this.#fail(req, res, undefined)
      return true
    }
    return false
  }

  #next(req: IncomingMessage, res: ServerResponse): void {
    this.hooks.polled?.()
    req.resume()
    this.waiting.push(res)
    res.on('close', () => {
      const index = this.waiting.indexOf(res)
      if (index >= 0) this.waiting.splice(index, 1)
    })
    this.pump()
  }

  #unknownId(res: ServerResponse, id: string): void {
    const how = this.#finished.get(id)
    if (how === 'timeout') runtimeError(res, 410, 'InvokeTimeout', 'Invoke timeout')
    else if (how === 'done' || this.active.get(id)?.state === 'responding') {
      // A second /response or /error for an invocation already answered: Lambda's 403.
      runtimeError(
        res,
        403,
        'InvalidStateTransition',
        'State transition from Ready to InvocationResponse failed for runtime. Error: State transition is not allowed',
      )
    } else runtimeError(res, 400, 'InvalidRequestID', 'Invalid request ID')
  }

  #post(req: IncomingMessage, kind: RuntimePost['kind'], id: string | undefined, body: Buffer, status: number) {
    const post: RuntimePost = { kind, requestId: id, headers: req.headers, trailers: { ...req.trailers }, body, status }
    this.hooks.posted?.(post)
    return post
  }

  async #respond(req: IncomingMessage, res: ServerResponse, inv: I): Promise<void> {
    const mode = header(req, 'lambda-runtime-function-response-mode')
    if (mode !== undefined && mode.toLowerCase() !== 'streaming') {
      req.resume()
      return runtimeError(res, 400, 'InvalidFunctionResponseMode', 'Invalid function response mode')
    }
    const streamed = mode !== undefined
    const limit = streamed ? MAX_STREAMED_RESPONSE : RESPONSE_LIMIT
    inv.state = 'responding'
    inv.upload = req
    const onStream = streamed ? this.hooks.onStream?.(inv) : undefined
    let body: Buffer
    try {
      body = onStream ? await passThrough(req, onStream) : await readBody(req, limit)
    } catch (error) {
      inv.upload = undefined
      if (error instanceof BodyTooLarge) {
        const message = `Response payload size exceeded maximum allowed payload size (${limit} bytes).`
        res.setHeader('Connection', 'close')
        runtimeError(res, 413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${limit} bytes).`)
        return this.complete(inv, errorOutcome('Function.ResponseSizeTooLarge', message))
      }
      if (!isDone(inv)) this.complete(inv, errorOutcome('Runtime.TruncatedResponse', 'response was truncated'))
      return
    }
    inv.upload = undefined
    if (isDone(inv)) return this.#unknownId(res, inv.id)
    const status = this.hooks.responseStatus?.(inv) ?? 202
    const post = this.#post(req, 'response', inv.id, body, status)
    res.writeHead(status, { 'content-type': 'application/json' }).end('{"status":"OK"}')
    if (status !== 202) {
      inv.state = 'running'
      return
    }
    const errorType = req.trailers['lambda-runtime-function-error-type']
    if (errorType) {
      const encoded = req.trailers['lambda-runtime-function-error-body']
      const decoded = encoded ? Buffer.from(encoded, 'base64') : Buffer.alloc(0)
      this.complete(inv, { ...parseErrorOutcome(decoded, errorType), streamed }, 'done', post)
    } else {
      this.complete(inv, { payload: body, contentType: header(req, 'content-type'), streamed }, 'done', post)
    }
  }

  async #fail(req: IncomingMessage, res: ServerResponse, inv: I | undefined): Promise<void> {
    let body: Buffer
    try {
      body = await readBody(req, RESPONSE_LIMIT)
    } catch {
      body = Buffer.alloc(0)
    }
    const outcome = parseErrorOutcome(body, header(req, 'lambda-runtime-function-error-type'))
    if (inv?.state === 'done') return this.#unknownId(res, inv.id)
    const post = this.#post(req, inv ? 'error' : 'init-error', inv?.id, body, 202)
    res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}')
    if (inv) this.complete(inv, outcome, 'done', post)
    else this.hooks.initError(outcome, post)
  }
}

/** Whether an invocation is over (a check made after an await: the state may have moved on). */
function isDone(inv: RuntimeInvocation): boolean {
  return inv.state === 'done'
}

/** Hands a streamed body to the consumer as it arrives; resolves (with no bytes kept) when it ends. */
function passThrough(
  req: IncomingMessage,
  onStream: (body: Readable, contentType: string | undefined) => void,
): Promise<Buffer> {
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

import { randomUUID } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One POST the runtime made (to `/response`, `/error` or `/runtime/init/error`). */
export interface RecordedPost {
  /** `'response'`, `'error'` or `'init-error'`. */
  readonly kind: 'response' | 'error' | 'init-error'
  /** The request id in the path (undefined for init errors). */
  readonly requestId: string | undefined
  /** The request headers, keys lower-cased. */
  readonly headers: IncomingHttpHeaders
  /** The HTTP trailers (streaming error reporting). */
  readonly trailers: Readonly<Record<string, string | undefined>>
  /** The raw body. */
  readonly body: Buffer
  /** The status the server answered with. */
  readonly status: number
  /** The body parsed as JSON. */
  json(): unknown
}

/** Options of one {@link RuntimeApiServer.invoke}. */
export interface InvokeOptions {
  /** Defaults to a random UUID. */
  readonly requestId?: string | undefined
  /** Absolute deadline in epoch ms. Defaults to `Date.now() + 30_000`. */
  readonly deadline?: number | undefined
  /** Extra `/next` headers (trace id, client context, …). Defaults to none. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Status answered to a POST on `/response` (e.g. 413). Defaults to `202`. */
  readonly responseStatus?: number | undefined
  /** Raw event body instead of `JSON.stringify(payload)`. */
  readonly rawBody?: string | undefined
}

/** A minimal Lambda Runtime API on loopback, to test `run()` end to end. */
export interface RuntimeApiServer {
  /** `127.0.0.1:<port>`, for `AWS_LAMBDA_RUNTIME_API` / `run({ runtimeApi })`. */
  readonly endpoint: string
  /** Queues an invocation; resolves with the POST (answered 202) that completes it. */
  invoke(payload: unknown, options?: InvokeOptions): Promise<RecordedPost>
  /** Makes the next `GET /next` answer `status` (e.g. 500) instead of an event. */
  failNext(status: number, body?: string): void
  /** Resolves with the first `/runtime/init/error` POST. */
  readonly initError: Promise<RecordedPost>
  /** Every POST received, in order. */
  readonly posts: readonly RecordedPost[]
  /** `GET /next` requests waiting for an event now. */
  readonly waiting: number
  /** TCP connections accepted so far. */
  readonly connections: number
  /** Resolves once `n` `GET /next` requests are waiting. */
  waitForNext(n?: number): Promise<void>
  /** Closes the server and every connection. */
  close(): Promise<void>
}

interface Queued {
  readonly requestId: string
  readonly body: string
  readonly headers: Record<string, string>
  readonly responseStatus: number
  readonly resolve: (post: RecordedPost) => void
}

/**
 * Starts a {@link RuntimeApiServer} on 127.0.0.1 (port 0).
 *
 * @example
 * ```ts
 * const api = await startRuntimeApiServer()
 * const done = run(svc, { runtimeApi: api.endpoint, signal })
 * expect((await api.invoke({ n: 1 })).json()).toEqual({ n: 2 })
 * ```
 */
export async function startRuntimeApiServer(): Promise<RuntimeApiServer> {
  const queue: Queued[] = []
  const waiters: ServerResponse[] = []
  const inflight = new Map<string, Queued>()
  const posts: RecordedPost[] = []
  const failures: Array<{ status: number; body: string }> = []
  const nextWatchers: Array<() => void> = []
  let connections = 0
  let resolveInit: (post: RecordedPost) => void = () => {}
  const initError = new Promise<RecordedPost>((resolve) => {
    resolveInit = resolve
  })

  const checkWatchers = () => {
    for (const watch of nextWatchers.splice(0)) watch()
  }

  const dispatch = () => {
    for (;;) {
      const failure = failures[0]
      const res = waiters[0]
      if (!res) return
      if (failure) {
        failures.shift()
        waiters.shift()
        res.writeHead(failure.status, { 'content-type': 'application/json' }).end(failure.body)
        continue
      }
      const item = queue.shift()
      if (!item) return
      waiters.shift()
      inflight.set(item.requestId, item)
      res.writeHead(200, { 'content-type': 'application/json', ...item.headers }).end(item.body)
    }
  }

  const onPost = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = req.url ?? ''
    const init = url.endsWith('/runtime/init/error')
    const match = /\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url)
    if (!init && !match) {
      res.writeHead(404).end()
      return
    }
    const requestId = match ? decodeURIComponent(match[1] as string) : undefined
    const kind = init ? 'init-error' : (match?.[2] as 'response' | 'error')
    const item = requestId === undefined ? undefined : inflight.get(requestId)
    const status = kind === 'response' && item ? item.responseStatus : 202
    const post: RecordedPost = {
      kind,
      requestId,
      headers: req.headers,
      trailers: { ...req.trailers },
      body,
      status,
      json: () => JSON.parse(body.toString('utf8')),
    }
    posts.push(post)
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'OK' }))
    if (init) resolveInit(post)
    else if (item && status === 202) {
      inflight.delete(item.requestId)
      item.resolve(post)
    }
  }

  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.endsWith('/runtime/invocation/next')) {
      waiters.push(res)
      res.on('close', () => {
        const i = waiters.indexOf(res)
        if (i >= 0) waiters.splice(i, 1)
      })
      dispatch()
      checkWatchers()
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => onPost(req, res, Buffer.concat(chunks)))
  })
  server.on('connection', () => connections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    endpoint: `127.0.0.1:${port}`,
    initError,
    posts,
    get waiting() {
      return waiters.length
    },
    get connections() {
      return connections
    },
    invoke(payload, options = {}) {
      return new Promise<RecordedPost>((resolve) => {
        const requestId = options.requestId ?? randomUUID()
        queue.push({
          requestId,
          body: options.rawBody ?? JSON.stringify(payload),
          headers: {
            'lambda-runtime-aws-request-id': requestId,
            'lambda-runtime-deadline-ms': String(options.deadline ?? Date.now() + 30_000),
            'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:test',
            ...options.headers,
          },
          responseStatus: options.responseStatus ?? 202,
          resolve,
        })
        dispatch()
      })
    },
    failNext(status, body = '{"errorType":"Runtime.ContainerError","errorMessage":"container error"}') {
      failures.push({ status, body })
      dispatch()
    },
    waitForNext(n = 1) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (waiters.length >= n) resolve()
          else nextWatchers.push(check)
        }
        check()
      })
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
    },
  }
}

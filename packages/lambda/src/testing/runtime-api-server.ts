import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { RuntimeApi, type RuntimeInvocation, type RuntimePost } from '../internal/runtime-api/routes'

/** One POST the runtime made (to `/response`, `/error` or `/runtime/init/error`), as the server recorded it. */
export interface RecordedPost extends RuntimePost {
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

interface Queued extends RuntimeInvocation {
  readonly headers: Record<string, string>
  readonly responseStatus: number
  readonly resolve: (post: RecordedPost) => void
}

function recorded(post: RuntimePost): RecordedPost {
  return { ...post, json: () => JSON.parse(post.body.toString('utf8')) }
}

/**
 * Starts a {@link RuntimeApiServer} on 127.0.0.1 (port 0). It serves the same Runtime API implementation as
 * `turret dev`'s emulator (RAPID's answers: 400 for an unknown request id, 403 for a second answer, 413 for an
 * oversized response).
 *
 * @example
 * ```ts
 * const api = await startRuntimeApiServer()
 * const done = run(svc, { runtimeApi: api.endpoint, signal })
 * expect((await api.invoke({ n: 1 })).json()).toEqual({ n: 2 })
 * ```
 */
export async function startRuntimeApiServer(): Promise<RuntimeApiServer> {
  const posts: RecordedPost[] = []
  const nextWatchers: Array<() => void> = []
  let connections = 0
  let resolveInit: (post: RecordedPost) => void = () => {}
  const initError = new Promise<RecordedPost>((resolve) => {
    resolveInit = resolve
  })
  const byPost = new WeakMap<RuntimePost, RecordedPost>()
  const api = new RuntimeApi<Queued>({
    dispatch: (item) => item.headers,
    completed(item, _outcome, post) {
      if (post !== undefined) item.resolve(byPost.get(post) ?? recorded(post))
    },
    initError: (_outcome, post) => resolveInit(byPost.get(post) ?? recorded(post)),
    posted(post) {
      const record = recorded(post)
      byPost.set(post, record)
      posts.push(record)
    },
    responseStatus: (item) => item.responseStatus,
    pumped() {
      for (const watch of nextWatchers.splice(0)) watch()
    },
  })

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string
    api.route(req, res, path).then(
      (served) => {
        if (served) return
        req.resume()
        res.writeHead(404).end()
      },
      () => {
        if (!res.headersSent) res.writeHead(500).end()
        else res.destroy()
      },
    )
  })
  server.keepAliveTimeout = 0
  server.on('connection', () => connections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    endpoint: `127.0.0.1:${port}`,
    initError,
    posts,
    get waiting() {
      return api.waiting.length
    },
    get connections() {
      return connections
    },
    invoke(payload, options = {}) {
      return new Promise<RecordedPost>((resolve) => {
        const requestId = options.requestId ?? randomUUID()
        api.enqueue({
          id: requestId,
          payload: Buffer.from(options.rawBody ?? JSON.stringify(payload)),
          state: 'queued',
          upload: undefined,
          headers: {
            'lambda-runtime-aws-request-id': requestId,
            'lambda-runtime-deadline-ms': String(options.deadline ?? Date.now() + 30_000),
            'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:test',
            ...options.headers,
          },
          responseStatus: options.responseStatus ?? 202,
          resolve,
        })
      })
    },
    failNext(status, body = '{"errorType":"Runtime.ContainerError","errorMessage":"container error"}') {
      api.failNext(status, body)
    },
    waitForNext(n = 1) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (api.waiting.length >= n) resolve()
          else nextWatchers.push(check)
        }
        check()
      })
    },
    close() {
      return new Promise<void>((resolve) => {
        api.closeWaiting()
        server.closeAllConnections()
        server.close(() => resolve())
      })
    },
  }
}

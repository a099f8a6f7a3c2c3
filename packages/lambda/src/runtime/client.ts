import { once } from 'node:events'
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { type Ready, type Service, TurretError, type TurretErrorOptions } from '@turret/core'
import { isToken } from '@turret/http/internal'
import { WirePool } from './wire'

/** One HTTP request to the Runtime API. */
export interface RuntimeApiRequest {
  /** `GET` for `/next`, `POST` for the rest. */
  readonly method: 'GET' | 'POST'
  /** The path, starting with `/2018-06-01/`. */
  readonly path: string
  /** Request headers. Defaults to none. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** The body; an async iterable is sent chunked, as it arrives. Defaults to none. */
  readonly body?: string | Uint8Array | AsyncIterable<Uint8Array> | undefined
  /** Trailers to send after a streamed body, read once it has ended. Defaults to none. */
  readonly trailers?: (() => Readonly<Record<string, string>> | undefined) | undefined
  /** The invocation this request answers (lets a 413 on `/response` be re-sent to `/error`). */
  readonly requestId?: string | undefined
  /** Aborts the request (used to stop a pending `/next` on shutdown). */
  readonly signal?: AbortSignal | undefined
}

/** The Runtime API's answer. */
export interface RuntimeApiResponse {
  /** The HTTP status. */
  readonly status: number
  /** Response headers, keys lower-cased. */
  readonly headers: IncomingHttpHeaders
  /** The whole response body. */
  readonly body: Uint8Array
}

/** The Runtime API could not be reached, or answered that the environment is broken (5xx). */
export class RuntimeApiError extends TurretError {
  override name = 'RuntimeApiError'
  override readonly code = 'ERR_RUNTIME_API'
  /** The HTTP status, when the API answered. */
  readonly status: number | undefined
  constructor(message: string, options?: TurretErrorOptions & { readonly status?: number | undefined }) {
    super(message, options)
    this.status = options?.status
  }
}

/** Options of {@link runtimeApiClient}. */
export interface RuntimeApiClientOptions {
  /** `host:port` of the Runtime API, no scheme. Defaults to `process.env.AWS_LAMBDA_RUNTIME_API`. */
  readonly endpoint?: string | undefined
  /** The connection pool. Defaults to a keep-alive `Agent` owned (and destroyed by `close()`) by the client. */
  readonly agent?: Agent | undefined
}

/** A `Service` that sends {@link RuntimeApiRequest}s over node:http with a keep-alive pool. */
export class RuntimeApiClient implements Service<RuntimeApiRequest, RuntimeApiResponse> {
  readonly endpoint: string
  readonly agent: Agent
  readonly #ownsAgent: boolean
  readonly #host: string
  readonly #port: number
  /** The lean keep-alive path for plain requests; only when the client owns its pool (no caller agent). */
  readonly #wire: WirePool | undefined

  constructor(options: RuntimeApiClientOptions = {}) {
    const endpoint = options.endpoint ?? process.env.AWS_LAMBDA_RUNTIME_API
    if (!endpoint) throw new RuntimeApiError('AWS_LAMBDA_RUNTIME_API is not set')
    this.endpoint = endpoint
    const url = new URL(`http://${endpoint}`)
    this.#host = url.hostname.replace(/^\[|\]$/g, '')
    this.#port = url.port ? Number(url.port) : 80
    this.#ownsAgent = options.agent === undefined
    this.agent = options.agent ?? new Agent({ keepAlive: true })
    this.#wire = this.#ownsAgent ? new WirePool(this.#host, this.#port, url.host) : undefined
  }

  ready(): Ready {
    return undefined
  }

  call(req: RuntimeApiRequest): Promise<RuntimeApiResponse> {
    if (this.#wire !== undefined && plain(req)) {
      return this.#wire.request(
        req.method,
        req.path,
        req.headers,
        req.body as string | Uint8Array | undefined,
        req.signal,
        (cause) =>
          new RuntimeApiError(`${req.method} ${req.path} failed: ${String((cause as Error)?.message ?? cause)}`, {
            cause,
          }),
      )
    }
    return new Promise<RuntimeApiResponse>((resolve, reject) => {
      const streamed = typeof req.body === 'object' && req.body !== null && !(req.body instanceof Uint8Array)
      const fail = (cause: unknown) =>
        reject(
          cause instanceof RuntimeApiError
            ? cause
            : new RuntimeApiError(`${req.method} ${req.path} failed: ${String((cause as Error)?.message ?? cause)}`, {
                cause,
              }),
        )
      const outgoing = httpRequest(
        {
          host: this.#host,
          port: this.#port,
          method: req.method,
          path: req.path,
          headers: req.headers,
          agent: this.agent,
          ...(req.signal ? { signal: req.signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('error', fail)
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: new Uint8Array(Buffer.concat(chunks)) }),
          )
        },
      )
      outgoing.on('error', fail)
      if (!streamed) {
        outgoing.end(req.body as string | Uint8Array | undefined)
        return
      }
      writeStream(outgoing, req.body as AsyncIterable<Uint8Array>, req.trailers).catch((error: unknown) => {
        outgoing.destroy(error instanceof Error ? error : new Error(String(error)))
        fail(error)
      })
    })
  }

  /** Closes pooled connections (only when the client created its own agent). */
  close(): void {
    this.#wire?.close()
    if (this.#ownsAgent) this.agent.destroy()
  }
}

/** Header values node:http would send as they are (visible ASCII and tabs). */
const SAFE_VALUE = /^[\t\x20-\x7e]*$/
/** Headers the wire path sets itself (a request naming them goes through node:http). */
const FRAMING = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'expect', 'upgrade'])

/** Whether a request can take the lean wire path: a whole body, and headers it can write as they are. */
function plain(req: RuntimeApiRequest): boolean {
  if (req.trailers !== undefined) return false
  const body = req.body
  if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) return false
  if (!SAFE_VALUE.test(req.path) || req.path[0] !== '/') return false
  const headers = req.headers
  if (headers === undefined) return true
  for (const name in headers) {
    const value = headers[name]
    if (typeof value !== 'string' || !isToken(name) || !SAFE_VALUE.test(value)) return false
    if (FRAMING.has(name.toLowerCase())) return false
  }
  return true
}

async function writeStream(
  outgoing: ReturnType<typeof httpRequest>,
  body: AsyncIterable<Uint8Array>,
  trailers: RuntimeApiRequest['trailers'],
): Promise<void> {
  outgoing.flushHeaders()
  for await (const chunk of body) {
    if (outgoing.destroyed) return
    if (chunk.byteLength === 0) continue
    if (!outgoing.write(chunk)) await once(outgoing, 'drain')
  }
  const extra = trailers?.()
  if (extra) outgoing.addTrailers(extra)
  outgoing.end()
}

/**
 * Makes the Runtime API client: a service over node:http with one keep-alive pool, shared by
 * every concurrent loop of `run()`.
 *
 * @example
 * ```ts
 * const client = runtimeApiClient({ endpoint: '127.0.0.1:9001' })
 * const next = await oneshot(client, { method: 'GET', path: '/2018-06-01/runtime/invocation/next' })
 * ```
 */
export function runtimeApiClient(options: RuntimeApiClientOptions = {}): RuntimeApiClient {
  return new RuntimeApiClient(options)
}

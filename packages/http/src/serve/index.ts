/**
 * `serve()`: runs an HTTP service on node:http, with backpressure (readiness before each call),
 * streaming bodies both ways, client-disconnect aborts and graceful close.
 * @module
 */
import { createServer, type IncomingMessage, type Server as NodeServer, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { globalsInstalled, installGlobals, LiteResponse } from '../internal/index'
import { responseBody } from '../respond/index'
import type { HttpService } from '../types'
import { type Connection, connectionOf, existingConnection } from './connection'
import { type IncomingSource, toRequest as requestOf } from './request'
import { sourceOf } from './url'
import { plain, pump, responseHeaders, writeParts } from './write'

/** Options of {@link serve}. */
export interface ServeOptions {
  /** The TCP port; `0` picks a free one (read it back from `Server.port`). Defaults to `3000`. */
  port?: number | undefined
  /** The interface to bind. Defaults to Node's default: every interface (`::` or `0.0.0.0`). */
  hostname?: string | undefined
  /** Aborting it closes the server gracefully, as `close()` does. Defaults to none. */
  signal?: AbortSignal | undefined
  /**
   * Called with each error the server turns into a 5xx (or a dropped connection): a rejected call,
   * a failed readiness check, a body stream that failed mid-response. Defaults to `console.error`.
   */
  onError?: ((error: unknown) => void) | undefined
  /**
   * Makes turret's lightweight `Request`, `Response` and `fetch` the globals (as @hono/node-server does), so
   * requests are built only as far as the service reads them and `new Response(string | bytes)` is written
   * straight from its parts. With `false`, the runtime's own classes stay, and each request is an ordinary
   * `Request` built at once. Defaults to `true`. See the README's "Lightweight fetch objects".
   */
  overrideGlobalObjects?: boolean | undefined
}

/** A running server, as {@link serve} returns it. */
export interface Server {
  /** The origin it listens on, without a trailing slash, e.g. `http://127.0.0.1:43121`. */
  readonly url: string
  /** The port it bound (the real one when `port: 0` was asked). */
  readonly port: number
  /** The address it bound, e.g. `127.0.0.1` or `::`. */
  readonly hostname: string
  /** The underlying node:http server. */
  readonly server: NodeServer
  /**
   * Closes gracefully: stops accepting connections, lets in-flight requests finish, closes idle
   * keep-alive connections (and each busy one once its response is sent). Resolves when every
   * connection is closed. Idempotent. With `{ force: true }`, also drops the connections of
   * requests still in flight (e.g. after a grace period of your choosing).
   */
  close(options?: { force?: boolean | undefined }): Promise<void>
}

function isOverloaded(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const e = error as { code?: unknown; name?: unknown }
  return e.code === 'ERR_OVERLOADED' || e.name === 'OverloadedError'
}

/**
 * Serves an HTTP service on node:http. Each request waits for `service.ready()` before it is
 * called (so backpressure reaches the socket), and:
 *
 * - a call rejected with an `OverloadedError` (`code: 'ERR_OVERLOADED'`, e.g. from `loadShed`) or a
 *   failed readiness check answers `503`; any other rejection, or a result that is not a `Response`, answers
 *   `500` (the server keeps running). On Lambda, `httpHandler` lets such an error fail the invocation instead
 *   (API Gateway answers `502`); put `catchPanic()` outermost for the same `500` on every runtime;
 * - request bodies stream into `req.body` and response bodies stream out, with backpressure both ways;
 * - `HEAD` responses are sent without a body;
 * - the `Request`'s `signal` aborts when the client disconnects before the response is sent, and
 *   `ready()` gets the connection's signal (aborted when the client disconnects), so a client that
 *   leaves abandons a wait for capacity;
 * - responses made with `text()`, `json()` or `html()` (`@turret/http`) are written straight
 *   from their parts, with a `Content-Length`; string and byte bodies of other responses too;
 * - a `Host` header that is not a valid authority (a host and a port ≤ 65535, nothing else) answers `400`;
 * - a request node:http cannot parse answers `400` (`431` for oversized headers, `408` on a request timeout)
 *   when no response is being written on that connection, then the connection is closed;
 * - unless `overrideGlobalObjects: false`, turret's lightweight `Request`, `Response` and `fetch` become the
 *   globals (see the README's "Lightweight fetch objects").
 *
 * Resolves once the server is listening.
 *
 * @example
 * ```ts
 * const server = await serve(fromFetch(app), { port: 0, hostname: '127.0.0.1' })
 * await fetch(`${server.url}/hello`)
 * await server.close()
 * ```
 */
export async function serve(service: HttpService, options: ServeOptions = {}): Promise<Server> {
  const port = options.port ?? 3000
  const onError = options.onError ?? ((error: unknown) => console.error(error))
  let closing = false
  let fallbackHost = 'localhost'
  const connections = new Set<Connection>()
  if (options.overrideGlobalObjects ?? true) installGlobals()
  const lite = globalsInstalled()

  const fail = (nres: ServerResponse, error: unknown, status: number) => {
    onError(error)
    if (!nres.destroyed) plain(nres, status, status === 503 ? 'Service Unavailable' : 'Internal Server Error')
  }

  const send = (res: Response, nres: ServerResponse, head: boolean): Promise<void> | undefined => {
    const parts = LiteResponse.pristine(res)
    if (nres.destroyed) {
      if (parts === undefined) res.body?.cancel().catch(() => {})
      return undefined
    }
    if (closing) nres.shouldKeepAlive = false
    if (parts !== undefined) {
      writeParts(nres, parts, head)
      return undefined
    }
    const headers = responseHeaders(res)
    const whole = responseBody(res)
    if (whole != null) {
      headers['content-length'] ??= String(typeof whole === 'string' ? Buffer.byteLength(whole) : whole.byteLength)
      nres.writeHead(res.status, res.statusText || undefined, headers)
      if (head) nres.end()
      else nres.end(whole)
      return undefined
    }
    nres.writeHead(res.status, res.statusText || undefined, headers)
    const body = res.body
    if (body === null || head) {
      if (body !== null) body.cancel().catch(() => {})
      nres.end()
      return undefined
    }
    return pump(body, nres)
  }

  /** Waits for the call, then writes its response; `conn.done(req)` once the response is written. */
  const exchange = async (call: Promise<Response>, req: IncomingSource, nres: ServerResponse, conn: Connection) => {
    let res: Response
    try {
      res = await call
      if (!(res instanceof Response)) {
        throw new TypeError(`the service resolved to ${res === null ? 'null' : typeof res}, not a Response`)
      }
    } catch (error) {
      conn.done(req)
      try {
        fail(nres, error, isOverloaded(error) ? 503 : 500)
      } catch {
        nres.destroy() // onError itself threw
      }
      return
    }
    try {
      const pumping = send(res, nres, req.method === 'HEAD')
      if (pumping !== undefined) await pumping
    } catch (error) {
      onError(error)
      nres.destroy()
    } finally {
      conn.done(req)
    }
  }

  const callAfterWait = (req: IncomingSource, nres: ServerResponse, conn: Connection) => {
    let call: Promise<Response>
    try {
      call = service.call(requestOf(req, lite))
    } catch (error) {
      call = Promise.reject(error)
    }
    void exchange(call, req, nres, conn)
  }

  const handle = (nreq: IncomingMessage, nres: ServerResponse) => {
    if (closing) {
      nres.shouldKeepAlive = false
      plain(nres, 503, 'Service Unavailable')
      return
    }
    let req: IncomingSource
    try {
      req = sourceOf(nreq, fallbackHost)
    } catch {
      plain(nres, 400, 'Bad Request')
      return
    }
    const conn = connectionOf(nreq.socket, connections)
    conn.last = nres
    let pending: ReturnType<HttpService['ready']>
    try {
      // The connection's signal (aborted when the client leaves) lets a waiting service give up.
      pending = service.ready(conn.signal)
    } catch (error) {
      fail(nres, error, 503)
      return
    }
    conn.inflight.push(req)
    if (pending === undefined) {
      callAfterWait(req, nres, conn)
      return
    }
    Promise.resolve(pending).then(
      // Even when the client left while we waited for capacity, the reservation is used (its
      // signal is aborted already), as the contract asks.
      () => callAfterWait(req, nres, conn),
      (error: unknown) => {
        conn.done(req)
        if (!nres.destroyed) fail(nres, error, 503) // else the client left and the wait was abandoned
      },
    )
  }

  const server = createServer(handle)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    const done = () => {
      server.off('error', reject)
      resolve()
    }
    if (options.hostname === undefined) server.listen(port, done)
    else server.listen(port, options.hostname, done)
  })
  // Node's own rules: answer only when no response has started on the connection (a pipelined request's
  // garbage must not land inside a response being written), with 408, 431 or 400; then drop the socket, so a
  // client that never closes cannot hold a graceful close().
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const conn = existingConnection(socket)
    const busy = conn?.last?.headersSent && !conn.last.writableFinished
    if (socket.writable && !busy) {
      const status =
        error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : error.code === 'HPE_HEADER_OVERFLOW'
            ? '431 Request Header Fields Too Large'
            : '400 Bad Request'
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    socket.destroy()
  })

  const address = server.address() as AddressInfo
  const unspecified = address.address === '::' || address.address === '0.0.0.0'
  const host = unspecified ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address
  fallbackHost = `${host}:${address.port}`
  let closed: Promise<void> | undefined
  const close = (closeOptions?: { force?: boolean | undefined }): Promise<void> => {
    if (closed === undefined) {
      closing = true
      closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      // A response written before now keeps its connection alive: close it once that response is done.
      const closeIdle = () => server.closeIdleConnections()
      for (const conn of connections)
        if (conn.last !== undefined && !conn.last.closed) conn.last.once('close', closeIdle)
    }
    if (closeOptions?.force === true) server.closeAllConnections()
    return closed
  }
  if (options.signal !== undefined) {
    if (options.signal.aborted) await close()
    else options.signal.addEventListener('abort', () => void close(), { once: true })
  }
  return { url: `http://${fallbackHost}`, port: address.port, hostname: address.address, server, close }
}

import type { IncomingHttpHeaders } from 'node:http'
import { connect, type Socket } from 'node:net'

/** A response read off the wire: status, lower-cased headers, whole body. */
export interface WireResponse {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: Uint8Array
}

interface Exchange {
  readonly resolve: (res: WireResponse) => void
  readonly reject: (error: unknown) => void
  /** Whether a stale pooled connection may be replaced and the request sent again. */
  readonly retry: (() => void) | undefined
}

const HEAD_END = Buffer.from('\r\n\r\n')
const CRLF = Buffer.from('\r\n')
const EMPTY = new Uint8Array(0)

/** Parses a response head (status line and header lines); repeated headers join with `, ` (set-cookie: a list). */
function parseHead(head: string): { status: number; headers: IncomingHttpHeaders } | undefined {
  const lines = head.split('\r\n')
  const statusLine = lines[0] ?? ''
  if (!statusLine.startsWith('HTTP/1.')) return undefined
  const status = Number.parseInt(statusLine.slice(9, 12), 10)
  if (!Number.isFinite(status)) return undefined
  const headers: Record<string, string | string[]> = {}
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    const prev = headers[name]
    if (name === 'set-cookie') headers[name] = prev === undefined ? [value] : [...(prev as string[]), value]
    else headers[name] = prev === undefined ? value : `${prev}, ${value}`
  }
  return { status, headers: headers as IncomingHttpHeaders }
}

/** Decodes a chunked body from `buf`; `undefined` while incomplete. */
function dechunk(buf: Buffer): Uint8Array | undefined {
  const parts: Buffer[] = []
  let pos = 0
  for (;;) {
    const eol = buf.indexOf(CRLF, pos)
    if (eol < 0) return undefined
    const size = Number.parseInt(buf.toString('latin1', pos, eol).split(';')[0] as string, 16)
    if (!Number.isFinite(size) || size < 0) throw new Error(`bad chunk size at byte ${pos}`)
    if (size === 0) {
      // trailers end with an empty line
      const end = buf.indexOf(CRLF, eol + 2) === eol + 2 ? eol + 4 : buf.indexOf(HEAD_END, eol) + 4
      if (end < 4 || end > buf.length) return undefined
      return new Uint8Array(Buffer.concat(parts))
    }
    if (buf.length < eol + 2 + size + 2) return undefined
    parts.push(buf.subarray(eol + 2, eol + 2 + size))
    pos = eol + 2 + size + 2
  }
}

/** One pooled HTTP/1.1 connection; one exchange at a time. */
class Connection {
  readonly socket: Socket
  #exchange: Exchange | undefined
  #buf: Buffer | undefined
  #head: { status: number; headers: IncomingHttpHeaders; bodyStart: number } | undefined
  #received = false
  #untilEnd = false
  reused = false

  constructor(
    readonly pool: WirePool,
    host: string,
    port: number,
  ) {
    this.socket = connect({ host, port, noDelay: true })
    this.socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    this.socket.on('error', (error) => this.#fail(error))
    this.socket.on('close', () => this.#fail(new Error('the Runtime API closed the connection')))
  }

  send(exchange: Exchange, bytes: string | Buffer): void {
    this.#exchange = exchange
    this.#received = false
    this.socket.write(bytes)
  }

  /** Ends the connection and rejects its exchange with `reason` (never retried). */
  abort(reason: unknown): void {
    this.#fail(reason, false)
  }

  #fail(error: unknown, mayRetry = true): void {
    this.pool.drop(this)
    if (!this.socket.destroyed) this.socket.destroy()
    const exchange = this.#exchange
    this.#exchange = undefined
    this.#buf = undefined
    this.#head = undefined
    if (!exchange) return
    if (mayRetry && this.reused && !this.#received && exchange.retry) exchange.retry()
    else exchange.reject(error)
  }

  #onData(chunk: Buffer): void {
    if (this.#exchange === undefined) {
      // bytes nobody asked for: the connection can no longer be trusted
      this.#fail(new Error('unexpected data from the Runtime API'))
      return
    }
    this.#received = true
    const buf = this.#buf ? Buffer.concat([this.#buf, chunk]) : chunk
    this.#buf = buf
    try {
      this.#parse(buf)
    } catch (error) {
      this.#fail(error)
    }
  }

  #parse(buf: Buffer): void {
    let head = this.#head
    while (head === undefined) {
      const end = buf.indexOf(HEAD_END)
      if (end < 0) return
      const parsed = parseHead(buf.toString('latin1', 0, end))
      if (!parsed) throw new Error('malformed HTTP response from the Runtime API')
      if (parsed.status >= 100 && parsed.status < 200) {
        buf = buf.subarray(end + 4)
        this.#buf = buf
        continue
      }
      head = { ...parsed, bodyStart: end + 4 }
      this.#head = head
    }
    const { status, headers, bodyStart } = head
    const rest = buf.subarray(bodyStart)
    let body: Uint8Array | undefined
    let reusable = !/\bclose\b/i.test(String(headers.connection ?? ''))
    const te = headers['transfer-encoding']
    if (te !== undefined && /chunked/i.test(String(te))) body = dechunk(rest)
    else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length'])
      if (!Number.isSafeInteger(length) || length < 0) throw new Error('bad content-length from the Runtime API')
      if (rest.length >= length) body = length === 0 ? EMPTY : new Uint8Array(rest.subarray(0, length))
    } else if (status === 204 || status === 304) body = EMPTY
    else {
      // framed by the end of the connection
      reusable = false
      if (!this.socket.readableEnded) {
        if (!this.#untilEnd) {
          this.#untilEnd = true
          this.socket.once('end', () => {
            const whole = this.#buf?.subarray(bodyStart) ?? EMPTY
            this.#complete(status, headers, new Uint8Array(whole), false)
          })
        }
        return
      }
      body = new Uint8Array(rest)
    }
    if (body !== undefined) this.#complete(status, headers, body, reusable)
  }

  #complete(status: number, headers: IncomingHttpHeaders, body: Uint8Array, reusable: boolean): void {
    const exchange = this.#exchange
    this.#exchange = undefined
    this.#buf = undefined
    this.#head = undefined
    if (reusable) this.pool.release(this)
    else {
      this.pool.drop(this)
      this.socket.destroy()
    }
    exchange?.resolve({ status, headers, body })
  }
}

/**
 * A keep-alive pool of raw HTTP/1.1 connections to the Runtime API, for plain (non-streamed)
 * requests: one write per request (head and body together, Nagle off), a small response parser,
 * none of node:http's per-request machinery on the invocation hot path.
 */
export class WirePool {
  readonly #idle: Connection[] = []
  readonly #all = new Set<Connection>()
  readonly #watched = new WeakMap<AbortSignal, Set<Connection>>()
  #closed = false

  constructor(
    readonly host: string,
    readonly port: number,
    readonly hostHeader: string,
  ) {}

  /** Sends one request (head and body in one write); a failure rejects with `mapError(cause)`. */
  request(
    method: string,
    path: string,
    headers: Readonly<Record<string, string>> | undefined,
    body: string | Uint8Array | undefined,
    signal: AbortSignal | undefined,
    mapError: (cause: unknown) => unknown = (cause) => cause,
  ): Promise<WireResponse> {
    if (this.#closed) return Promise.reject(mapError(new Error('the Runtime API client is closed')))
    if (signal?.aborted) return Promise.reject(mapError(signal.reason))
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.hostHeader}\r\nConnection: keep-alive\r\n`
    if (headers) for (const name in headers) head += `${name}: ${headers[name]}\r\n`
    let bytes: string | Buffer
    if (body === undefined) {
      bytes = method === 'GET' ? `${head}\r\n` : `${head}Content-Length: 0\r\n\r\n`
    } else if (typeof body === 'string') {
      bytes = `${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    } else {
      bytes = Buffer.concat([Buffer.from(`${head}Content-Length: ${body.byteLength}\r\n\r\n`, 'latin1'), body])
    }
    return new Promise<WireResponse>((resolve, rejectRaw) => {
      const reject = (cause: unknown) => rejectRaw(mapError(cause))
      const watching = signal === undefined ? undefined : this.#watch(signal)
      let conn: Connection | undefined
      const attempt = (allowRetry: boolean) => {
        if (conn !== undefined) watching?.delete(conn)
        const pooled = this.#idle.pop()
        try {
          conn = pooled ?? this.#open()
        } catch (error) {
          reject(error)
          return
        }
        conn.reused = pooled !== undefined
        watching?.add(conn)
        conn.send(
          {
            resolve: (res) => {
              if (conn !== undefined) watching?.delete(conn)
              resolve(res)
            },
            reject: (error) => {
              if (conn !== undefined) watching?.delete(conn)
              reject(error)
            },
            retry: allowRetry && method === 'GET' ? () => attempt(false) : undefined,
          },
          bytes,
        )
      }
      attempt(true)
    })
  }

  /** The connections serving requests under `signal`; one abort listener per signal, not one per request. */
  #watch(signal: AbortSignal): Set<Connection> {
    let watching = this.#watched.get(signal)
    if (watching === undefined) {
      const set = new Set<Connection>()
      watching = set
      this.#watched.set(signal, set)
      signal.addEventListener(
        'abort',
        () => {
          for (const conn of [...set]) conn.abort(signal.reason)
          set.clear()
        },
        { once: true },
      )
    }
    return watching
  }

  #open(): Connection {
    if (this.#closed) throw new Error('the Runtime API client is closed')
    const conn = new Connection(this, this.host, this.port)
    this.#all.add(conn)
    return conn
  }

  /** Puts a connection back for the next request. */
  release(conn: Connection): void {
    if (this.#closed) {
      this.drop(conn)
      conn.socket.destroy()
    } else this.#idle.push(conn)
  }

  /** Forgets a connection (closed or failed). */
  drop(conn: Connection): void {
    this.#all.delete(conn)
    const i = this.#idle.indexOf(conn)
    if (i >= 0) this.#idle.splice(i, 1)
  }

  /** Closes every connection. */
  close(): void {
    this.#closed = true
    for (const conn of [...this.#all]) conn.abort(new Error('the Runtime API client is closed'))
    this.#idle.length = 0
  }
}

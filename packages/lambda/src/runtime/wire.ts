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

/** The longest response head (status line and headers) accepted. */
const MAX_HEAD = 64 * 1024
/** The longest chunk-size or trailer line accepted. */
const MAX_LINE = 8 * 1024

/** The received pieces of a body, joined once at the end (linear in the body's size). */
function join(parts: readonly Buffer[], length: number): Uint8Array {
  if (length === 0) return EMPTY
  // One copy into a buffer of its own: the body does not keep the socket's buffers alive.
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    if (offset >= length) break
    const n = Math.min(part.length, length - offset)
    out.set(n === part.length ? part : part.subarray(0, n), offset)
    offset += n
  }
  return out
}

/**
 * An incremental decoder of a chunked body: each piece of input is looked at once, chunk data is
 * kept as views and joined once at the end. The CRLF after each chunk's data is checked.
 */
class Dechunker {
  readonly #parts: Buffer[] = []
  #length = 0
  #state: 'size' | 'data' | 'crlf' | 'trailers' = 'size'
  #remaining = 0
  /** A line (chunk size or trailer) split across pieces of input. */
  #line: Buffer | undefined
  /** How many bytes of the CRLF after a chunk's data were seen. */
  #crlf = 0

  /** Takes more input; returns the body once its last chunk and trailers are in. */
  push(input: Buffer): Uint8Array | undefined {
    let pos = 0
    while (pos < input.length) {
      if (this.#state === 'data') {
        const n = Math.min(this.#remaining, input.length - pos)
        this.#parts.push(input.subarray(pos, pos + n))
        this.#length += n
        this.#remaining -= n
        pos += n
        if (this.#remaining === 0) this.#state = 'crlf'
        continue
      }
      if (this.#state === 'crlf') {
        if (input[pos] !== (this.#crlf === 0 ? 0x0d : 0x0a)) {
          throw new Error('malformed chunked body from the Runtime API: no CRLF after chunk data')
        }
        pos++
        if (++this.#crlf === 2) {
          this.#crlf = 0
          this.#state = 'size'
        }
        continue
      }
      // 'size' or 'trailers': one line
      const eol = input.indexOf(0x0a, pos)
      const end = eol < 0 ? input.length : eol + 1
      const piece = input.subarray(pos, end)
      const line = this.#line === undefined ? piece : Buffer.concat([this.#line, piece])
      pos = end
      if (eol < 0) {
        if (line.length > MAX_LINE) throw new Error('malformed chunked body from the Runtime API: line too long')
        this.#line = line
        continue
      }
      this.#line = undefined
      if (line.length < 2 || line[line.length - 2] !== 0x0d) {
        throw new Error('malformed chunked body from the Runtime API: a line does not end with CRLF')
      }
      const text = line.toString('latin1', 0, line.length - 2)
      if (this.#state === 'trailers') {
        if (text === '') return join(this.#parts, this.#length)
        continue
      }
      const size = (text.split(';')[0] as string).trim()
      if (!/^[0-9a-fA-F]{1,12}$/.test(size)) throw new Error(`bad chunk size ${JSON.stringify(size.slice(0, 20))}`)
      this.#remaining = Number.parseInt(size, 16)
      this.#state = this.#remaining === 0 ? 'trailers' : 'data'
    }
    return undefined
  }
}

/** How a response body is framed, and what of it was received. */
type Body =
  | { readonly kind: 'length'; readonly length: number; readonly parts: Buffer[]; received: number }
  | { readonly kind: 'chunked'; readonly dechunker: Dechunker }
  | { readonly kind: 'end'; readonly parts: Buffer[]; received: number }

/** One pooled HTTP/1.1 connection; one exchange at a time. */
class Connection {
  readonly socket: Socket
  #exchange: Exchange | undefined
  /** Bytes received before the end of the response head (small: at most MAX_HEAD). */
  #headBuf: Buffer | undefined
  #head: { status: number; headers: IncomingHttpHeaders; reusable: boolean; body: Body } | undefined
  #received = false
  reused = false

  constructor(
    readonly pool: WirePool,
    host: string,
    port: number,
  ) {
    this.socket = connect({ host, port, noDelay: true })
    this.socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    this.socket.on('end', () => this.#onEnd())
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
    this.#headBuf = undefined
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
    try {
      this.#parse(chunk)
    } catch (error) {
      this.#fail(error)
    }
  }

  /** The end of a body framed by the end of the connection. */
  #onEnd(): void {
    const head = this.#head
    if (head === undefined || head.body.kind !== 'end') return
    this.#complete(head.status, head.headers, join(head.body.parts, head.body.received), false)
  }

  #parse(chunk: Buffer): void {
    let input = chunk
    let head = this.#head
    if (head === undefined) {
      let buf = this.#headBuf === undefined ? chunk : Buffer.concat([this.#headBuf, chunk])
      for (;;) {
        const end = buf.indexOf(HEAD_END)
        if (end < 0) {
          if (buf.length > MAX_HEAD) throw new Error('response head from the Runtime API too large')
          this.#headBuf = buf
          return
        }
        const parsed = parseHead(buf.toString('latin1', 0, end))
        if (!parsed) throw new Error('malformed HTTP response from the Runtime API')
        buf = buf.subarray(end + 4)
        if (parsed.status >= 100 && parsed.status < 200) continue
        this.#headBuf = undefined
        head = { ...parsed, ...framing(parsed.status, parsed.headers) }
        this.#head = head
        input = buf
        break
      }
    }
    const body = head.body
    let done: Uint8Array | undefined
    if (body.kind === 'chunked') done = body.dechunker.push(input)
    else {
      if (input.length > 0) {
        body.parts.push(input)
        body.received += input.length
      }
      if (body.kind === 'length' && body.received >= body.length) done = join(body.parts, body.length)
    }
    if (done !== undefined) this.#complete(head.status, head.headers, done, head.reusable)
  }

  #complete(status: number, headers: IncomingHttpHeaders, body: Uint8Array, reusable: boolean): void {
    const exchange = this.#exchange
    this.#exchange = undefined
    this.#headBuf = undefined
    this.#head = undefined
    if (reusable) this.pool.release(this)
    else {
      this.pool.drop(this)
      this.socket.destroy()
    }
    exchange?.resolve({ status, headers, body })
  }
}

/** How the body of a response with this head is framed, and whether the connection stays open after it. */
function framing(status: number, headers: IncomingHttpHeaders): { reusable: boolean; body: Body } {
  const reusable = !/\bclose\b/i.test(String(headers.connection ?? ''))
  const te = headers['transfer-encoding']
  if (te !== undefined && /chunked/i.test(String(te))) {
    return { reusable, body: { kind: 'chunked', dechunker: new Dechunker() } }
  }
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length'])
    if (!Number.isSafeInteger(length) || length < 0) throw new Error('bad content-length from the Runtime API')
    return { reusable, body: { kind: 'length', length, parts: [], received: 0 } }
  }
  if (status === 204 || status === 304) return { reusable, body: { kind: 'length', length: 0, parts: [], received: 0 } }
  // framed by the end of the connection
  return { reusable: false, body: { kind: 'end', parts: [], received: 0 } }
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

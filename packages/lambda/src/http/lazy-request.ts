/**
 * A `Request` whose costly parts are built on first use. `new Request(url)` costs ~8–10 µs on Node 20
 * (an AbortSignal, header lists, body streams); a Lambda HTTP service often reads only the method, the
 * URL and a few headers. A `LazyRequest` is a real `Request` (`instanceof Request`, every property and
 * body method works, `new Request(lazy)` and `fetch(lazy)` work) that answers `method`, `url`,
 * `headers`, `signal` and the body readers from the event, and builds the underlying `Request` only
 * when some other part of the fetch API needs it.
 * @module
 */
import { Buffer } from 'node:buffer'
import { lazyHeaders } from './lazy-headers'

/** What a Request is built from; produced by the event parser (already validated). */
export interface RequestParts {
  /** Normalised method (as `new Request` would report it). */
  readonly method: string
  /** Serialised absolute URL (`new URL(...).href`). */
  readonly url: string
  /** Multi-value header map (appended first, every value). */
  readonly multi: Readonly<Record<string, unknown>> | undefined
  /** Single-value header map (names not present in `multi`). */
  readonly single: Readonly<Record<string, unknown>> | undefined
  /** A `Cookie` header value that replaces any in the maps (v2 `cookies`). */
  readonly cookie: string | undefined
  /** The body: bytes (base64 events), text, or `null` for none. */
  readonly body: Uint8Array | string | null
  /** Whether a header value has characters above U+00FF (sent as their UTF-8 bytes). */
  readonly wide: boolean
  /** The body's byte length (0 when none). */
  readonly length: number
  /** The request's signal (the invocation deadline), if any. */
  readonly signal: AbortSignal | undefined
  /**
   * The lower-cased header map the parser built while validating (as lazy-headers' `headerMap()` would), `false` when the
   * headers must be read through an ordinary `Headers` (they hold `set-cookie`), or `undefined` to build it on
   * first read.
   */
  readonly headerMap?: ReadonlyMap<string, string> | false | undefined
}

const decoder = new TextDecoder()

function byteString(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1')
}

function append(headers: Headers, name: string, value: string, replace = false): void {
  try {
    if (replace) headers.set(name, value)
    else headers.append(name, value)
  } catch {
    // Values API Gateway decoded to characters above U+00FF: present their UTF-8 bytes, as node:http would.
    if (replace) headers.set(name, byteString(value))
    else headers.append(name, byteString(value))
  }
}

/**
 * Builds the `Headers` of a request: multi-value entries, then single-value names the multi-value map does not
 * have (in any case), then fixes.
 */
export function buildHeaders(parts: RequestParts): Headers {
  const headers = new Headers()
  const { multi, single } = parts
  if (multi) {
    for (const name in multi) {
      const values = multi[name]
      if (!Array.isArray(values)) continue
      for (const value of values) if (typeof value === 'string') append(headers, name, value)
    }
  }
  if (single) {
    for (const name in single) {
      const value = single[name]
      if (typeof value === 'string' && (multi === undefined || (!Array.isArray(multi[name]) && !headers.has(name))))
        append(headers, name, value)
    }
  }
  if (parts.cookie !== undefined) append(headers, 'cookie', parts.cookie, true)
  if (parts.body !== null) {
    headers.set('content-length', String(parts.length))
    headers.delete('transfer-encoding')
  } else if (headers.has('content-length')) {
    headers.set('content-length', '0')
  }
  return headers
}

function bodyText(body: Uint8Array | string | null): string {
  if (body === null) return ''
  if (typeof body !== 'string') return decoder.decode(body)
  const wellFormed =
    (body as { isWellFormed?: () => boolean }).isWellFormed?.() === false ? decoder.decode(Buffer.from(body)) : body
  return wellFormed.charCodeAt(0) === 0xfeff ? wellFormed.slice(1) : wellFormed
}

function bodyBytes(body: Uint8Array | string | null): Uint8Array {
  if (body === null) return new Uint8Array(0)
  return new Uint8Array(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
}

function used(): Promise<never> {
  return Promise.reject(new TypeError('Body is unusable: Body has already been read'))
}

let installed: boolean | undefined

/** Where a request's signal comes from when `parts.signal` is unset: read only when the request's signal is (a Lambda context). */
export interface SignalHolder {
  readonly signal: AbortSignal
}

/** See the module comment. Instances are made by {@link createRequest}. */
class LazyRequest {
  readonly #parts: RequestParts
  readonly #holder: SignalHolder | undefined
  #headers: Headers | undefined
  #real: Request | undefined
  #used = false

  constructor(parts: RequestParts, holder: SignalHolder | undefined) {
    this.#parts = parts
    this.#holder = holder
  }

  /** Installs the prototype chain and the internal-slot forwarders; false when this Node's fetch has none. */
  static install(): boolean {
    const probe = new Request('http://localhost/')
    const symbols = Object.getOwnPropertySymbols(probe)
    if (!symbols.some((s) => s.description === 'state')) return false
    Object.setPrototypeOf(LazyRequest.prototype, Request.prototype)
    for (const symbol of symbols) {
      Object.defineProperty(LazyRequest.prototype, symbol, {
        configurable: true,
        get(this: LazyRequest) {
          return (this.#materialize() as unknown as Record<symbol, unknown>)[symbol]
        },
      })
    }
    return true
  }

  #materialize(): Request {
    if (this.#real !== undefined) return this.#real
    const parts = this.#parts
    const init: RequestInit = { method: parts.method, headers: this.headers }
    if (parts.body !== null) init.body = parts.body as BodyInit
    const signal = parts.signal ?? this.#holder?.signal
    if (signal !== undefined) init.signal = signal
    const real = new Request(parts.url, init)
    if (this.#used && real.body !== null) void real.body.cancel()
    this.#real = real
    return real
  }

  get method(): string {
    return this.#parts.method
  }

  get url(): string {
    return this.#parts.url
  }

  get headers(): Headers {
    if (this.#headers === undefined) {
      this.#headers = this.#real ? this.#real.headers : lazyHeaders(this.#parts, buildHeaders)
    }
    return this.#headers
  }

  get signal(): AbortSignal {
    return this.#parts.signal ?? this.#holder?.signal ?? this.#materialize().signal
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#real === undefined && this.#parts.body === null) return null
    return this.#materialize().body
  }

  get bodyUsed(): boolean {
    return this.#real !== undefined ? this.#real.bodyUsed : this.#used
  }

  text(): Promise<string> {
    if (this.#real !== undefined) return this.#real.text()
    if (this.#used) return used()
    if (this.#parts.body !== null) this.#used = true
    return Promise.resolve(bodyText(this.#parts.body))
  }

  json(): Promise<unknown> {
    return this.text().then(JSON.parse)
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#real !== undefined) return this.#real.arrayBuffer()
    return this.bytes().then((bytes) => bytes.buffer as ArrayBuffer)
  }

  bytes(): Promise<Uint8Array> {
    if (this.#real !== undefined) {
      const real = this.#real as Request & { bytes?: () => Promise<Uint8Array> }
      return real.bytes ? real.bytes() : real.arrayBuffer().then((b) => new Uint8Array(b))
    }
    if (this.#used) return used()
    if (this.#parts.body !== null) this.#used = true
    return Promise.resolve(bodyBytes(this.#parts.body))
  }

  blob(): Promise<Blob> {
    return this.#materialize().blob()
  }

  formData(): Promise<FormData> {
    return this.#materialize().formData()
  }

  clone(): Request {
    return this.#materialize().clone()
  }
}

/**
 * A `Request` for `parts` (its signal is `parts.signal`, else `holder.signal` read when first needed): lazy where this runtime's fetch allows it (undici with symbol-keyed internal
 * slots, as in Node 20 and 22), otherwise an ordinary eagerly built `Request`.
 */
export function createRequest(parts: RequestParts, holder?: SignalHolder): Request {
  installed ??= LazyRequest.install()
  if (installed) return new LazyRequest(parts, holder) as unknown as Request
  const init: RequestInit = { method: parts.method, headers: buildHeaders(parts) }
  if (parts.body !== null) init.body = parts.body as BodyInit
  const signal = parts.signal ?? holder?.signal
  if (signal !== undefined) init.signal = signal
  return new Request(parts.url, init)
}

/** Forces eager (`false`) or automatic (`undefined`) request building; for tests of the fallback path. */
export function setLazyRequests(mode: false | undefined): void {
  installed = mode === false ? false : undefined
}

/** Whether requests are built lazily on this runtime (for tests and benchmarks). */
export function lazyRequests(): boolean {
  installed ??= LazyRequest.install()
  return installed
}

/**
 * The lightweight `Request`: an object whose prototype chain reaches the runtime's `Request.prototype`
 * (`instanceof Request` holds) and whose `method`, `url`, `headers`, `signal` and body readers answer from a
 * {@link RequestSource} (a node:http request, a Lambda event). The runtime's own `Request` is built only when
 * something else is needed (the body stream, `clone()`, `cache`, …), through public API only.
 *
 * The runtime's fetch reads its own objects' private state, so `new Request(lite)` and `fetch(lite)` work once
 * turret's globals are installed (`installGlobals()`): they hand the runtime the built request. Where the
 * globals are not installed, `serve()` and the Lambda adapter build ordinary requests instead.
 * @module
 */
import { native } from './native'
import { bodyBytes, bodyText } from './response'

/** What a lightweight request answers from. */
export interface RequestSource {
  /** The method, normalised as `new Request` reports it. */
  readonly method: string
  /** The absolute, serialised URL. */
  readonly url: string
  /** The body when it is in memory, `null` for none, `undefined` when it must be streamed ({@link stream}). */
  readonly body: string | Uint8Array | null | undefined
  /** The request's headers, called once on first read. */
  headers(): Headers
  /** The request's signal, called once on first read. */
  signal(): AbortSignal
  /** The body stream, called once when the body is read and {@link body} is `undefined`. */
  stream(): ReadableStream<Uint8Array>
}

/** Keys of the methods by which any copy of this module recognises a lightweight request (registered). */
const MATERIALIZE: unique symbol = Symbol.for('turret.lite.materialize') as never
const UNTOUCHED: unique symbol = Symbol.for('turret.lite.untouched') as never

function unusable(): Promise<never> {
  return Promise.reject(new TypeError('Body is unusable: Body has already been read'))
}

/** See the module comment. Made by {@link liteRequest}. */
export class LiteRequest {
  readonly #source: RequestSource
  #headers: Headers | undefined
  #signal: AbortSignal | undefined
  #real: Request | undefined
  #used = false

  constructor(source: RequestSource) {
    this.#source = source
  }

  /** The runtime's request for a lightweight one (built once); any other value as it is. */
  static unwrap<T>(input: T): T | Request {
    const own = (input as { [MATERIALIZE]?: unknown } | null | undefined)?.[MATERIALIZE]
    return typeof own === 'function' ? (own.call(input) as Request) : input
  }

  /** Whether nothing costly was built yet: no runtime request, headers or signal (for tests). */
  static untouched(req: unknown): boolean {
    const own = (req as { [UNTOUCHED]?: unknown } | null | undefined)?.[UNTOUCHED]
    return typeof own === 'function' && own.call(req) === true
  }

  /** See {@link LiteRequest.unwrap}: answered by the instance, so any copy of this module recognises it. */
  [MATERIALIZE](): Request {
    return this.#materialize()
  }

  /** See {@link LiteRequest.untouched}. */
  [UNTOUCHED](): boolean {
    return this.#real === undefined && this.#headers === undefined && this.#signal === undefined
  }

  #materialize(): Request {
    if (this.#real !== undefined) return this.#real
    const source = this.#source
    const headers = this.headers
    const init: RequestInit & { duplex?: 'half' } = { method: source.method, headers, signal: this.signal }
    if (this.#used) {
      init.body = new Uint8Array(0)
    } else if (source.body === undefined) {
      init.body = source.stream()
      init.duplex = 'half'
    } else if (source.body !== null) {
      init.body = source.body as string | Uint8Array<ArrayBuffer>
    }
    const real = new native.Request(source.url, init)
    // A string body makes the runtime add `content-type: text/plain;charset=UTF-8`: the client sent none.
    if (!headers.has('content-type') && real.headers.has('content-type')) real.headers.delete('content-type')
    if (this.#used) void real.arrayBuffer()
    this.#real = real
    return real
  }

  get method(): string {
    return this.#source.method
  }

  get url(): string {
    return this.#source.url
  }

  get headers(): Headers {
    this.#headers ??= this.#real?.headers ?? this.#source.headers()
    return this.#headers
  }

  get signal(): AbortSignal {
    this.#signal ??= this.#source.signal()
    return this.#signal
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#real === undefined && this.#source.body === null) return null
    return this.#materialize().body
  }

  get bodyUsed(): boolean {
    return this.#real !== undefined ? this.#real.bodyUsed : this.#used
  }

  /** The in-memory body, taken (marked used); `undefined` when the runtime's request must read it. */
  #take(): string | Uint8Array | null | undefined | false {
    if (this.#real !== undefined || this.#source.body === undefined) return undefined
    if (this.#used) return false
    if (this.#source.body !== null) this.#used = true
    return this.#source.body
  }

  /** The body as text (UTF-8, as the runtime decodes it). */
  text(): Promise<string> {
    const body = this.#take()
    if (body === false) return unusable()
    return body === undefined ? this.#materialize().text() : Promise.resolve(bodyText(body))
  }

  /** The body parsed as JSON. */
  json(): Promise<unknown> {
    return this.text().then(JSON.parse)
  }

  /** The body as bytes. */
  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    const body = this.#take()
    if (body === false) return unusable()
    if (body === undefined)
      return this.#materialize()
        .arrayBuffer()
        .then((b) => new Uint8Array(b))
    return Promise.resolve(bodyBytes(body))
  }

  /** The body as an `ArrayBuffer`. */
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.bytes().then((bytes) => bytes.buffer)
  }

  /** The body as a `Blob` (builds the runtime object). */
  blob(): Promise<Blob> {
    return this.#materialize().blob()
  }

  /** The body as `FormData` (builds the runtime object). */
  formData(): Promise<FormData> {
    return this.#materialize().formData()
  }

  /** A copy whose body can be read separately. */
  clone(): Request {
    return this.#materialize().clone()
  }

  /** What `util.inspect` shows. */
  inspect(): string {
    return `Request (lightweight) { method: ${JSON.stringify(this.method)}, url: ${JSON.stringify(this.url)} }`
  }
}

const proto = LiteRequest.prototype as unknown as Record<PropertyKey, unknown>
Object.setPrototypeOf(proto, native.Request.prototype)
Object.defineProperty(proto, Symbol.for('nodejs.util.inspect.custom'), {
  configurable: true,
  value(this: LiteRequest) {
    return this.inspect()
  },
})
Object.defineProperty(proto, 'inspect', { enumerable: false })
// Every other member (cache, credentials, mode, redirect, referrer, keepalive, duplex…) reads the built request.
for (const name of Object.getOwnPropertyNames(native.Request.prototype)) {
  if (name === 'constructor' || Object.hasOwn(proto, name)) continue
  const desc = Object.getOwnPropertyDescriptor(native.Request.prototype, name)
  if (desc?.get !== undefined) {
    Object.defineProperty(proto, name, {
      configurable: true,
      get(this: LiteRequest) {
        return (LiteRequest.unwrap(this) as unknown as Record<string, unknown>)[name]
      },
    })
  } else if (typeof desc?.value === 'function') {
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value(this: LiteRequest, ...args: unknown[]) {
        const real = LiteRequest.unwrap(this) as unknown as Record<string, (...a: unknown[]) => unknown>
        return real[name]?.(...args)
      },
    })
  }
}

/** A lightweight request for `source`. */
export function liteRequest(source: RequestSource): Request {
  return new LiteRequest(source) as unknown as Request
}

/** An ordinary request for `source`, built at once (where turret's globals are not installed). */
export function nativeRequest(source: RequestSource): Request {
  return LiteRequest.unwrap(new LiteRequest(source)) as Request
}

/**
 * The lightweight `Response`: an object whose prototype chain reaches the runtime's `Response.prototype`
 * (`instanceof Response` holds) and whose getters and body readers answer from the parts it was made from
 * (status, a flat header list, a string or bytes body). The runtime's own `Response` is built only when
 * something needs it (the body stream, `blob()`, `formData()`), from those parts and through public API only,
 * so it behaves the same on every Node. `serve()` and the Lambda adapter read an untouched one straight
 * from its parts.
 * @module
 */
import { native } from './native'
import { isHeaderValue, isToken } from './token'

/** The parts of a lightweight response: header names lowercased, a flat `[name, value, …]` list. */
export interface LiteParts {
  readonly status: number
  readonly statusText: string
  readonly headers: readonly string[]
  readonly body: string | Uint8Array | null
}

/**
 * Keys of the methods by which any copy of this module (ESM and CJS builds, two installed versions) recognises
 * a lightweight response, registered so that every copy shares them.
 */
const PRISTINE: unique symbol = Symbol.for('turret.lite.pristine') as never
const SOURCE: unique symbol = Symbol.for('turret.lite.source') as never
const encoder = new TextEncoder()
const decoder = new TextDecoder()
const WIDE = /[\u0100-\uffff]/
const EDGE_SPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g

function unusable(): Promise<never> {
  return Promise.reject(new TypeError('Body is unusable: Body has already been read'))
}

/** What a body decodes to as text, as the fetch API's `text()` answers it (UTF-8, BOM dropped). */
export function bodyText(body: string | Uint8Array | null): string {
  if (body === null) return ''
  if (typeof body !== 'string') return decoder.decode(body)
  const s = body as string & { isWellFormed(): boolean; toWellFormed(): string }
  const wellFormed = s.isWellFormed() ? body : s.toWellFormed()
  return wellFormed.charCodeAt(0) === 0xfeff ? wellFormed.slice(1) : wellFormed
}

/** A fresh copy of a body's bytes. */
export function bodyBytes(body: string | Uint8Array | null): Uint8Array<ArrayBuffer> {
  if (body === null) return new Uint8Array(0)
  return typeof body === 'string' ? encoder.encode(body) : new Uint8Array(body)
}

/** See the module comment. Made by {@link liteResponse}. */
export class LiteResponse {
  readonly #parts: LiteParts
  #headers: Headers | undefined
  #real: Response | undefined
  #used = false

  constructor(parts: LiteParts) {
    this.#parts = parts
  }

  /** The parts while nothing touched the headers or the body; else `undefined` (also for other objects). */
  static pristine(res: unknown): LiteParts | undefined {
    const own = (res as { [PRISTINE]?: unknown } | null | undefined)?.[PRISTINE]
    return typeof own === 'function' ? (own.call(res) as LiteParts | undefined) : undefined
  }

  /** The in-memory body while unread and no stream was read; `undefined` when it must be read as a stream. */
  static source(res: unknown): string | Uint8Array | null | undefined | false {
    const own = (res as { [SOURCE]?: unknown } | null | undefined)?.[SOURCE]
    return typeof own === 'function' ? (own.call(res) as string | Uint8Array | null | undefined) : false
  }

  /** See {@link LiteResponse.pristine}: answered by the instance, so any copy of this module recognises it. */
  [PRISTINE](): LiteParts | undefined {
    return this.#real === undefined && this.#headers === undefined && !this.#used ? this.#parts : undefined
  }

  /** See {@link LiteResponse.source}. */
  [SOURCE](): string | Uint8Array | null | undefined {
    if (this.#used) return undefined
    const real = this.#real
    // A stream that was made but never read or locked still holds exactly the source (public API only).
    if (real !== undefined && (real.bodyUsed || real.body?.locked === true)) return undefined
    return this.#parts.body
  }

  /** The runtime's response, body attached (a body read through this object stays used). */
  #whole(): Response {
    if (this.#real !== undefined) return this.#real
    const { status, statusText, headers, body } = this.#parts
    const init: ResponseInit = { status, statusText, headers: this.#headers ?? pairs(headers) }
    const real = new native.Response(
      this.#used ? new Uint8Array(0) : (body as string | Uint8Array<ArrayBuffer> | null),
      init,
    )
    // A body read through this object is used (disturbed and locked) on the runtime's response too.
    if (this.#used) void real.arrayBuffer()
    if (this.#headers === undefined) this.#headers = real.headers
    this.#real = real
    return real
  }

  get type(): 'default' {
    return 'default'
  }

  get url(): string {
    return ''
  }

  get redirected(): boolean {
    return false
  }

  get status(): number {
    return this.#parts.status
  }

  get ok(): boolean {
    return this.#parts.status >= 200 && this.#parts.status <= 299
  }

  get statusText(): string {
    return this.#parts.statusText
  }

  get headers(): Headers {
    if (this.#headers === undefined) {
      const h = new native.Headers()
      const list = this.#parts.headers
      for (let i = 0; i < list.length; i += 2) h.append(list[i] as string, list[i + 1] as string)
      this.#headers = h
    }
    return this.#headers
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#real === undefined && this.#parts.body === null) return null
    return this.#whole().body
  }

  get bodyUsed(): boolean {
    return this.#real !== undefined ? this.#real.bodyUsed || this.#used : this.#used
  }

  #take(): boolean {
    if (this.#used) return false
    if (this.#parts.body !== null) this.#used = true
    return true
  }

  /** The body as text (UTF-8, as the runtime decodes it). */
  text(): Promise<string> {
    if (this.#real !== undefined) return this.#real.text()
    return this.#take() ? Promise.resolve(bodyText(this.#parts.body)) : unusable()
  }

  /** The body parsed as JSON. */
  json(): Promise<unknown> {
    if (this.#real !== undefined) return this.#real.json()
    return this.text().then(JSON.parse)
  }

  /** The body as bytes. */
  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#real !== undefined) return this.#real.arrayBuffer().then((b) => new Uint8Array(b))
    return this.#take() ? Promise.resolve(bodyBytes(this.#parts.body)) : unusable()
  }

  /** The body as an `ArrayBuffer`. */
  arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#real !== undefined) return this.#real.arrayBuffer()
    return this.bytes().then((bytes) => bytes.buffer)
  }

  /** The body as a `Blob` (builds the runtime object). */
  blob(): Promise<Blob> {
    if (this.#used && this.#real === undefined) return unusable()
    return this.#whole().blob()
  }

  /** The body as `FormData` (builds the runtime object). */
  formData(): Promise<FormData> {
    if (this.#used && this.#real === undefined) return unusable()
    return this.#whole().formData()
  }

  /** A copy whose body can be read separately. */
  clone(): Response {
    if (this.#real !== undefined) return this.#real.clone()
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.')
    let parts = this.#parts
    if (this.#headers !== undefined) {
      const headers: string[] = []
      for (const [name, value] of this.#headers) headers.push(name, value)
      parts = { status: parts.status, statusText: parts.statusText, headers, body: parts.body }
    }
    return new LiteResponse(parts) as unknown as Response
  }

  /** What `util.inspect` shows. */
  inspect(): string {
    const { status, statusText, body } = this.#parts
    const text = typeof body === 'string' ? body : body === null ? 'null' : `<${body.byteLength} bytes>`
    const preview = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)
    return `Response (lightweight) { status: ${status}, statusText: ${JSON.stringify(statusText)}, body: ${preview} }`
  }
}

Object.setPrototypeOf(LiteResponse.prototype, native.Response.prototype)
Object.defineProperty(LiteResponse.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  configurable: true,
  value(this: LiteResponse) {
    return this.inspect()
  },
})
Object.defineProperty(LiteResponse.prototype, 'inspect', { enumerable: false })

function pairs(list: readonly string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i < list.length; i += 2) out.push([list[i] as string, list[i + 1] as string])
  return out
}

/** webidl `unsigned short`, as `new Response` converts `init.status`. */
function unsignedShort(value: unknown): number {
  const n = Math.trunc(Number(value))
  return Number.isFinite(n) ? ((n % 65536) + 65536) % 65536 : 0
}

function byteString(value: unknown, what: string): string {
  const s = String(value)
  if (WIDE.test(s)) throw new TypeError(`${what}: ${JSON.stringify(s)} is not a valid ByteString.`)
  return s
}

function addHeader(out: string[], name: unknown, value: unknown): void {
  const n = byteString(name, 'Headers.append')
  const v = byteString(value, 'Headers.append').replace(EDGE_SPACE, '')
  if (!isToken(n)) throw new TypeError(`Headers.append: "${n}" is an invalid header name.`)
  if (!isHeaderValue(v)) throw new TypeError(`Headers.append: "${v}" is an invalid header value.`)
  out.push(n.toLowerCase(), v)
}

/** Validates and flattens a headers init as `new Headers(init)` would, names lowercased. */
function flatten(init: object): string[] {
  const out: string[] = []
  if (init instanceof native.Headers) {
    for (const [name, value] of init) out.push(name, value)
    return out
  }
  if (Symbol.iterator in init) {
    for (const pair of init as Iterable<Iterable<unknown>>) {
      if (typeof pair !== 'object' || pair === null || !(Symbol.iterator in pair))
        throw new TypeError('Headers: a header init entry is not iterable.')
      const entry = [...pair]
      if (entry.length !== 2)
        throw new TypeError(`Headers: expected name/value pair to be length 2, found ${entry.length}.`)
      addHeader(out, entry[0], entry[1])
    }
    return out
  }
  const record = init as Record<string, unknown>
  for (const name of Object.keys(record)) addHeader(out, name, record[name])
  return out
}

function hasName(headers: readonly string[], name: string): boolean {
  for (let i = 0; i < headers.length; i += 2) if (headers[i] === name) return true
  return false
}

/** What `init` may hold: the fields of a `ResponseInit` (typed loosely: user input is validated here). */
export interface LiteInit {
  readonly status?: unknown
  readonly statusText?: unknown
  readonly headers?: unknown
}

/**
 * A lightweight response, validated like `new Response(body, init)`: `defaults` (a shared, never mutated
 * `['content-type', type]` or `[]`) is added unless `init` sets a content type.
 */
export function liteResponse(
  body: string | Uint8Array | null,
  init: LiteInit | null | undefined,
  defaults: readonly string[],
): Response {
  let status = 200
  let statusText = ''
  let headers = defaults
  if (init != null) {
    if (typeof init !== 'object') throw new TypeError('Response constructor: init is not an object.')
    if (init.status !== undefined) {
      status = unsignedShort(init.status)
      if (status < 200 || status > 599) {
        throw new RangeError('init["status"] must be in the range of 200 to 599, inclusive.')
      }
    }
    if (init.statusText != null) {
      statusText = String(init.statusText)
      for (let i = 0; i < statusText.length; i++) {
        const c = statusText.charCodeAt(i)
        if (!(c === 9 || (c >= 32 && c <= 126) || (c >= 128 && c <= 255))) throw new TypeError('Invalid statusText')
      }
    }
    if (init.headers != null) {
      if (typeof init.headers !== 'object' && typeof init.headers !== 'function')
        throw new TypeError('Headers: init is not an object or iterable.')
      const flat = flatten(init.headers as object)
      if (defaults.length > 0 && !hasName(flat, 'content-type')) flat.push(defaults[0] as string, defaults[1] as string)
      headers = flat
    }
  }
  if (body !== null && (status === 101 || status === 204 || status === 205 || status === 304)) {
    throw new TypeError(`Response constructor: Invalid response status code ${status}`)
  }
  return new LiteResponse({ status, statusText, headers, body }) as unknown as Response
}

/**
 * A `Response` whose undici object is built only when something needs it. `new Response('hello')`
 * costs ~20 µs on Node 20 (a byte stream, made transferable); a hello-world server needs none of it.
 * A lazy response is a real `Response` to user code (`instanceof Response`, every property and body
 * method, `Response.prototype` methods called on it, `new Response(lazy.body)`): it answers status,
 * body reads and `clone()` from its parts; `headers` builds a bodiless undici response (~1 µs) and
 * returns its real `Headers`; the body stream, or undici's symbol-keyed internal slots, build the
 * whole undici response (reusing those headers). `serve()` writes an untouched one straight to the
 * socket. Where the runtime's fetch keeps no symbol-keyed state, responses are built eagerly.
 * @internal
 * @module
 */

/** The parts of a lazy response: validated, header names lowercased, a flat `[name, value, …]` list. */
export interface LazyParts {
  readonly status: number
  readonly statusText: string
  readonly headers: readonly string[]
  readonly body: string
}

const NOT_LAZY: unique symbol = Symbol('turret.notLazy')

/**
 * The key of a lazy response's body getter (what {@link LazyResponse.source} answers): `responseBody()` reads it
 * without referring to the class, so a bundle that only reads bodies (the Lambda adapter) does not carry it.
 */
export const LAZY_SOURCE: unique symbol = Symbol('turret.lazySource')

const encoder = new TextEncoder()
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const WIDE = /[\u0100-\uffff]/
const BAD_VALUE = /[\0\r\n]/
const EDGE_SPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g

let stateSymbol: symbol | null | undefined
let installed: boolean | undefined

/** The `state` symbol of undici's responses, or `undefined` where it has none. */
export function responseStateSymbol(): symbol | undefined {
  stateSymbol ??= Object.getOwnPropertySymbols(new Response(null)).find((s) => s.description === 'state') ?? null
  return stateSymbol ?? undefined
}

function unusable(): Promise<never> {
  return Promise.reject(new TypeError('Body is unusable: Body has already been read'))
}

/** What a string body decodes back to after a UTF-8 round trip (as undici's `text()` returns it). */
function decoded(body: string): string {
  const s = body as string & { isWellFormed(): boolean; toWellFormed(): string }
  const wellFormed = s.isWellFormed() ? body : s.toWellFormed()
  return wellFormed.charCodeAt(0) === 0xfeff ? wellFormed.slice(1) : wellFormed
}

/** See the module comment. Instances are made by {@link lazyResponse}. */
class LazyResponse {
  readonly #parts: LazyParts
  /** The undici response: bodiless until `#attached` (only its headers were needed), then whole. */
  #real: Response | undefined
  #attached = false
  #used = false

  constructor(parts: LazyParts) {
    this.#parts = parts
  }

  /** Chains the prototype to `Response.prototype` and forwards undici's slots; false when it has none. */
  static install(): boolean {
    if (responseStateSymbol() === undefined) return false
    const symbols = Object.getOwnPropertySymbols(new Response(null))
    Object.setPrototypeOf(LazyResponse.prototype, Response.prototype)
    // Symbol-keyed members are defined here rather than as computed members, which would keep the class in
    // bundles that never make one.
    Object.defineProperty(LazyResponse.prototype, Symbol.for('nodejs.util.inspect.custom'), {
      configurable: true,
      value(this: LazyResponse) {
        return this.#inspect()
      },
    })
    Object.defineProperty(LazyResponse.prototype, LAZY_SOURCE, {
      configurable: true,
      get(this: Response) {
        return LazyResponse.source(this)
      },
    })
    for (const symbol of symbols) {
      Object.defineProperty(LazyResponse.prototype, symbol, {
        configurable: true,
        get(this: LazyResponse) {
          return (this.#whole() as unknown as Record<symbol, unknown>)[symbol]
        },
        set(this: LazyResponse, value: unknown) {
          ;(this.#whole() as unknown as Record<symbol, unknown>)[symbol] = value
        },
      })
    }
    return true
  }

  /** The parts, while nothing has touched the headers or the body; else {@link NOT_LAZY} or `undefined`. */
  static pristine(res: Response): LazyParts | undefined | typeof NOT_LAZY {
    if (!(#parts in res)) return NOT_LAZY
    const self = res as unknown as LazyResponse
    return self.#real === undefined && !self.#used ? self.#parts : undefined
  }

  /** The body string while it is unread and no stream was made; else {@link NOT_LAZY} or `undefined`. */
  static source(res: Response): string | undefined | typeof NOT_LAZY {
    if (!(#parts in res)) return NOT_LAZY
    const self = res as unknown as LazyResponse
    if (self.#attached) return NOT_LAZY
    return self.#used ? undefined : self.#parts.body
  }

  /** The undici response with its headers (bodiless until {@link #whole}). */
  #shell(): Response {
    if (this.#real !== undefined) return this.#real
    const { status, statusText, headers } = this.#parts
    const real = new Response(null, { status, statusText })
    const h = real.headers
    for (let i = 0; i < headers.length; i += 2) h.append(headers[i] as string, headers[i + 1] as string)
    this.#real = real
    return real
  }

  /** The whole undici response, body attached (a used body stays used). */
  #whole(): Response {
    if (this.#attached) return this.#real as Response
    if (this.#real === undefined) {
      const { status, statusText, headers } = this.#parts
      const list: [string, string][] = []
      for (let i = 0; i < headers.length; i += 2) list.push([headers[i] as string, headers[i + 1] as string])
      this.#real = new Response(this.#parts.body, { status, statusText, headers: list })
    } else {
      // Only the headers were built: move a body made from the same source into that response.
      const state = stateSymbol as symbol
      const donor = new Response(this.#parts.body) as unknown as Record<symbol, { body: unknown }>
      const target = this.#real as unknown as Record<symbol, { body: unknown }>
      ;(target[state] as { body: unknown }).body = (donor[state] as { body: unknown }).body
    }
    this.#attached = true
    // A body read through this object must look used (disturbed and locked) to undici too.
    if (this.#used) void this.#real.body?.getReader().cancel()
    return this.#real
  }

  get type(): ResponseType {
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
    return this.#shell().headers
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#whole().body
  }

  get bodyUsed(): boolean {
    return this.#attached ? (this.#real as Response).bodyUsed : this.#used
  }

  text(): Promise<string> {
    if (this.#attached) return (this.#real as Response).text()
    if (this.#used) return unusable()
    this.#used = true
    return Promise.resolve(decoded(this.#parts.body))
  }

  json(): Promise<unknown> {
    if (this.#attached) return (this.#real as Response).json()
    return this.text().then(JSON.parse)
  }

  bytes(): Promise<Uint8Array> {
    if (this.#attached) {
      const real = this.#real as Response & { bytes?: () => Promise<Uint8Array> }
      return real.bytes ? real.bytes() : real.arrayBuffer().then((b) => new Uint8Array(b))
    }
    if (this.#used) return unusable()
    this.#used = true
    return Promise.resolve(encoder.encode(this.#parts.body))
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#attached) return (this.#real as Response).arrayBuffer()
    return this.bytes().then((bytes) => bytes.buffer as ArrayBuffer)
  }

  blob(): Promise<Blob> {
    return this.#whole().blob()
  }

  formData(): Promise<FormData> {
    return this.#whole().formData()
  }

  clone(): Response {
    if (this.#attached) return (this.#real as Response).clone()
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.')
    let parts = this.#parts
    if (this.#real !== undefined) {
      // The headers may have been edited: the clone starts from what they are now.
      const headers: string[] = []
      for (const [name, value] of this.#real.headers) headers.push(name, value)
      parts = { status: parts.status, statusText: parts.statusText, headers, body: parts.body }
    }
    return new LazyResponse(parts) as unknown as Response
  }

  /** What `util.inspect` (and `console.log`) shows: installed under `nodejs.util.inspect.custom`. */
  #inspect(): string {
    const { status, statusText, body } = this.#parts
    const preview = JSON.stringify(body.length > 40 ? `${body.slice(0, 40)}…` : body)
    return `Response { status: ${status}, statusText: ${JSON.stringify(statusText)}, body: ${preview} (lazy) }`
  }
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
  if (!TOKEN.test(n)) throw new TypeError(`Headers.append: "${n}" is an invalid header name.`)
  if (BAD_VALUE.test(v)) throw new TypeError(`Headers.append: "${v}" is an invalid header value.`)
  out.push(n.toLowerCase(), v)
}

/** Validates and flattens a `HeadersInit` as `new Headers(init)` would, names lowercased. */
function flatten(init: HeadersInit): string[] {
  const out: string[] = []
  if (init instanceof Headers) {
    for (const [name, value] of init) out.push(name, value)
    return out
  }
  if (typeof init !== 'object' || init === null) throw new TypeError('Headers: init is not an object or iterable.')
  if (Symbol.iterator in init) {
    for (const pair of init as Iterable<Iterable<unknown>>) {
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

/** Whether this runtime's responses can be lazy (undici with symbol-keyed state, Node 20 and 22). */
export function lazyResponses(): boolean {
  installed ??= LazyResponse.install()
  return installed
}

/** Forces eager (`false`) or automatic (`undefined`) responses; for tests of the fallback path. */
export function setLazyResponses(mode: false | undefined): void {
  installed = mode === false ? false : mode
}

/**
 * A response with a string body and a default content type (`defaults` is a shared, never-mutated
 * `['content-type', type]`), validated like `new Response(body, init)`; lazy where the runtime allows.
 */
export function lazyResponse(body: string, init: ResponseInit | undefined, defaults: readonly string[]): Response {
  let status = 200
  let statusText = ''
  let headers = defaults
  if (init != null) {
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
      const flat = flatten(init.headers)
      if (!hasName(flat, 'content-type')) flat.push(defaults[0] as string, defaults[1] as string)
      headers = flat
    }
    if (status === 101 || status === 204 || status === 205 || status === 304) {
      throw new TypeError(`Response constructor: Invalid response status code ${status}`)
    }
  }
  if (!lazyResponses()) {
    const list: [string, string][] = []
    for (let i = 0; i < headers.length; i += 2) list.push([headers[i] as string, headers[i + 1] as string])
    return new Response(body, { status, statusText, headers: list })
  }
  return new LazyResponse({ status, statusText, headers, body }) as unknown as Response
}

/**
 * The parts of a lazy response nothing has touched yet (headers unread, body unread): what a server
 * writes without building anything. `undefined` for any other response.
 */
export function pristineParts(res: Response): LazyParts | undefined {
  const parts = LazyResponse.pristine(res)
  return parts === NOT_LAZY ? undefined : parts
}

export { NOT_LAZY }

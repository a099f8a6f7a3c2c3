/**
 * Response helpers, the idiomatic way to answer in turret (like Hono's `c.text()`): `text()`,
 * `json()` and `html()` return a real `Response` that is built lazily, so a server that writes it
 * straight to the socket (`serve()`) never pays for undici's body stream. And `responseBody()`, the
 * in-memory body of a response without reading its stream.
 * @module
 */
import { LAZY_SOURCE, lazyResponse, NOT_LAZY, responseStateSymbol } from './lazy'

const TEXT = ['content-type', 'text/plain; charset=utf-8'] as const
const JSON_TYPE = ['content-type', 'application/json'] as const
const HTML = ['content-type', 'text/html; charset=utf-8'] as const

/**
 * A `text/plain; charset=utf-8` response (unless `init` sets a content type). Validates `init` like
 * `new Response()` (a status outside 200–599 throws a `RangeError`; 204, 205, 304 a `TypeError`).
 *
 * The result is a real `Response` whose undici object (and body stream) is only built when some
 * fetch API needs it; `serve()` writes it without building anything.
 *
 * @example
 * ```ts
 * const hello = serviceFn(() => text('hello world'))
 * const created = text('made', { status: 201, headers: { location: '/things/1' } })
 * ```
 */
export function text(body: string, init?: ResponseInit): Response {
  return lazyResponse(String(body), init, TEXT)
}

/**
 * An `application/json` response of `JSON.stringify(value)` (unless `init` sets a content type);
 * throws a `TypeError` when the value has no JSON form (`undefined`, a function). See {@link text}.
 *
 * @example
 * ```ts
 * json({ id: 1 }, { status: 201 })
 * ```
 */
export function json(value: unknown, init?: ResponseInit): Response {
  const body = JSON.stringify(value)
  if (body === undefined) throw new TypeError('Value is not JSON serializable')
  return lazyResponse(body, init, JSON_TYPE)
}

/**
 * A `text/html; charset=utf-8` response (unless `init` sets a content type). See {@link text}.
 *
 * @example
 * ```ts
 * html('<h1>hello</h1>')
 * ```
 */
export function html(body: string, init?: ResponseInit): Response {
  return lazyResponse(String(body), init, HTML)
}

interface BodyState {
  body?: { stream?: ReadableStream | null; source?: unknown } | null
}

/**
 * The in-memory body of a response, without reading its stream: the string of a {@link text},
 * {@link json} or {@link html} response, or the string or bytes an undici `Response` was made from.
 * `null` when the response has no body; `undefined` when the body is a stream (or a `Blob`,
 * `FormData`…) or has been used, so it must be read as a stream.
 *
 * @example
 * ```ts
 * responseBody(text('hi')) // 'hi'
 * responseBody(new Response(new Uint8Array([1, 2]))) // Uint8Array [1, 2]
 * responseBody(new Response(null)) // null
 * ```
 */
export function responseBody(res: Response): string | Uint8Array | null | undefined {
  if (LAZY_SOURCE in res) {
    const lazy = (res as unknown as { readonly [LAZY_SOURCE]: string | undefined | typeof NOT_LAZY })[LAZY_SOURCE]
    if (lazy !== NOT_LAZY) return lazy
  }
  const state = responseStateSymbol()
  if (state === undefined) return res.body === null ? null : undefined
  const body = (res as unknown as Record<symbol, BodyState | undefined>)[state]?.body
  if (body === undefined) return res.body === null ? null : undefined // not undici's: ask the public API
  if (body === null) return null
  const source = body.source
  if (typeof source !== 'string' && !(source instanceof Uint8Array)) return undefined
  const stream = body.stream
  return stream == null || (!stream.locked && !disturbed(stream, res)) ? source : undefined
}

let streamState: symbol | null | undefined

/**
 * Whether a response's stream was ever read: `res.bodyUsed` without undici's brand checks, from the stream's own
 * `disturbed` flag (Node's web streams keep it in a symbol-keyed state); `res.bodyUsed` where there is none.
 */
function disturbed(stream: ReadableStream, res: Response): boolean {
  streamState ??= Object.getOwnPropertySymbols(stream).find((s) => s.description === 'kState') ?? null
  const flag =
    streamState === null
      ? undefined
      : (stream as unknown as Record<symbol, { disturbed?: unknown } | undefined>)[streamState]?.disturbed
  return typeof flag === 'boolean' ? flag : res.bodyUsed
}

/**
 * Response helpers, the idiomatic way to answer in turret (like Hono's `c.text()`): `text()`,
 * `json()` and `html()` return a real `Response` that is built lazily, so a server that writes it
 * straight to the socket (`serve()`) never pays for undici's body stream. And `responseBody()`, the
 * in-memory body of a response without reading its stream.
 * @module
 */
import { LiteResponse, liteResponse } from '../internal/response'

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
  return liteResponse(String(body), init, TEXT)
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
  return liteResponse(body, init, JSON_TYPE)
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
  return liteResponse(String(body), init, HTML)
}

/**
 * The in-memory body of a response, without reading its stream: the string or bytes of a lightweight response
 * ({@link text}, {@link json}, {@link html}, or `new Response(string | bytes)` while turret's globals are
 * installed) that nothing has read yet. `null` when the response has no body; `undefined` when the body is a
 * stream (any other response with a body, or a used one), so it must be read as a stream.
 *
 * @example
 * ```ts
 * responseBody(text('hi')) // 'hi'
 * responseBody(new Response(null)) // null
 * ```
 */
export function responseBody(res: Response): string | Uint8Array | null | undefined {
  const lite = LiteResponse.source(res)
  if (lite !== false) return lite
  return res.body === null ? null : undefined
}

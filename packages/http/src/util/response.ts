import type { BodyInitOrNull } from '../types'

/** A plain-text response with `Content-Type: text/plain; charset=utf-8` (tower-http's default error bodies). */
export function textResponse(
  status: number,
  body: string,
  headers?: ConstructorParameters<typeof Headers>[0],
): Response {
  const res = new Response(body, headers === undefined ? { status } : { status, headers })
  res.headers.set('content-type', 'text/plain; charset=utf-8')
  return res
}

/** A response with an empty body and the given status. */
export function emptyResponse(status: number): Response {
  return new Response(null, { status })
}

/**
 * The same response with `status` (and optionally headers/body) replaced. A `Response`'s status
 * is read-only, so this builds a new one over the same body stream and headers.
 */
export function withStatus(res: Response, status: number): Response {
  return new Response(nullBodyStatus(status) ? null : res.body, { status, headers: res.headers })
}

/** Statuses whose responses must not carry a body (101, 103, 204, 205, 304). */
export function nullBodyStatus(status: number): boolean {
  return status === 101 || status === 103 || status === 204 || status === 205 || status === 304
}

/** A response over a new body stream that keeps the status, status text and headers of `res`. */
export function withBody(res: Response, body: BodyInitOrNull): Response {
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers })
}

/**
 * Applies `edit` to the response's headers. When they are immutable (a response from `fetch()`,
 * `Response.redirect()`…), edits a copy over the same body instead. Returns the response to use.
 */
export function editHeaders(res: Response, edit: (headers: Headers) => void): Response {
  try {
    edit(res.headers)
    return res
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    const copy = new Response(res.body, { status: res.status, statusText: res.statusText, headers: res.headers })
    edit(copy.headers)
    return copy
  }
}

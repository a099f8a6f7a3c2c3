import type { IncomingMessage, ServerResponse } from 'node:http'

/** The body was larger than the limit; `size` is how many bytes had arrived when reading stopped. */
export class BodyTooLarge extends Error {
  override name = 'BodyTooLarge'
  constructor(readonly size: number) {
    super('body too large')
  }
}

/**
 * Reads a request body up to `limit` bytes. Rejects with {@link BodyTooLarge} as soon as the limit
 * is passed (the rest of the body is drained, not buffered).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > limit) {
      req.resume()
      reject(new BodyTooLarge(declared))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      if (over) return
      size += chunk.length
      if (size > limit) {
        over = true
        chunks.length = 0
        reject(new BodyTooLarge(size))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks))
    })
    req.on('error', reject)
    req.on('aborted', () => reject(new Error('request aborted')))
  })
}

/** Writes a JSON response (unless the socket is gone). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** The Runtime API's error body (`{ errorMessage, errorType }`), as RAPID renders it. */
export function runtimeError(res: ServerResponse, status: number, errorType: string, errorMessage: string): void {
  sendJson(res, status, { errorMessage, errorType })
}

/** A header value as one string (the first of repeated headers). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

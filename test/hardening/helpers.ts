/** Shared helpers of the hardening tests (loopback only). */
import { connect } from 'node:net'

/** A raw HTTP/1.1 exchange: the status (0 when the server closed without one), headers and body. */
export interface RawResponse {
  readonly status: number
  readonly head: string
  readonly body: string
}

/**
 * Sends `request` byte for byte to 127.0.0.1:`port` (no client-side validation or URL
 * normalisation) and reads until the server closes. `closeAfterMs` closes our side after a
 * while, for servers that keep a connection waiting on purpose.
 */
export function rawExchange(port: number, request: string | Buffer, closeAfterMs = 5_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    const chunks: Buffer[] = []
    const timer = setTimeout(() => socket.destroy(), closeAfterMs)
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return // the close event still follows
      clearTimeout(timer)
      reject(error)
    })
    socket.on('close', () => {
      clearTimeout(timer)
      const text = Buffer.concat(chunks).toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      const head = end >= 0 ? text.slice(0, end) : text
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head)
      resolve({ status: match ? Number(match[1]) : 0, head, body: end >= 0 ? text.slice(end + 4) : '' })
    })
    socket.write(request)
  })
}

/** `GET <target>` with `Connection: close`, the target sent as is. */
export function rawGet(
  port: number,
  target: string,
  headers: Record<string, string> | readonly (readonly [string, string])[] = {},
  closeAfterMs = 5_000,
): Promise<RawResponse> {
  const lines = [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close']
  for (const [k, v] of Array.isArray(headers) ? headers : Object.entries(headers)) lines.push(`${k}: ${v}`)
  return rawExchange(port, `${lines.join('\r\n')}\r\n\r\n`, closeAfterMs)
}

/** Decodes a chunked body (enough for the responses of these tests). */
export function dechunk(body: string): string {
  let out = ''
  let rest = body
  for (;;) {
    const eol = rest.indexOf('\r\n')
    if (eol < 0) return out + rest
    const size = Number.parseInt(rest.slice(0, eol), 16)
    if (!Number.isFinite(size) || size === 0) return out
    out += rest.slice(eol + 2, eol + 2 + size)
    rest = rest.slice(eol + 4 + size)
  }
}

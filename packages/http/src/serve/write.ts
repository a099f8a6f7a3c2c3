/** How serve() writes a response to node:http: headers, a lightweight response's parts, a streamed body. */
import type { ServerResponse } from 'node:http'
import type { LiteParts } from '../internal/index'

const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade'])

/** A fetch `Response`'s headers as node:http takes them, connection-level headers dropped. */
export function responseHeaders(res: Response): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of res.headers) {
    if (name === 'set-cookie') out[name] = res.headers.getSetCookie()
    else if (!CONNECTION_HEADERS.has(name)) out[name] = value
  }
  return out
}

function drained(nres: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      nres.off('drain', done)
      nres.off('close', done)
      resolve()
    }
    nres.on('drain', done)
    nres.on('close', done)
  })
}

/** Writes a streamed body with backpressure, cancelling it if the client leaves. */
export async function pump(body: ReadableStream<Uint8Array>, nres: ServerResponse): Promise<void> {
  const reader = body.getReader()
  // The client may leave while the body waits for data (an event stream): cancel it then.
  const onClose = () => {
    if (!nres.writableFinished) reader.cancel(new Error('client disconnected')).catch(() => {})
  }
  nres.once('close', onClose)
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (nres.destroyed) return
      if (!nres.write(value)) await drained(nres)
    }
    if (!nres.destroyed) nres.end()
  } catch (error) {
    reader.cancel(error).catch(() => {})
    if (!nres.destroyed) throw error
  } finally {
    nres.off('close', onClose)
  }
}

/** Writes a lightweight response nobody touched: its status, header list and body, nothing built. */
export function writeParts(nres: ServerResponse, parts: LiteParts, head: boolean): void {
  const list = parts.headers
  const out: string[] = []
  let length = false
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i] as string
    if (CONNECTION_HEADERS.has(name)) continue
    if (name === 'content-length') length = true
    out.push(name, list[i + 1] as string)
  }
  const body = parts.body
  if (!length && (body !== null || (parts.status !== 304 && parts.status !== 204)))
    out.push(
      'content-length',
      String(body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength),
    )
  nres.writeHead(parts.status, parts.statusText || undefined, out)
  if (head || body === null) nres.end()
  else nres.end(body)
}

/** Answers a short plain-text error, or drops the connection when the head is already sent. */
export function plain(nres: ServerResponse, status: number, text: string): void {
  if (nres.headersSent) {
    nres.destroy()
    return
  }
  nres.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  nres.end(text)
}

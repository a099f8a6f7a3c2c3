/** The file-serving engine of `serveDir` / `serveFile`: conditional requests, ranges, streaming. */
import { constants, type Stats } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import type { Encoding } from '../compression/encoding'

/** What to send a file as. */
export interface FileMeta {
  readonly contentType: string
  readonly encoding: Encoding | undefined
  readonly varyAcceptEncoding: boolean
  readonly chunkSize: number
}

/** Errors that mean "there is no such file here" (answered 404), as tower-http. */
const NOT_FOUND_CODES = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EISDIR', 'ENAMETOOLONG', 'ELOOP', 'EINVAL'])

/** Whether an fs error means the file is missing (404) rather than a server fault (500). */
export function isNotFound(error: unknown): boolean {
  return NOT_FOUND_CODES.has((error as { code?: string } | null)?.code ?? '')
}

/** Opens a regular file; `undefined` when it is missing (or not a regular file). Other errors throw. */
export async function openFile(path: string): Promise<{ fh: FileHandle; stat: Stats } | undefined> {
  let fh: FileHandle
  try {
    // O_NONBLOCK: opening a FIFO must not hang the request (it is then refused as not a file).
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    if (isNotFound(error)) return undefined
    throw error
  }
  try {
    const stat = await fh.stat()
    if (stat.isFile()) return { fh, stat }
  } catch (error) {
    await fh.close().catch(() => {})
    throw error
  }
  await fh.close().catch(() => {})
  return undefined
}

function etagList(header: string): string[] {
  return header.split(',').map((s) => s.trim())
}

/** RFC 9110 strong comparison against an `If-Match` value (`*` matches any existing file). */
function strongMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true
  return etagList(header).some((t) => !t.startsWith('W/') && t === etag)
}

/** RFC 9110 weak comparison against an `If-None-Match` value. */
function weakMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true
  const strip = (t: string) => (t.startsWith('W/') ? t.slice(2) : t)
  return etagList(header).some((t) => strip(t) === strip(etag))
}

type RangeResult = { start: number; end: number } | 'multipart' | 'unsatisfiable' | 'ignore'

/**
 * Parses a `Range` header against a size; `end` is inclusive (-1 for the empty-file `bytes=0-`).
 * `'ignore'` (serve the whole file, RFC 9110 §14.2): a range unit other than `bytes`, or a range
 * whose last position is before its first (`bytes=5-2`, an invalid range).
 */
export function parseRange(header: string, size: number): RangeResult {
  const eq = header.indexOf('=')
  if (eq === -1) return 'unsatisfiable'
  if (header.slice(0, eq).trim().toLowerCase() !== 'bytes') return 'ignore'
  const spec = header.slice(eq + 1)
  if (spec.includes(',')) return 'multipart'
  const m = /^\s*(\d*)-(\d*)\s*$/.exec(spec)
  if (m === null) return 'unsatisfiable'
  const [, a = '', b = ''] = m
  if (a === '' && b === '') return 'unsatisfiable'
  if (a === '') {
    const n = Number(b)
    if (n === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - n), end: size - 1 }
  }
  const start = Number(a)
  const end = b === '' ? undefined : Number(b)
  if (end !== undefined && end < start) return 'ignore'
  if (size === 0 && start === 0) return { start: 0, end: -1 }
  if (start >= size) return 'unsatisfiable'
  return { start, end: Math.min(end ?? size - 1, size - 1) }
}

function fileStream(fh: FileHandle, start: number, end: number, chunkSize: number): ReadableStream<Uint8Array> {
  let pos = start
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const want = Math.min(chunkSize, end - pos + 1)
      if (want <= 0) {
        await fh.close()
        return controller.close()
      }
      try {
        const buf = new Uint8Array(want)
        const { bytesRead } = await fh.read(buf, 0, want, pos)
        if (bytesRead === 0) {
          // The file shrank under us: end early rather than hang.
          await fh.close()
          return controller.close()
        }
        pos += bytesRead
        controller.enqueue(bytesRead === want ? buf : buf.subarray(0, bytesRead))
      } catch (error) {
        await fh.close().catch(() => {})
        throw error
      }
    },
    async cancel() {
      await fh.close().catch(() => {})
    },
  })
}

/** Builds the response for an open file: validators, conditional requests, HEAD, ranges. Takes ownership of `fh`. */
export async function fileResponse(req: Request, fh: FileHandle, stat: Stats, meta: FileMeta): Promise<Response> {
  const size = stat.size
  const mtime = Math.floor(stat.mtimeMs / 1000)
  const etag = `"${size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}${meta.encoding ? `-${meta.encoding}` : ''}"`
  const headers = new Headers({ etag, 'last-modified': new Date(mtime * 1000).toUTCString() })
  if (meta.varyAcceptEncoding) headers.set('vary', 'accept-encoding')
  const h = req.headers
  const done = async (status: number, body: string | null = null) => {
    await fh.close().catch(() => {})
    return new Response(body, { status, headers })
  }

  // RFC 9110 §13.2.2: If-Match, else If-Unmodified-Since; then If-None-Match, else If-Modified-Since.
  const ifMatch = h.get('if-match')
  if (ifMatch !== null) {
    if (!strongMatch(ifMatch, etag)) return done(412)
  } else {
    const since = Date.parse(h.get('if-unmodified-since') ?? '')
    if (!Number.isNaN(since) && mtime > since / 1000) return done(412)
  }
  const ifNoneMatch = h.get('if-none-match')
  if (ifNoneMatch !== null) {
    if (weakMatch(ifNoneMatch, etag)) return done(304)
  } else {
    const since = Date.parse(h.get('if-modified-since') ?? '')
    if (!Number.isNaN(since) && mtime <= since / 1000) return done(304)
  }

  headers.set('content-type', meta.contentType)
  headers.set('accept-ranges', 'bytes')
  if (meta.encoding !== undefined) headers.set('content-encoding', meta.encoding)

  let start = 0
  let end = size - 1
  let status = 200
  const range = h.get('range')
  const ifRange = h.get('if-range')
  const rangeApplies =
    range !== null &&
    (ifRange === null ||
      (ifRange.startsWith('"') ? ifRange === etag : Date.parse(ifRange) === mtime * 1000 && !ifRange.startsWith('W/')))
  if (rangeApplies) {
    const r = parseRange(range, size)
    if (r === 'ignore') {
      // served whole, below
    } else if (r === 'multipart' || r === 'unsatisfiable') {
      headers.set('content-range', `bytes */${size}`)
      return done(416, r === 'multipart' ? 'Cannot serve multipart range requests' : null)
    } else {
      start = r.start
      end = r.end
      status = 206
      headers.set('content-range', size === 0 ? 'bytes 0-0/0' : `bytes ${start}-${end}/${size}`)
    }
  }
  headers.set('content-length', String(end - start + 1))
  if (req.method === 'HEAD' || end < start) return done(status)
  return new Response(fileStream(fh, start, end, meta.chunkSize), { status, headers })
}

/**
 * Content-coding helpers shared by `compression`, `decompression` and `serveDir`: strict
 * `Accept-Encoding` negotiation (tower-http's rules) and node:zlib streams bridged to web streams.
 * @module
 */
import * as zlib from 'node:zlib'
import { TurretError, type TurretErrorOptions } from '@turret/core'

/** A compressed body could not be decoded (extra data after the end of the coded stream). */
export class ContentDecodingError extends TurretError {
  override name = 'ContentDecodingError'
  override readonly code = 'ERR_CONTENT_DECODING'
  constructor(message: string, options?: TurretErrorOptions) {
    super(message, options)
  }
}

/** A content coding turret can produce or decode. */
export type Encoding = 'zstd' | 'br' | 'gzip' | 'deflate'
/** A content coding or `identity` (no coding). */
export type Coding = Encoding | 'identity'

/** Every coding, most preferred first (tower-http's order: zstd > br > gzip > deflate > identity). */
export const PREFERENCE: readonly Coding[] = ['zstd', 'br', 'gzip', 'deflate', 'identity']

type ZstdFactory = (options?: object) => zlib.BrotliCompress
const zlibWithZstd = zlib as typeof zlib & { createZstdCompress?: ZstdFactory; createZstdDecompress?: ZstdFactory }

/** Whether this Node.js build has zstd in node:zlib (Node ≥ 22.15 / 23.8). */
export const zstdAvailable: boolean =
  typeof zlibWithZstd.createZstdCompress === 'function' && typeof zlibWithZstd.createZstdDecompress === 'function'

/** The encodings this runtime can compress and decompress, most preferred first. */
export function availableEncodings(): Encoding[] {
  return zstdAvailable ? ['zstd', 'br', 'gzip', 'deflate'] : ['br', 'gzip', 'deflate']
}

/**
 * Parses a `q` parameter strictly (`q=` or `Q=`, no space around `=`, a leading `0` or `1`, at most
 * three decimals, at most 1): returns thousandths (0–1000) or `undefined` when invalid.
 */
export function parseQ(param: string): number | undefined {
  const s = param.trim()
  if (s.length < 3 || (s[0] !== 'q' && s[0] !== 'Q') || s[1] !== '=') return undefined
  const v = s.slice(2)
  if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(v)) return undefined
  const n = Math.round(Number(v) * 1000)
  return n <= 1000 ? n : undefined
}

/**
 * The acceptable codings of an `Accept-Encoding` value among `supported`, best first by (q,
 * preference); codings with q=0 are excluded. No header means `['identity']`. `identity` is
 * implicitly acceptable (after everything else) unless excluded by `identity;q=0` or `*;q=0`.
 * An empty array means nothing is acceptable (tower-http answers 406).
 */
export function acceptedCodings(header: string | null, supported: readonly Encoding[]): Coding[] {
  if (header === null) return ['identity']
  const q = new Map<Coding, number>()
  let wildcard: number | undefined
  for (const part of header.split(',')) {
    const semi = part.indexOf(';')
    let name = (semi === -1 ? part : part.slice(0, semi)).trim().toLowerCase()
    if (name === '') continue
    let weight = 1000
    if (semi !== -1) {
      const parsed = parseQ(part.slice(semi + 1))
      if (parsed === undefined) continue
      weight = parsed
    }
    if (name === 'x-gzip') name = 'gzip'
    if (name === '*') {
      wildcard = weight
      continue
    }
    if (name !== 'identity' && !(supported as readonly string[]).includes(name)) continue
    const coding = name as Coding
    // A repeated coding keeps its highest q (x-gzip and gzip may both appear).
    q.set(coding, Math.max(q.get(coding) ?? 0, weight))
  }
  if (wildcard !== undefined) {
    for (const enc of supported) if (!q.has(enc)) q.set(enc, wildcard)
    if (!q.has('identity')) q.set('identity', wildcard)
  }
  // identity not mentioned: acceptable, ranked after every listed coding.
  const implicitIdentity = !q.has('identity')
  const ranked = [...q.entries()].filter(([, w]) => w > 0)
  ranked.sort((a, b) => b[1] - a[1] || PREFERENCE.indexOf(a[0]) - PREFERENCE.indexOf(b[0]))
  const out = ranked.map(([c]) => c)
  if (implicitIdentity) out.push('identity')
  return out
}

/** The best coding for an `Accept-Encoding` value, or `undefined` when nothing is acceptable. */
export function negotiate(header: string | null, supported: readonly Encoding[]): Coding | undefined {
  return acceptedCodings(header, supported)[0]
}

/** Compression effort, as in tower-http's `CompressionLevel`. */
export type CompressionLevel = 'fastest' | 'default' | 'best' | number

function level(enc: Encoding, q: CompressionLevel): number {
  const [fastest, def, best] = enc === 'br' ? [0, 4, 11] : enc === 'zstd' ? [1, 3, 19] : [1, 6, 9]
  if (q === 'fastest') return fastest
  if (q === 'best') return best
  if (q === 'default') return def
  return Math.min(best, Math.max(fastest, Math.trunc(q)))
}

/** A node:zlib compressor for `enc` at `quality`. */
export function createCompressor(
  enc: Encoding,
  quality: CompressionLevel = 'default',
): zlib.Gzip | zlib.BrotliCompress {
  const l = level(enc, quality)
  switch (enc) {
    case 'gzip':
      return zlib.createGzip({ level: l })
    case 'deflate':
      return zlib.createDeflate({ level: l })
    case 'br':
      return zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: l } })
    case 'zstd': {
      const create = zlibWithZstd.createZstdCompress as ZstdFactory
      // A window of at most 8 MiB keeps the output decodable by browsers (zstd_is_web_safe).
      const c = zlib.constants as unknown as Record<string, number>
      const params: Record<number, number> = {}
      if (c.ZSTD_c_compressionLevel !== undefined) params[c.ZSTD_c_compressionLevel] = l
      if (c.ZSTD_c_windowLog !== undefined) params[c.ZSTD_c_windowLog] = 23
      return create({ params })
    }
  }
}

/** A node:zlib decompressor for `enc` (concatenated gzip members and zstd frames are decoded). */
export function createDecompressor(enc: Encoding): zlib.Gunzip | zlib.BrotliDecompress {
  switch (enc) {
    case 'gzip':
      return zlib.createGunzip()
    case 'deflate':
      return zlib.createInflate()
    case 'br':
      return zlib.createBrotliDecompress()
    case 'zstd':
      return (zlibWithZstd.createZstdDecompress as ZstdFactory)()
  }
}

type ZlibStream = zlib.Gzip | zlib.BrotliCompress
const yes = () => true

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd]

/** Whether `bytes` start a zstd frame (regular or skippable), so a new decoder can take over. */
function startsZstdFrame(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false
  if (ZSTD_MAGIC.every((b, i) => bytes[i] === b)) return true
  return (bytes[0] as number) >> 4 === 0x5 && bytes[1] === 0x2a && bytes[2] === 0x4d && bytes[3] === 0x18
}

/** Whether `bytes` (fewer than 4) could be the beginning of a zstd frame's magic number. */
function couldStartZstdFrame(bytes: Uint8Array): boolean {
  const skippable = [0x50, 0x2a, 0x4d, 0x18]
  return (
    bytes.every((b, i) => b === ZSTD_MAGIC[i]) || bytes.every((b, i) => (i === 0 ? b >> 4 === 0x5 : b === skippable[i]))
  )
}

/** A cap on the bytes a {@link zlibStream} may produce: past `maxBytes`, the stream errors with `error()`. */
export interface OutputLimit {
  /** The most bytes the stream may produce. */
  readonly maxBytes: number
  /** The error the stream fails with once more would be produced (called once). */
  readonly error: () => Error
}

/**
 * Pipes a web byte stream through node:zlib transforms made by `make`, as it streams, with
 * backpressure both ways: nothing is read or coded until the reader pulls, the coder is paused
 * while the reader has not taken its output, and the source is read only while output is wanted,
 * so a small body that expands to gigabytes (a decompression bomb) never sits in memory. With
 * `flush` the coder is flushed whenever the source has no further chunk ready, so the bytes of a
 * slow stream go out at once while a complete body compresses as one block. A decoder that
 * reaches the end of its coded stream before its input ends either continues with a new decoder
 * (`multiFrame`, for concatenated zstd frames) or fails with {@link ContentDecodingError} at
 * once, without waiting for the end of the body. With `limit`, producing more than
 * `limit.maxBytes` fails the stream with `limit.error()`. Errors of either side error the
 * output; cancelling the output cancels the input.
 */
export function zlibStream(
  src: ReadableStream<Uint8Array>,
  make: () => ZlibStream,
  flush: boolean,
  multiFrame = false,
  limit?: OutputLimit,
): ReadableStream<Uint8Array> {
  const reader = src.getReader()
  let z: ZlibStream
  let carried: Promise<ReadableStreamReadResult<Uint8Array>> | undefined
  let produced = 0
  let written = 0
  let sourceDone = false
  let codedEnd = false
  let finished = false
  let pumping = false
  /** Resolves the pending pull: set while the reader waits for output. */
  let waiter: (() => void) | undefined
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let held: Uint8Array | undefined

  const wake = () => {
    const w = waiter
    waiter = undefined
    w?.()
  }
  const fail = (error: unknown) => {
    if (finished) return
    finished = true
    controller.error(error)
    z.destroy()
    reader.cancel(error).catch(() => {})
    wake()
  }
  const close = () => {
    if (finished) return
    finished = true
    controller.close()
    wake()
  }

  const attach = () => {
    const mine = make()
    z = mine
    written = 0
    codedEnd = false
    mine.on('data', (c: Buffer) => {
      if (finished || mine !== z) return
      produced += c.byteLength
      if (limit !== undefined && produced > limit.maxBytes) return fail(limit.error())
      controller.enqueue(new Uint8Array(c.buffer, c.byteOffset, c.byteLength))
      // The reader has what it asked for: stop coding until it pulls again.
      if ((controller.desiredSize ?? 0) <= 0) mine.pause()
      wake()
    })
    mine.once('end', () => {
      if (mine !== z) return
      codedEnd = true
      if (sourceDone) close()
    })
    mine.once('error', fail)
  }
  const write = (chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      written += chunk.byteLength
      z.write(chunk, (e) => (e ? reject(e) : resolve()))
    })
  /** Input the decoder did not take because its coded stream ended: a new frame, or an error. */
  const leftover = async (rest: Uint8Array): Promise<void> => {
    if (multiFrame && rest.byteLength < 4 && couldStartZstdFrame(rest)) {
      // The next frame's magic number is split across chunks: wait for the rest of it.
      held = rest
      codedEnd = true
      return
    }
    if (!(multiFrame && startsZstdFrame(rest))) {
      throw new ContentDecodingError('extra data after the end of the compressed stream')
    }
    z.destroy()
    attach()
    await write(rest)
    const left = written - z.bytesWritten
    if (left > 0) await leftover(rest.subarray(rest.byteLength - left))
  }
  /** Feeds the coder from the source while the reader waits for output. */
  const pump = async (): Promise<void> => {
    pumping = true
    try {
      while (waiter !== undefined && !finished && !sourceDone) {
        const read = carried ?? reader.read()
        carried = undefined
        const { value: chunk, done } = await read
        if (done) {
          sourceDone = true
          if (held !== undefined) throw new ContentDecodingError('truncated zstd frame header at the end of the body')
          if (codedEnd) close()
          else z.end() // 'end' closes the output once the reader took all of it
          return
        }
        if (chunk.byteLength === 0) continue
        let value = chunk
        if (held !== undefined) {
          value = new Uint8Array(held.byteLength + chunk.byteLength)
          value.set(held)
          value.set(chunk, held.byteLength)
          held = undefined
        }
        if (codedEnd) {
          await leftover(value)
          continue
        }
        await write(value)
        const left = written - z.bytesWritten
        if (left > 0) await leftover(value.subarray(value.byteLength - left))
        if (!flush) continue
        // Flush only when the source has nothing more right now: complete bodies compress as one.
        const next = reader.read()
        carried = next
        const more = await Promise.race([next.then(yes, yes), new Promise<boolean>((r) => setImmediate(r, false))])
        if (!more) await new Promise<void>((resolve) => z.flush(() => resolve()))
      }
    } catch (error) {
      fail(error)
    } finally {
      pumping = false
    }
  }

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c
        attach()
      },
      pull() {
        if (finished) return
        return new Promise<void>((resolve) => {
          waiter = resolve
          if (z.isPaused()) z.resume()
          if (!pumping) void pump()
        })
      },
      cancel(reason) {
        finished = true
        wake()
        z.destroy()
        return reader.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
}

/** Appends `value` to the `Vary` header unless it is already listed (or `*`). */
export function appendVary(headers: Headers, value: string): void {
  const current = headers.get('vary')
  if (current !== null) {
    const lower = value.toLowerCase()
    for (const v of current.split(',')) {
      const t = v.trim().toLowerCase()
      if (t === lower || t === '*') return
    }
  }
  headers.append('vary', value)
}

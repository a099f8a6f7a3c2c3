/**
 * `decompression`: decodes compressed request bodies on the server side (tower-http's
 * `RequestDecompressionLayer`), and `decompressResponse` decodes the responses of client-side
 * services (tower-http's `DecompressionLayer`). Bodies are decoded only as they are read, and the
 * decoded size is capped (`maxDecodedBytes`), so a decompression bomb costs neither memory nor CPU.
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import { availableEncodings, createDecompressor, type Encoding, zlibStream } from '../compression/encoding'
import { copyExtensions, withRequest } from '../extensions/index'
import { LengthLimitError } from '../request-body-limit/index'
import type { HttpService } from '../types'
import { textResponse } from '../util/response'

export { ContentDecodingError } from '../compression/encoding'

/** Options of {@link decompression} and {@link decompressResponse}. */
export interface DecompressionOptions {
  /** Decode gzip (and `x-gzip`). Defaults to `true`. */
  gzip?: boolean | undefined
  /** Decode deflate (zlib format). Defaults to `true`. */
  deflate?: boolean | undefined
  /** Decode brotli. Defaults to `true`. */
  br?: boolean | undefined
  /** Decode zstd; ignored when node:zlib has no zstd (Node 20). Defaults to `true`. */
  zstd?: boolean | undefined
  /**
   * Request side only: pass a request with an unsupported `Content-Encoding` to the inner service
   * unchanged instead of answering `415`. Defaults to `false`.
   */
  passThroughUnaccepted?: boolean | undefined
  /**
   * The most bytes a body may decode to. Past it, reading the body fails with `LengthLimitError`
   * and, on the request side, the answer is `413` (when the inner service rejects or answers a
   * 5xx after the failed read). `Infinity` turns the cap off. Defaults to `10 MiB` (10,485,760).
   */
  maxDecodedBytes?: number | undefined
}

/** The default of {@link DecompressionOptions.maxDecodedBytes}: 10 MiB. */
const DEFAULT_MAX_DECODED = 10 * 1024 * 1024

function maxDecoded(options: DecompressionOptions): number {
  const max = options.maxDecodedBytes ?? DEFAULT_MAX_DECODED
  if (!(max >= 0)) throw new RangeError(`decompression: maxDecodedBytes must be >= 0, got ${max}`)
  return max
}

function enabled(options: DecompressionOptions): Encoding[] {
  return availableEncodings().filter((e) => options[e] ?? true)
}

/** The codings of a `Content-Encoding` value in the order they must be undone, or `undefined` if one is unsupported. */
function decodingOrder(header: string, supported: readonly Encoding[]): Encoding[] | undefined {
  const out: Encoding[] = []
  for (const raw of header.split(',')) {
    let c = raw.trim().toLowerCase()
    if (c === '' || c === 'identity') continue
    if (c === 'x-gzip') c = 'gzip'
    if (!(supported as readonly string[]).includes(c)) return undefined
    out.unshift(c as Encoding)
  }
  return out
}

function decode(
  body: ReadableStream<Uint8Array>,
  order: readonly Encoding[],
  maxBytes: number,
  onTrip?: () => void,
): ReadableStream<Uint8Array> {
  const limit =
    maxBytes === Number.POSITIVE_INFINITY
      ? undefined
      : {
          maxBytes,
          error: () => {
            onTrip?.()
            return new LengthLimitError(`decoded body over ${maxBytes} bytes`)
          },
        }
  let out = body
  for (const enc of order) out = zlibStream(out, () => createDecompressor(enc), false, enc === 'zstd', limit)
  return out
}

/** The service built by {@link decompression}. */
export class RequestDecompression extends PassThrough<Request, Response> {
  readonly layerName = 'decompression'
  constructor(
    inner: HttpService,
    private readonly encodings: Encoding[],
    private readonly passThrough: boolean,
    private readonly maxBytes: number,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const ce = req.headers.get('content-encoding')
    if (ce === null) return next(req)
    const order = decodingOrder(ce, this.encodings)
    if (order === undefined) {
      if (this.passThrough) return next(req)
      const accept = this.encodings.length > 0 ? this.encodings.join(',') : 'identity'
      return Promise.resolve(
        new Response(null, {
          status: 415,
          statusText: 'Unsupported Media Type',
          headers: { 'accept-encoding': accept },
        }),
      )
    }
    const headers = new Headers(req.headers)
    headers.delete('content-encoding')
    headers.delete('content-length')
    const init: RequestInit & { duplex?: 'half' } = { headers }
    let tripped = false
    if (req.body !== null) {
      init.body = decode(req.body, order, this.maxBytes, () => {
        tripped = true
      })
      init.duplex = 'half'
    }
    return next(withRequest(req, undefined, init)).then(
      (res) => {
        if (tripped && res.status >= 500) {
          res.body?.cancel().catch(() => {})
          return tooLarge(this.maxBytes)
        }
        return res
      },
      (error: unknown) => {
        if (tripped) return tooLarge(this.maxBytes)
        throw error
      },
    )
  }
}

function tooLarge(maxBytes: number): Response {
  return textResponse(413, `decoded body over ${maxBytes} bytes`)
}

/**
 * Decodes request bodies sent with a `Content-Encoding` the layer supports (removing
 * `Content-Encoding` and `Content-Length`); `identity` or no header passes through; an unsupported
 * coding is answered `415 Unsupported Media Type` with `Accept-Encoding` listing what is supported,
 * without calling the inner service.
 *
 * The body is decoded only as the inner service reads it (a route that never reads it decodes
 * nothing), and at most `maxDecodedBytes` (10 MiB by default) come out: past that the read fails
 * with `LengthLimitError` and the answer is `413`.
 *
 * Layer order: `requestBodyLimit` outside `decompression()` limits the bytes on the wire (the
 * compressed size); inside it, the decoded size. Use both for a tight decoded limit:
 * `requestBodyLimit(1 MiB)` outside, then `decompression({ maxDecodedBytes: 8 MiB })`.
 *
 * @example
 * ```ts
 * const app = decompression()(serviceFn(async (req: Request) => Response.json(await req.json())))
 * ```
 */
export function decompression(options: DecompressionOptions = {}): (inner: HttpService) => RequestDecompression {
  const encodings = enabled(options)
  const passThrough = options.passThroughUnaccepted ?? false
  const maxBytes = maxDecoded(options)
  return function decompression(inner: HttpService) {
    return new RequestDecompression(inner, encodings, passThrough, maxBytes)
  }
}

/** The service built by {@link decompressResponse}. */
export class ResponseDecompression extends PassThrough<Request, Response> {
  readonly layerName = 'decompressResponse'
  private readonly accept: string
  constructor(
    inner: HttpService,
    private readonly encodings: Encoding[],
    private readonly maxBytes: number,
  ) {
    super(inner)
    this.accept = encodings.join(',')
  }

  protected async handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    let sent = req
    if (this.accept !== '' && !req.headers.has('accept-encoding')) {
      const headers = new Headers(req.headers)
      headers.set('accept-encoding', this.accept)
      sent = withRequest(req, undefined, { headers })
    }
    const res = await next(sent)
    const ce = res.headers.get('content-encoding')
    // Byte-exact match against an enabled coding, as tower-http (stacked codings pass through).
    if (ce === null || res.body === null || !(this.encodings as readonly string[]).includes(ce)) return res
    const headers = new Headers(res.headers)
    headers.delete('content-encoding')
    headers.delete('content-length')
    const decoded = new Response(decode(res.body, [ce as Encoding], this.maxBytes), {
      status: res.status,
      statusText: res.statusText,
      headers,
    })
    return copyExtensions(res, decoded)
  }
}

/**
 * For client-side services (a service that makes requests): asks for compressed responses
 * (`Accept-Encoding` listing the enabled codings when the request has none) and decodes a
 * response whose `Content-Encoding` is one of them, removing `Content-Encoding` and
 * `Content-Length`. Note that Node's own `fetch` already decodes bodies (keeping the header), so
 * use this around transports that do not. The body decodes as it is read, and reading past
 * `maxDecodedBytes` (10 MiB by default) fails with `LengthLimitError`.
 *
 * @example
 * ```ts
 * const client = decompressResponse()(rawHttpClient)
 * ```
 */
export function decompressResponse(
  options: Omit<DecompressionOptions, 'passThroughUnaccepted'> = {},
): (inner: HttpService) => ResponseDecompression {
  const encodings = enabled(options)
  const maxBytes = maxDecoded(options)
  return function decompressResponse(inner: HttpService) {
    return new ResponseDecompression(inner, encodings, maxBytes)
  }
}

/**
 * `decompression`: decodes compressed request bodies on the server side (tower-http's
 * `RequestDecompressionLayer`), and `decompressResponse` decodes the responses of client-side
 * services (tower-http's `DecompressionLayer`).
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import { availableEncodings, createDecompressor, type Encoding, zlibStream } from '../compression/encoding'
import { copyExtensions, withRequest } from '../extensions/index'
import type { HttpService } from '../types'

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

function decode(body: ReadableStream<Uint8Array>, order: readonly Encoding[]): ReadableStream<Uint8Array> {
  let out = body
  for (const enc of order) out = zlibStream(out, () => createDecompressor(enc), false, enc === 'zstd')
  return out
}

/** The service built by {@link decompression}. */
export class RequestDecompression extends PassThrough<Request, Response> {
  readonly layerName = 'decompression'
  constructor(
    inner: HttpService,
    private readonly encodings: Encoding[],
    private readonly passThrough: boolean,
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
    if (req.body !== null) {
      init.body = decode(req.body, order)
      init.duplex = 'half'
    }
    return next(withRequest(req, undefined, init))
  }
}

/**
 * Decodes request bodies sent with a `Content-Encoding` the layer supports (removing
 * `Content-Encoding` and `Content-Length`); `identity` or no header passes through; an unsupported
 * coding is answered `415 Unsupported Media Type` with `Accept-Encoding` listing what is supported,
 * without calling the inner service.
 *
 * @example
 * ```ts
 * const app = decompression()(serviceFn(async (req: Request) => Response.json(await req.json())))
 * ```
 */
export function decompression(options: DecompressionOptions = {}): (inner: HttpService) => RequestDecompression {
  const encodings = enabled(options)
  const passThrough = options.passThroughUnaccepted ?? false
  return function decompression(inner: HttpService) {
    return new RequestDecompression(inner, encodings, passThrough)
  }
}

/** The service built by {@link decompressResponse}. */
export class ResponseDecompression extends PassThrough<Request, Response> {
  readonly layerName = 'decompressResponse'
  private readonly accept: string
  constructor(
    inner: HttpService,
    private readonly encodings: Encoding[],
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
    const decoded = new Response(decode(res.body, [ce as Encoding]), {
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
 * use this around transports that do not.
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
  return function decompressResponse(inner: HttpService) {
    return new ResponseDecompression(inner, encodings)
  }
}

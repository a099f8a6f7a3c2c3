/**
 * `compression`: compresses response bodies with gzip, deflate, br (and zstd where node:zlib has
 * it), negotiated from the request's `Accept-Encoding`, as tower-http's `CompressionLayer`.
 * @module
 */
import { type Next, PassThrough, type Service } from '@turret/core'
import { copyExtensions } from '../extensions/index'
import type { HttpService } from '../types'
import {
  acceptedCodings,
  appendVary,
  availableEncodings,
  type CompressionLevel,
  createCompressor,
  type Encoding,
  zlibStream,
} from './encoding'

export type { CompressionLevel } from './encoding'

/**
 * Decides whether a response is compressed. `size` is the body size in bytes when known (from
 * `Content-Length`, or measured when the body is already complete), `undefined` for a stream.
 */
export type CompressionPredicate = (response: Response, size: number | undefined) => boolean

/** Options of {@link compression}. */
export interface CompressionOptions {
  /** Enable gzip (and `x-gzip`). Defaults to `true`. */
  gzip?: boolean | undefined
  /** Enable deflate (zlib format). Defaults to `true`. */
  deflate?: boolean | undefined
  /** Enable brotli. Defaults to `true`. */
  br?: boolean | undefined
  /** Enable zstd; ignored when node:zlib has no zstd (Node 20). Defaults to `true`. */
  zstd?: boolean | undefined
  /** Compression effort: `'fastest'`, `'default'`, `'best'` or an algorithm level. Defaults to `'default'` (brotli 4, zstd 3, gzip/deflate 6). */
  quality?: CompressionLevel | undefined
  /**
   * When to compress; **replaces** the default, so combine with `allOf(defaultPredicate, …)`.
   * Defaults to {@link defaultPredicate} (≥ 32 bytes, not images but SVG, not gRPC, not SSE).
   */
  predicate?: CompressionPredicate | undefined
  /** Flush the compressor after every body chunk, so streamed bodies go out as they stream. Defaults to `true`. */
  flushEachChunk?: boolean | undefined
}

/** A predicate true when the size is unknown or at least `min` bytes. */
export function sizeAbove(min: number): CompressionPredicate {
  return (_res, size) => size === undefined || size >= min
}

/** A predicate false when `Content-Type` starts with `prefix`, unless it starts with `exception`. */
export function notForContentType(prefix: string, exception?: string): CompressionPredicate {
  return (res) => {
    const ct = res.headers.get('content-type')
    if (ct === null || !ct.startsWith(prefix)) return true
    return exception !== undefined && ct.startsWith(exception)
  }
}

/** A predicate true when every one of `predicates` is. */
export function allOf(...predicates: CompressionPredicate[]): CompressionPredicate {
  return (res, size) => predicates.every((p) => p(res, size))
}

/** tower-http's `DefaultPredicate`: size ≥ 32, not gRPC (gRPC-Web is fine), not images but SVG, not `text/event-stream`. */
export const defaultPredicate: CompressionPredicate = allOf(
  sizeAbove(32),
  notForContentType('application/grpc', 'application/grpc-web'),
  notForContentType('image/', 'image/svg+xml'),
  notForContentType('text/event-stream'),
)

interface Config {
  readonly encodings: Encoding[]
  readonly quality: CompressionLevel
  readonly predicate: CompressionPredicate
  readonly flush: boolean
}

/** The service built by {@link compression}. */
export class Compression extends PassThrough<Request, Response> {
  readonly layerName = 'compression'
  constructor(
    inner: HttpService,
    private readonly config: Config,
  ) {
    super(inner)
  }

  protected async handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const accepted = acceptedCodings(req.headers.get('accept-encoding'), this.config.encodings)
    const res = await next(req)
    const out = await this.encode(res, accepted)
    // A rebuilt response keeps the inner response's extensions.
    return out === res ? res : copyExtensions(res, out)
  }

  private async encode(res: Response, accepted: readonly string[]): Promise<Response> {
    const h = res.headers
    if (h.has('content-encoding') || h.has('content-range') || res.status === 206) return res
    if (res.body === null || res.status === 204 || res.status === 205 || res.status === 304) return res
    let body: ReadableStream<Uint8Array> = res.body
    let size: number | undefined
    const cl = h.get('content-length')
    if (cl !== null && /^\d+$/.test(cl)) size = Number(cl)
    else [body, size] = await measure(body)
    const headers = new Headers(h)
    const keep = () => new Response(body, { status: res.status, statusText: res.statusText, headers })
    if (!this.config.predicate(res, size)) return body === res.body ? res : keep()
    appendVary(headers, 'accept-encoding')
    const enc = accepted[0]
    if (enc === undefined) return new Response(body, { status: 406, statusText: 'Not Acceptable', headers })
    if (enc === 'identity') return keep()
    headers.delete('content-length')
    headers.delete('accept-ranges')
    headers.set('content-encoding', enc)
    const quality = this.config.quality
    return new Response(
      zlibStream(body, () => createCompressor(enc as Encoding, quality), this.config.flush),
      {
        status: res.status,
        statusText: res.statusText,
        headers,
      },
    )
  }
}

/**
 * Finds the size of a body that is already complete (one chunk then end, as for a string or
 * buffer body) without waiting for a stream: reads the first chunk, and the end only if it comes
 * within the same turn. Returns the (re-assembled) body and its size, `undefined` for a stream.
 */
async function measure(body: ReadableStream<Uint8Array>): Promise<[ReadableStream<Uint8Array>, number | undefined]> {
  const reader = body.getReader()
  const first = await reader.read()
  if (first.done) return [new ReadableStream({ start: (c) => c.close() }), 0]
  const pending = reader.read()
  pending.catch(() => {})
  const next = await Promise.race([pending, new Promise<null>((r) => setImmediate(r, null))])
  if (next?.done) {
    const only = first.value
    const single = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(only)
        c.close()
      },
    })
    return [single, only.byteLength]
  }
  const head = next === null ? [first.value] : [first.value, next.value]
  let carried: Promise<ReadableStreamReadResult<Uint8Array>> | undefined = next === null ? pending : undefined
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      const chunk = head.shift()
      if (chunk !== undefined) return c.enqueue(chunk)
      const read = carried ?? reader.read()
      carried = undefined
      const r = await read
      if (r.done) c.close()
      else c.enqueue(r.value)
    },
    cancel: (reason) => reader.cancel(reason),
  })
  return [stream, undefined]
}

/**
 * Compresses response bodies negotiated from `Accept-Encoding` (tower-http's `CompressionLayer`):
 * never recompresses (`Content-Encoding` set), never compresses ranges, adds `Vary: accept-encoding`,
 * removes `Content-Length` and `Accept-Ranges`, compresses streamed bodies as they stream, and
 * answers `406` (keeping the inner response's body) when no coding is acceptable.
 *
 * @example
 * ```ts
 * const svc = compression({ quality: 'fastest' })(app)
 * ```
 */
export function compression(options: CompressionOptions = {}): (inner: HttpService) => Compression {
  const wanted = (e: Encoding) => options[e] ?? true
  const config: Config = {
    encodings: availableEncodings().filter(wanted),
    quality: options.quality ?? 'default',
    predicate: options.predicate ?? defaultPredicate,
    flush: options.flushEachChunk ?? true,
  }
  return function compression(inner: Service<Request, Response>) {
    return new Compression(inner, config)
  }
}

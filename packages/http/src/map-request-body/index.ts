/**
 * `mapRequestBody`: replaces each request's body with a function of it.
 * @module
 */
import type { Ready } from '@turret/core'
import { withRequest } from '../extensions/index'
import type { BodyInitOrNull, HttpService } from '../types'

/** Maps a request body (`null` when there is none) to the new body. */
export type MapRequestBody = (body: ReadableStream<Uint8Array> | null, req: Request) => BodyInitOrNull

class MapRequestBodyService implements HttpService {
  readonly layerName = 'mapRequestBody'
  constructor(
    readonly inner: HttpService,
    private readonly f: MapRequestBody,
  ) {}

  ready(signal?: AbortSignal): Ready {
    return this.inner.ready(signal)
  }

  call(req: Request): Promise<Response> {
    let next: Request
    try {
      const body = this.f(req.body, req)
      next = withRequest(req, req.url, { body, duplex: 'half' } as RequestInit)
    } catch (error) {
      return Promise.reject(error)
    }
    return this.inner.call(next)
  }
}

/**
 * Builds each request anew with the body `f` returns (extensions kept): to wrap the body stream
 * (a transform, a size or time limit), or replace it. `GET`/`HEAD` requests cannot get a body.
 *
 * @example
 * ```ts
 * mapRequestBody((body) => body?.pipeThrough(new DecompressionStream('gzip')) ?? null)
 * ```
 */
export function mapRequestBody(f: MapRequestBody): (inner: HttpService) => HttpService {
  return function mapRequestBody(inner: HttpService): HttpService {
    return new MapRequestBodyService(inner, f)
  }
}

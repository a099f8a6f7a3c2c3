/**
 * `mapRequestBody`: replaces each request's body with a function of it.
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import { withRequest } from '../extensions/index'
import type { BodyInitOrNull, HttpService } from '../types'

/** Maps a request body (`null` when there is none) to the new body. */
export type MapRequestBody = (body: ReadableStream<Uint8Array> | null, req: Request) => BodyInitOrNull

class MapRequestBodyService extends PassThrough<Request, Response> {
  readonly layerName = 'mapRequestBody'
  constructor(
    inner: HttpService,
    private readonly f: MapRequestBody,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    let mapped: Request
    try {
      const body = this.f(req.body, req)
      mapped = withRequest(req, req.url, { body, duplex: 'half' } as RequestInit)
    } catch (error) {
      return Promise.reject(error)
    }
    return next(mapped)
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

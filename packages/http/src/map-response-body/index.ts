/**
 * `mapResponseBody`: replaces each response's body with a function of it.
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import type { BodyInitOrNull, HttpService } from '../types'
import { withBody } from '../util/response'

/** Maps a response body (`null` when there is none) to the new body. */
export type MapResponseBody = (body: ReadableStream<Uint8Array> | null, res: Response) => BodyInitOrNull

class MapResponseBodyService extends PassThrough<Request, Response> {
  readonly layerName = 'mapResponseBody'
  constructor(
    inner: HttpService,
    private readonly f: MapResponseBody,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    return next(req).then((res) => withBody(res, this.f(res.body, res)))
  }
}

/**
 * Builds each response anew with the body `f` returns (status and headers kept). Mind
 * `Content-Length` when the new body has another length.
 *
 * @example
 * ```ts
 * mapResponseBody((body) => body?.pipeThrough(new TextDecoderStream()).pipeThrough(redact).pipeThrough(new TextEncoderStream()) ?? null)
 * ```
 */
export function mapResponseBody(f: MapResponseBody): (inner: HttpService) => HttpService {
  return function mapResponseBody(inner: HttpService): HttpService {
    return new MapResponseBodyService(inner, f)
  }
}

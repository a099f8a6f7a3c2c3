/**
 * `mapResponseBody`: replaces each response's body with a function of it.
 * @module
 */
import type { Ready } from '@turret/core'
import type { BodyInitOrNull, HttpService } from '../types'
import { withBody } from '../util/response'

/** Maps a response body (`null` when there is none) to the new body. */
export type MapResponseBody = (body: ReadableStream<Uint8Array> | null, res: Response) => BodyInitOrNull

class MapResponseBodyService implements HttpService {
  readonly layerName = 'mapResponseBody'
  constructor(
    readonly inner: HttpService,
    private readonly f: MapResponseBody,
  ) {}

  ready(signal?: AbortSignal): Ready {
    return this.inner.ready(signal)
  }

  call(req: Request): Promise<Response> {
    return this.inner.call(req).then((res) => withBody(res, this.f(res.body, res)))
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

import type { Ready, Service } from '../service'

class MapResponse<Req, A, B> implements Service<Req, B> {
  readonly layerName = 'mapResponse'
  constructor(
    readonly inner: Service<Req, A>,
    private readonly f: (res: A) => B,
  ) {}
  ready(signal?: AbortSignal): Ready {
    return this.inner.ready(signal)
  }
  call(req: Req): Promise<B> {
    return this.inner.call(req).then(this.f)
  }
}

/**
 * Transforms each successful response (synchronously; a throw rejects the call). Errors pass through.
 *
 * @example
 * ```ts
 * const names = mapResponse((user: User) => user.name)(lookup)
 * ```
 */
export function mapResponse<A, B>(f: (res: A) => B): <Req>(inner: Service<Req, A>) => Service<Req, B> {
  return function mapResponse<Req>(inner: Service<Req, A>): Service<Req, B> {
    return new MapResponse(inner, f)
  }
}

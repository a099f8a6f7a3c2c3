import type { Ready, Service } from '../service'

class MapRequest<A, B, Res> implements Service<A, Res> {
  readonly layerName = 'mapRequest'
  constructor(
    readonly inner: Service<B, Res>,
    private readonly f: (req: A) => B,
  ) {}
  ready(signal?: AbortSignal): Ready {
    return this.inner.ready(signal)
  }
  call(req: A): Promise<Res> {
    let mapped: B
    try {
      mapped = this.f(req)
    } catch (error) {
      return Promise.reject(error)
    }
    return this.inner.call(mapped)
  }
}

/**
 * Transforms each request before the inner service sees it (synchronously; a throw rejects the call).
 *
 * @example
 * ```ts
 * const byId = mapRequest((id: string) => ({ id }))(lookup) // Service<string, User>
 * ```
 */
export function mapRequest<A, B>(f: (req: A) => B): <Res>(inner: Service<B, Res>) => Service<A, Res> {
  return function mapRequest<Res>(inner: Service<B, Res>): Service<A, Res> {
    return new MapRequest(inner, f)
  }
}

import type { Ready, Service } from '../service'

class MapErr<Req, Res> implements Service<Req, Res> {
  readonly layerName = 'mapErr'
  constructor(
    readonly inner: Service<Req, Res>,
    private readonly f: (error: unknown) => unknown,
  ) {}
  ready(signal?: AbortSignal): Ready {
    let pending: Ready
    try {
      pending = this.inner.ready(signal)
    } catch (error) {
      throw this.f(error)
    }
    if (pending === undefined) return pending
    return Promise.resolve(pending).catch((error: unknown) => {
      throw this.f(error)
    })
  }
  call(req: Req): Promise<Res> {
    return this.inner.call(req).catch((error: unknown) => {
      throw this.f(error)
    })
  }
}

/**
 * Transforms errors, from `ready()` and from `call()` alike (as tower's `map_err`).
 *
 * @example
 * ```ts
 * const svc = mapErr((e) => new AppError('lookup failed', { cause: e }))(lookup)
 * ```
 */
export function mapErr(f: (error: unknown) => unknown): <Req, Res>(inner: Service<Req, Res>) => Service<Req, Res> {
  return function mapErr<Req, Res>(inner: Service<Req, Res>): Service<Req, Res> {
    return new MapErr(inner, f)
  }
}

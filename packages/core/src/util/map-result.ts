import { err, ok, type Result } from '../result'
import type { Ready, Service } from '../service'

class MapResult<Req, A, B> implements Service<Req, B> {
  readonly layerName: string
  constructor(
    readonly inner: Service<Req, A>,
    private readonly f: (result: Result<A>) => B | PromiseLike<B>,
    name: string,
  ) {
    this.layerName = name
  }
  ready(signal?: AbortSignal): Ready {
    return this.inner.ready(signal)
  }
  call(req: Req): Promise<B> {
    return this.inner.call(req).then(
      (value) => this.f(ok(value)),
      (error: unknown) => this.f(err(error)),
    )
  }
}

/**
 * Maps the whole outcome of a call, success or failure, to a new response (throw to fail).
 * Readiness errors are not passed through `f`.
 *
 * @example
 * ```ts
 * const safe = mapResult((r: Result<number>) => (r.ok ? r.value : -1))(svc)
 * ```
 */
export function mapResult<A, B>(f: (result: Result<A>) => B): <Req>(inner: Service<Req, A>) => Service<Req, B> {
  return function mapResult<Req>(inner: Service<Req, A>): Service<Req, B> {
    return new MapResult(inner, f, 'mapResult')
  }
}

/**
 * tower's `then`: runs an async function on the outcome of each call, success or failure.
 * (Named so that nothing in turret is a thenable.)
 *
 * @example
 * ```ts
 * const logged = mapResultAsync(async (r: Result<Res>) => { await log(r); if (!r.ok) throw r.error; return r.value })(svc)
 * ```
 */
export function mapResultAsync<A, B>(
  f: (result: Result<A>) => PromiseLike<B> | B,
): <Req>(inner: Service<Req, A>) => Service<Req, B> {
  return function mapResultAsync<Req>(inner: Service<Req, A>): Service<Req, B> {
    return new MapResult(inner, f, 'mapResultAsync')
  }
}

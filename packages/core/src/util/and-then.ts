import type { Ready, Service } from '../service'

class AndThen<Req, A, B> implements Service<Req, B> {
  readonly layerName = 'andThen'
  constructor(
    readonly inner: Service<Req, A>,
    private readonly f: (res: A) => B | PromiseLike<B>,
  ) {}
  ready(signal?: AbortSignal): Ready {
    return this.inner.ready(signal)
  }
  call(req: Req): Promise<B> {
    return this.inner.call(req).then(this.f)
  }
}

/**
 * Runs an async function on each successful response; its rejection rejects the call.
 *
 * @example
 * ```ts
 * const withProfile = andThen(async (user: User) => ({ user, profile: await profiles.get(user.id) }))(lookup)
 * ```
 */
export function andThen<A, B>(f: (res: A) => B | PromiseLike<B>): <Req>(inner: Service<Req, A>) => Service<Req, B> {
  return function andThen<Req>(inner: Service<Req, A>): Service<Req, B> {
    return new AndThen(inner, f)
  }
}

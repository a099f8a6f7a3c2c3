import type { Ready, Service } from '../service'
import type { LoadService } from './completion'

class Constant<Req, Res> implements LoadService<Req, Res> {
  readonly layerName = 'constantLoad'
  constructor(
    readonly inner: Service<Req, Res>,
    private readonly metric: number,
  ) {}
  load(): number {
    return this.metric
  }
  ready(): Ready {
    return this.inner.ready()
  }
  call(req: Req): Promise<Res> {
    return this.inner.call(req)
  }
}

/**
 * Gives a service a fixed load (tower's `Constant`).
 *
 * @example
 * ```ts
 * const backup = constantLoad(100)(standbyService)
 * ```
 */
export function constantLoad(metric: number): <Req, Res>(inner: Service<Req, Res>) => LoadService<Req, Res> {
  return function constantLoad<Req, Res>(inner: Service<Req, Res>): LoadService<Req, Res> {
    return new Constant(inner, metric)
  }
}

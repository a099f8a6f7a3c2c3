import { readyWith } from '../internal/wait'
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
  /** Forwards readiness, and the optional abort signal, to the inner service. */
  ready(signal?: AbortSignal): Ready {
    return readyWith(this.inner, signal)
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

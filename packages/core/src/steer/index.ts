import { NotReadyError } from '../errors'
import type { Layered, Ready, RequestOf, ResponseOf, Service } from '../service'

/** Chooses which service handles a request: returns an index into `services` (tower's `Picker`). */
export type Picker<Req, S> = (req: Req, services: readonly S[]) => number

/** The service built by {@link steer}. */
export interface SteerService<Req, Res, S extends Service<Req, Res> = Service<Req, Res>>
  extends Service<Req, Res>,
    Layered {
  /** The services requests are steered between. */
  readonly services: readonly S[]
}

class Steer<Req, Res, S extends Service<Req, Res>> implements SteerService<Req, Res, S> {
  readonly layerName = 'steer'
  readonly inner = undefined
  /** Reservations held on each service that belong to no complete claim yet. */
  readonly #free: number[]
  /** Claims (successful `ready()`s) not yet used by `call()`; each holds one reservation on every service. */
  #claims = 0

  constructor(
    readonly services: readonly S[],
    private readonly picker: Picker<Req, S>,
  ) {
    this.#free = services.map(() => 0)
  }

  ready(): Ready {
    const n = this.services.length
    const got: boolean[] = new Array<boolean>(n).fill(false)
    let waits: Promise<void>[] | undefined
    let failed = false
    const giveBack = () => {
      failed = true
      for (let i = 0; i < n; i++) if (got[i]) (this.#free[i] as number)++
    }
    for (let i = 0; i < n; i++) {
      if ((this.#free[i] as number) > 0) {
        ;(this.#free[i] as number)--
        got[i] = true
        continue
      }
      let pending: Ready
      try {
        pending = (this.services[i] as S).ready()
      } catch (error) {
        giveBack()
        throw error
      }
      if (pending === undefined) {
        got[i] = true
        continue
      }
      if (!waits) waits = []
      waits.push(
        Promise.resolve(pending).then(() => {
          if (failed)
            (this.#free[i] as number)++ // arrived after the claim failed: keep it
          else got[i] = true
        }),
      )
    }
    if (!waits) {
      this.#claims++
      return undefined
    }
    return Promise.all(waits).then(
      () => {
        this.#claims++
      },
      (error: unknown) => {
        giveBack()
        throw error
      },
    )
  }

  call(req: Req): Promise<Res> {
    if (this.#claims === 0) {
      return Promise.reject(new NotReadyError('steer must wait for all services to be ready: call ready() first'))
    }
    const index = this.picker(req, this.services)
    const svc = this.services[index]
    if (!svc) return Promise.reject(new RangeError(`steer: picker returned ${index}, not an index of the services`))
    this.#claims--
    for (let i = 0; i < this.services.length; i++) if (i !== index) (this.#free[i] as number)++
    return svc.call(req)
  }
}

/**
 * Routes each request to one of several services chosen by `picker` (tower's `Steer`). Ready only
 * when every service is ready, since any of them may be picked: a slow one holds up the others
 * (wrap each in `buffer` to avoid that). Reservations on the services not picked are kept for
 * the next calls.
 *
 * @example
 * ```ts
 * const router = steer([readService, writeService], (req: Req) => (req.method === 'GET' ? 0 : 1))
 * ```
 */
export function steer<S extends Service<never, unknown>>(
  services: readonly S[],
  picker: Picker<RequestOf<S>, S>,
): SteerService<RequestOf<S>, ResponseOf<S>, S & Service<RequestOf<S>, ResponseOf<S>>> {
  return new Steer(services as readonly (S & Service<RequestOf<S>, ResponseOf<S>>)[], picker)
}

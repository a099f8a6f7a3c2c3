import { NotReadyError } from '../errors'
import type { MakeService } from '../make/index'
import type { Layered, Ready, Service } from '../service'

export { type MakeService, makeServiceAsService, serviceAsMakeService, shared } from '../make/index'

/** The service built by {@link reconnect}. */
export interface ReconnectService<Req, Res> extends Service<Req, Res>, Layered {
  /** The connected service, if any. */
  readonly inner: Service<Req, Res> | undefined
  /** `'idle'`, `'connecting'` or `'connected'`. */
  readonly state: 'idle' | 'connecting' | 'connected'
}

class Reconnect<Target, Req, Res> implements ReconnectService<Req, Res> {
  readonly layerName = 'reconnect'
  #service: Service<Req, Res> | undefined
  #connecting: Promise<{ error: unknown } | undefined> | undefined
  /** Connection errors owed to calls whose `ready()` waited on a failed attempt. */
  readonly #errors: unknown[] = []

  constructor(
    private readonly make: MakeService<Target, Service<Req, Res>>,
    private readonly target: Target,
  ) {}

  get inner(): Service<Req, Res> | undefined {
    return this.#service
  }
  get state(): 'idle' | 'connecting' | 'connected' {
    return this.#service ? 'connected' : this.#connecting ? 'connecting' : 'idle'
  }

  /** The current connection attempt (started if none): resolves to the error when it failed. */
  #connect(): Promise<{ error: unknown } | undefined> {
    if (!this.#connecting) {
      this.#connecting = Promise.resolve()
        .then(() => this.make(this.target))
        .then(
          (service) => {
            this.#service = service
            this.#connecting = undefined
            return undefined
          },
          (error: unknown) => {
            this.#connecting = undefined
            return { error }
          },
        )
    }
    return this.#connecting
  }

  ready(): Ready {
    const service = this.#service
    if (service) {
      let pending: Ready
      try {
        pending = service.ready()
      } catch {
        return this.#reconnect(service)
      }
      if (pending === undefined) return undefined
      return Promise.resolve(pending).then(undefined, () => this.#reconnect(service))
    }
    return this.#connect().then((failed) => {
      if (failed) {
        // As in tower: a failed connection reports ready, and the call returns the connection error.
        this.#errors.push(failed.error)
        return
      }
      const next = this.ready()
      return next === undefined ? undefined : Promise.resolve(next)
    })
  }

  /** The service failed: drop it and connect again at once. */
  #reconnect(failed: Service<Req, Res>): Promise<void> {
    if (this.#service === failed) this.#service = undefined
    const next = this.ready()
    return next === undefined ? Promise.resolve() : Promise.resolve(next)
  }

  call(req: Req): Promise<Res> {
    if (this.#errors.length > 0) return Promise.reject(this.#errors.shift())
    if (!this.#service) return Promise.reject(new NotReadyError('reconnect: not connected; call ready() first'))
    return this.#service.call(req)
  }
}

/**
 * A service that connects lazily and reconnects when its connection fails (tower's `Reconnect`):
 * `ready()` makes the service for `target` with `make` when there is none, and if the connected
 * service's readiness fails, drops it and connects again. A failed connection attempt makes
 * `ready()` succeed so that the next call fails with the connection error; the attempt after
 * that starts afresh.
 *
 * @example
 * ```ts
 * const db = reconnect((url: string) => connectDatabase(url), 'postgres://localhost/app')
 * ```
 */
export function reconnect<Target, Req, Res>(
  make: MakeService<Target, Service<Req, Res>>,
  target: Target,
): ReconnectService<Req, Res> {
  return new Reconnect(make, target)
}

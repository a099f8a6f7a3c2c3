import { TurretError, type TurretErrorOptions } from '../errors'
import { observer } from '../internal/observer'
import { readyWith } from '../internal/wait'
import type { Layered, Ready, Service } from '../service'

/** The inner service was not ready, so `loadShed` refused the call (tower's `Overloaded`). */
export class OverloadedError extends TurretError {
  override name = 'OverloadedError'
  override readonly code = 'ERR_OVERLOADED'
  constructor(message = 'service overloaded', options?: TurretErrorOptions) {
    super(message, options)
  }
}

/** The reason loadShed aborts the inner readiness waits it gives up on. */
const shed = new OverloadedError('load shed: readiness wait abandoned')

/** The service built by {@link loadShed}. */
export interface LoadShedService<Req, Res> extends Service<Req, Res>, Layered {
  readonly inner: Service<Req, Res>
  /** Inner reservations held for coming calls. */
  readonly held: number
}

class LoadShed<Req, Res> implements LoadShedService<Req, Res> {
  readonly layerName = 'loadShed'
  #held = 0
  #claims = 0
  #failure: { error: unknown } | undefined
  #controller: AbortController | undefined
  readonly #late = () => {
    this.#held++
  }
  readonly #lateError = (error: unknown) => {
    if (error !== shed) this.#failure = { error }
  }

  constructor(readonly inner: Service<Req, Res>) {}

  get held(): number {
    return this.#held
  }

  ready(): Ready {
    if (this.#failure) throw this.#failure.error
    this.#claims++
    if (this.#held >= this.#claims) return undefined
    if (this.#controller === undefined) this.#controller = new AbortController()
    const controller = this.#controller
    let pending: Ready
    try {
      pending = readyWith(this.inner, controller.signal)
    } catch (error) {
      this.#claims--
      throw error
    }
    if (pending === undefined) {
      this.#held++
      return undefined
    }
    // Not ready now: give the wait up (services that take a signal release what it held); a
    // reservation that still arrives is kept for the next call.
    this.#controller = undefined
    controller.abort(shed)
    Promise.resolve(pending).then(this.#late, this.#lateError)
    return undefined
  }

  call(req: Req): Promise<Res> {
    if (this.#claims > 0) this.#claims--
    if (this.#held === 0) {
      const error = new OverloadedError()
      if (observer !== undefined) observer.rejected(error, 'loadShed')
      return Promise.reject(error)
    }
    this.#held--
    return this.inner.call(req)
  }
}

/**
 * Sheds load: `ready()` always succeeds at once, and a call made when the inner service was not
 * ready fails fast with {@link OverloadedError} instead of waiting (tower's `LoadShed`). Put it
 * above a limiter: `loadShed()` then `concurrencyLimit(n)`.
 *
 * When the inner readiness is pending, the wait is given up through an `AbortSignal` (turret's
 * limiters then release what it held); a reservation that arrives anyway is kept for the next
 * call, never leaked.
 *
 * @example
 * ```ts
 * const svc = new ServiceBuilder().layer(loadShed()).layer(concurrencyLimit(64)).service(backend)
 * ```
 */
export function loadShed(): <Req, Res>(inner: Service<Req, Res>) => LoadShedService<Req, Res> {
  return function loadShed<Req, Res>(inner: Service<Req, Res>): LoadShedService<Req, Res> {
    return new LoadShed(inner)
  }
}

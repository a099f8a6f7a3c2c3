import { oneshot, type Service, serviceFn } from '../service'

/**
 * Makes a service for a target, such as a connection for an address or a handler per client
 * (tower's `MakeService`): a function, sync or async.
 */
export type MakeService<Target, S> = (target: Target) => S | PromiseLike<S>

/**
 * A {@link MakeService} that hands out the same service for every target (tower's `Shared`).
 *
 * @example
 * ```ts
 * const db = reconnect(shared(pool), 'unused')
 * ```
 */
export function shared<S>(service: S): MakeService<unknown, S> {
  return () => service
}

/** A {@link MakeService} as a service of services (tower's `MakeService::into_service`). */
export function makeServiceAsService<Target, S>(make: MakeService<Target, S>): Service<Target, S> {
  return serviceFn(make)
}

/** A service of services used as a {@link MakeService}: waits for its readiness, then calls it. */
export function serviceAsMakeService<Target, S>(svc: Service<Target, S>): MakeService<Target, S> {
  return (target) => oneshot(svc, target)
}

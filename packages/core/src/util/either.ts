import type { Layer, Service } from '../service'

/**
 * One of two services, or one of two layers, chosen when the stack is built (tower's `Either`).
 * Both arms have the same request and response types.
 *
 * @example
 * ```ts
 * const store = either(process.env.CI === 'true', memoryStore, dynamoStore)
 * const guard = either(strict, filter(isValid), optionLayer(undefined))
 * ```
 */
export function either<S extends Service<never, unknown>>(useLeft: boolean, left: S, right: S): S
export function either<In, Out>(useLeft: boolean, left: Layer<In, Out>, right: Layer<In, Out>): Layer<In, Out>
export function either<T>(useLeft: boolean, left: T, right: T): T {
  return useLeft ? left : right
}

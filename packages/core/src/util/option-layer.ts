import type { Layer, Service } from '../service'

/**
 * A layer, or nothing: `optionLayer(undefined)` returns the inner service unchanged, so a stack
 * can include a layer only when configured.
 *
 * @example
 * ```ts
 * pipe(svc, optionLayer(process.env.TIMEOUT ? timeout(Number(process.env.TIMEOUT)) : undefined))
 * ```
 */
export function optionLayer<S extends Service<never, unknown>>(
  layer: Layer<S, S> | undefined | null | false,
): Layer<S, S> {
  return layer || identity
}

function identity<S>(inner: S): S {
  return inner
}

import type { Ready } from '../service'

/** Test helper: observes a readiness result or promise without awaiting it. */
export interface Tracked<T> {
  readonly done: boolean
  readonly ok: boolean
  readonly value: T | undefined
  readonly error: unknown
}

/** Watches `p` (or an immediate `undefined` readiness) so a test can check whether it has settled. */
export function track<T>(p: PromiseLike<T> | Ready): Tracked<T> {
  const state = { done: false, ok: false, value: undefined as T | undefined, error: undefined as unknown }
  if (p === undefined) {
    state.done = true
    state.ok = true
    return state
  }
  ;(p as PromiseLike<T>).then(
    (value) => {
      state.done = true
      state.ok = true
      state.value = value
    },
    (error: unknown) => {
      state.done = true
      state.error = error
    },
  )
  return state
}

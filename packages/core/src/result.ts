/** The outcome of a call, as `mapResult` and `mapResultAsync` see it. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown }

/** Builds a successful {@link Result}. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value }
}

/** Builds a failed {@link Result}. */
export function err<T = never>(error: unknown): Result<T> {
  return { ok: false, error }
}

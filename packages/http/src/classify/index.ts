/**
 * Response classifiers: which responses and errors count as failures (for `trace`, metrics…).
 * @module
 */

/** Why a response or a call counts as a failure. */
export type Failure =
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'error'; readonly error: unknown; readonly message: string }

/** Decides whether a response or an error is a failure, and of which class. */
export interface Classifier<F = Failure> {
  /** `undefined` when the response is a success, else its failure class. */
  classifyResponse(res: Response): F | undefined
  /** The failure class of an error (a rejected call, a failed body stream). */
  classifyError(error: unknown): F
}

/** tower-http's display of a failure: `Status code: 500` or `Error: <message>`. */
export function formatFailure(failure: Failure): string {
  return failure.kind === 'status' ? `Status code: ${failure.status}` : `Error: ${failure.message}`
}

function errorFailure(error: unknown): Failure {
  return { kind: 'error', error, message: error instanceof Error ? error.message : String(error) }
}

/** Classifies `5xx` responses and every error as failures: the default for HTTP servers. */
export function serverErrorsAsFailures(): Classifier<Failure> {
  return statusInRange(500, 599)
}

/**
 * Classifies responses whose status is in `[min, max]` (inclusive) as failures, and every error.
 * Throws a `RangeError` unless `100 <= min <= max <= 999`.
 *
 * @example
 * ```ts
 * trace({ classifier: statusInRange(400, 599) }) // client and server errors
 * ```
 */
export function statusInRange(min: number, max: number): Classifier<Failure> {
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 100 && max <= 999 && min <= max)) {
    throw new RangeError(`statusInRange: invalid range ${min}..${max} (need 100 <= min <= max <= 999)`)
  }
  return {
    classifyResponse: (res) =>
      res.status >= min && res.status <= max ? { kind: 'status', status: res.status } : undefined,
    classifyError: errorFailure,
  }
}

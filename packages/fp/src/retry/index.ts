/**
 * Retry policies built from fp-ts predicates, for core's `retry` layer: retry the failures (or the
 * `Left`s of an Either-valued service) that a `Predicate` accepts.
 * @module
 */
import { type Policy, type RetryPolicyOptions, retryPolicy } from '@turret/core'
import type { Either } from 'fp-ts/lib/Either.js'
import type { Predicate } from 'fp-ts/lib/Predicate.js'

/** Options of {@link retryWhen} and {@link retryWhenLeft}: those of core's `retryPolicy` but `retryIf`. */
export type PredicateRetryOptions<Req, Res> = Omit<RetryPolicyOptions<Req, Res>, 'retryIf'>

/**
 * A retry policy that retries a rejected call when `isRetryable(error)` holds (up to `attempts`,
 * with `retryPolicy`'s backoff and budget options). Successes are never retried.
 *
 * @example
 * ```ts
 * const isThrottled: Predicate<unknown> = (e) => e instanceof ThrottledError
 * pipe(svc, retry(retryWhen(isThrottled, { attempts: 2 })))
 * ```
 */
export function retryWhen<Req, Res>(
  isRetryable: Predicate<unknown>,
  options: PredicateRetryOptions<Req, Res> = {},
): () => Policy<Req, Res> {
  return retryPolicy<Req, Res>({ ...options, retryIf: (result) => !result.ok && isRetryable(result.error) })
}

/**
 * A retry policy for services whose response is an `Either`: retries when the response is a `Left`
 * that `isRetryable` accepts (a rejection is retried only when `orRejections` is given and accepts it).
 *
 * @example
 * ```ts
 * const transient: Predicate<ApiError> = (e) => e.status >= 500
 * pipe(eitherSvc, retry(retryWhenLeft(transient, { attempts: 3 })))
 * ```
 */
export function retryWhenLeft<Req, E, A>(
  isRetryable: Predicate<E>,
  options: PredicateRetryOptions<Req, Either<E, A>> & {
    /** Which rejections to retry. Defaults to none: a rejection is returned at once. */
    readonly orRejections?: Predicate<unknown> | undefined
  } = {},
): () => Policy<Req, Either<E, A>> {
  const { orRejections, ...rest } = options
  return retryPolicy<Req, Either<E, A>>({
    ...rest,
    retryIf: (result) =>
      result.ok
        ? result.value._tag === 'Left' && isRetryable(result.value.left)
        : orRejections?.(result.error) === true,
  })
}

import { type Clock, sleep, systemClock } from '../clock'
import { observer } from '../internal/observer'
import { readyWith } from '../internal/wait'
import { err, ok, type Result } from '../result'
import { type Layered, type Ready, ready, type Service } from '../service'
import type { ExponentialBackoff } from './backoff'
import type { Budget } from './budget'

export { ExponentialBackoff, type ExponentialBackoffOptions, InvalidBackoffError } from './backoff'
export { type Budget, TpsBudget, type TpsBudgetOptions } from './budget'

/**
 * What a retry wait resolves to: nothing (retry the same request), `{ request }` (retry with this
 * request instead), or `{ result }` (stop after all and return this result).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a plain Promise<void> (such as sleep()) means "retry the same request"
export type RetryOutcome<Req, Res> = void | { readonly request: Req } | { readonly result: Result<Res> }

/**
 * Decides whether and when a request is retried (tower's `retry::Policy`).
 *
 * @example
 * ```ts
 * const policy: Policy<string, string> = {
 *   cloneRequest: (req) => req,
 *   retry: (req, result) => (result.ok ? undefined : sleep(100)),
 * }
 * ```
 */
export interface Policy<Req, Res> {
  /**
   * Called with the request and the outcome of each attempt (success or failure). Return
   * `undefined` to stop and return that outcome, or a promise that resolves when the retry should
   * be made; it may resolve to a new request for the retry, or to a replacement result to stop with.
   */
  retry(req: Req, result: Result<Res>): PromiseLike<RetryOutcome<Req, Res>> | undefined
  /**
   * A copy of the request to keep for a possible retry, made before each attempt. `undefined`
   * means this request cannot be retried: `retry()` is then not called for it.
   */
  cloneRequest(req: Req): Req | undefined
}

/** A policy, or a function making a fresh policy per request (for policies with per-request state). */
export type PolicySource<Req, Res> = Policy<Req, Res> | (() => Policy<Req, Res>)

function unwrap<Res>(result: Result<Res>): Res {
  if (result.ok) return result.value
  throw result.error
}

class Retry<Req, Res> implements Service<Req, Res>, Layered {
  readonly layerName = 'retry'
  constructor(
    readonly inner: Service<Req, Res>,
    readonly policy: PolicySource<Req, Res>,
  ) {}

  /** Forwards readiness, and the optional abort signal, to the inner service. */
  ready(signal?: AbortSignal): Ready {
    return readyWith(this.inner, signal)
  }

  call(req: Req): Promise<Res> {
    const policy = typeof this.policy === 'function' ? this.policy() : this.policy
    const kept = policy.cloneRequest(req)
    let first: Promise<Res>
    try {
      first = this.inner.call(req)
    } catch (error) {
      first = Promise.reject(error)
    }
    if (kept === undefined) return first
    return this.#loop(policy, kept, first)
  }

  async #loop(policy: Policy<Req, Res>, kept: Req, attempt: Promise<Res>): Promise<Res> {
    let req = kept
    for (let retries = 1; ; retries++) {
      let result: Result<Res>
      try {
        result = ok(await attempt)
      } catch (error) {
        result = err(error)
      }
      const wait = policy.retry(req, result)
      if (wait === undefined) return unwrap(result)
      const outcome = await wait
      if (outcome && 'result' in outcome) return unwrap(outcome.result)
      if (outcome && 'request' in outcome) req = outcome.request
      await ready(this.inner) // each retry waits for the inner service's readiness
      if (observer !== undefined) observer.retry(retries, result)
      const next = policy.cloneRequest(req)
      attempt = this.inner.call(req)
      if (next === undefined) return attempt
      req = next
    }
  }
}

/**
 * Retries calls as `policy` decides (tower's `Retry`). Each retry first waits for the inner
 * service's readiness, then calls it with the kept copy of the request.
 *
 * Pass a policy object, or a function that makes one per request when the policy counts
 * attempts: {@link retryPolicy} returns such a function.
 *
 * @example
 * ```ts
 * const svc = retry(retryPolicy({ attempts: 3, backoff: new ExponentialBackoff() }))(flaky)
 * ```
 */
export function retry<Req, Res>(policy: PolicySource<Req, Res>): (inner: Service<Req, Res>) => Service<Req, Res> {
  return function retry(inner: Service<Req, Res>): Service<Req, Res> {
    return new Retry(inner, policy)
  }
}

/** Options of {@link retryPolicy}. */
export interface RetryPolicyOptions<Req, Res> {
  /** Retries allowed after the first attempt. Defaults to `3`. */
  readonly attempts?: number | undefined
  /** Whether an outcome is worth retrying. Defaults to retrying every failure. */
  readonly retryIf?: ((result: Result<Res>, req: Req) => boolean) | undefined
  /** The delay before each retry. Defaults to none: retry at once. */
  readonly backoff?: ExponentialBackoff | undefined
  /** A budget shared across requests: each request deposits, each retry withdraws. Defaults to none. */
  readonly budget?: Budget | undefined
  /**
   * Copies a request for a retry; `undefined` disables retries for it. Defaults to reusing the
   * request itself (right for immutable requests; a fetch `Request` with a body needs `clone()`).
   */
  readonly cloneRequest?: ((req: Req) => Req | undefined) | undefined
  /** The clock that runs backoff delays. Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
}

const retryFailures = (result: Result<unknown>) => !result.ok

/**
 * A ready-made policy: retries failures (or what `retryIf` accepts) up to `attempts` times, with
 * optional exponential backoff and a shared retry budget. Returns a per-request policy factory.
 *
 * @example
 * ```ts
 * const svc = retry(retryPolicy({ attempts: 2, budget: new TpsBudget() }))(backend)
 * ```
 */
export function retryPolicy<Req, Res>(options: RetryPolicyOptions<Req, Res> = {}): () => Policy<Req, Res> {
  const attempts = options.attempts ?? 3
  if (!Number.isInteger(attempts) || attempts < 0) {
    throw new RangeError(`retryPolicy: attempts must be an integer >= 0, got ${attempts}`)
  }
  const retryIf = options.retryIf ?? retryFailures
  const { backoff, budget } = options
  const clone = options.cloneRequest ?? ((req: Req) => req)
  const clock = options.clock ?? systemClock
  return () => {
    let done = 0
    return {
      cloneRequest: clone,
      retry(req, result) {
        if (done === 0) budget?.deposit()
        if (done >= attempts || !retryIf(result, req)) return undefined
        if (budget && !budget.withdraw()) return undefined
        const delay = backoff ? backoff.delay(done) : 0
        done++
        return delay > 0 ? sleep(delay, clock) : Promise.resolve()
      },
    }
  }
}

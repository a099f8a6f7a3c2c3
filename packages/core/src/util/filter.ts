import { RejectedError } from '../errors'
import type { Ready, Service } from '../service'

/**
 * A filter predicate: return `true` to pass the request on, `false` to reject it, or a new
 * (transformed) request to pass that on instead. A throw rejects too, and becomes the `cause`.
 */
export type Predicate<A, B> = (req: A) => B | boolean
/** An asynchronous {@link Predicate}. */
export type AsyncPredicate<A, B> = (req: A) => B | boolean | PromiseLike<B | boolean>

function rejected(error: unknown): RejectedError {
  return error instanceof RejectedError ? error : new RejectedError(undefined, { cause: error })
}

class Filter<A, B, Res> implements Service<A, Res> {
  /** Reservations of `inner` made for calls the predicate then rejected: reused by the next ready(). */
  private spare = 0
  constructor(
    readonly inner: Service<B, Res>,
    private readonly check: AsyncPredicate<A, B>,
    readonly layerName: 'filter' | 'filterAsync',
  ) {}
  ready(signal?: AbortSignal): Ready {
    if (this.spare > 0) {
      this.spare--
      return undefined
    }
    return this.inner.ready(signal)
  }
  call(req: A): Promise<Res> {
    let verdict: B | boolean | PromiseLike<B | boolean>
    try {
      verdict = this.check(req)
    } catch (error) {
      this.spare++
      return Promise.reject(rejected(error))
    }
    if (this.layerName === 'filter') return this.pass(req, verdict as B | boolean)
    return Promise.resolve(verdict).then(
      (v) => this.pass(req, v),
      (error: unknown) => {
        this.spare++
        throw rejected(error)
      },
    )
  }
  private pass(req: A, verdict: B | boolean): Promise<Res> {
    if (verdict === false) {
      this.spare++
      return Promise.reject(new RejectedError())
    }
    return this.inner.call(verdict === true ? (req as unknown as B) : verdict)
  }
}

/**
 * Checks each request synchronously before the inner service is called: a `false` or a throw
 * rejects the call with {@link RejectedError} and the inner service is not called; a returned
 * value replaces the request.
 *
 * @example
 * ```ts
 * const onlyAdmins = filter((req: Req) => req.user.admin)(svc)
 * const parsed = filter((raw: string) => JSON.parse(raw) as Command)(commands) // Service<string, …>
 * ```
 */
export function filter<A>(predicate: (req: A) => boolean): <Res>(inner: Service<A, Res>) => Service<A, Res>
export function filter<A, B>(check: Predicate<A, B>): <Res>(inner: Service<B, Res>) => Service<A, Res>
export function filter<A, B>(check: Predicate<A, B>): <Res>(inner: Service<B, Res>) => Service<A, Res> {
  return function filter<Res>(inner: Service<B, Res>): Service<A, Res> {
    return new Filter(inner, check, 'filter')
  }
}

/**
 * {@link filter} with an asynchronous predicate: a resolved `false` or a rejection rejects the
 * call with {@link RejectedError}.
 *
 * @example
 * ```ts
 * const authorized = filterAsync(async (req: Req) => (await acl.allows(req.user)) ? req : false)(svc)
 * ```
 */
export function filterAsync<A>(
  predicate: (req: A) => boolean | PromiseLike<boolean>,
): <Res>(inner: Service<A, Res>) => Service<A, Res>
export function filterAsync<A, B>(check: AsyncPredicate<A, B>): <Res>(inner: Service<B, Res>) => Service<A, Res>
export function filterAsync<A, B>(check: AsyncPredicate<A, B>): <Res>(inner: Service<B, Res>) => Service<A, Res> {
  return function filterAsync<Res>(inner: Service<B, Res>): Service<A, Res> {
    return new Filter(inner, check, 'filterAsync')
  }
}

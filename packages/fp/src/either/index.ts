/**
 * Layers for services whose response is an fp-ts `Either` (errors as values), and the bridges
 * between rejecting services and Either-valued ones.
 * @module
 */
import { type Next, PassThrough, type Service } from '@turret/core'
import type { Either } from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as E from '../internal/either'

class EitherLayer<Req, A, B> extends PassThrough<Req, B, Req, A> {
  constructor(
    inner: Service<Req, A>,
    private readonly onSettled: (res: A) => B | PromiseLike<B>,
    private readonly onRejected: ((error: unknown) => B | PromiseLike<B>) | undefined,
    readonly layerName: string,
  ) {
    super(inner)
  }
  protected handle(req: Req, next: Next<Req, A>): Promise<B> {
    return next(req).then(this.onSettled, this.onRejected)
  }
}

/**
 * Turns a rejecting service into one that answers `Either`: a rejection becomes a `Left`.
 *
 * @example
 * ```ts
 * const safe = liftEither(getUser) // Service<string, Either<unknown, User>>
 * ```
 */
export function liftEither<Req, Res>(inner: Service<Req, Res>): Service<Req, Either<unknown, Res>> {
  return new EitherLayer<Req, Res, Either<unknown, Res>>(inner, E.right, E.left, 'liftEither')
}

/**
 * Turns an `Either`-answering service back into a rejecting one: a `Left` rejects the call with
 * the left value.
 */
export function unliftEither<Req, L, R>(inner: Service<Req, Either<L, R>>): Service<Req, R> {
  return new EitherLayer<Req, Either<L, R>, R>(inner, unwrap, undefined, 'unliftEither')
}

function unwrap<L, R>(result: Either<L, R>): R {
  if (E.isLeft(result)) throw result.left
  return result.right
}

/**
 * Maps the `Left` of an `Either`-answering service.
 *
 * @example
 * ```ts
 * pipe(safe, mapLeft((e) => ({ status: 500, cause: e })))
 * ```
 */
export function mapLeft<E1, E2>(
  f: (error: E1) => E2,
): <Req, A>(inner: Service<Req, Either<E1, A>>) => Service<Req, Either<E2, A>> {
  return function mapLeft<Req, A>(inner: Service<Req, Either<E1, A>>): Service<Req, Either<E2, A>> {
    return new EitherLayer(inner, E.mapLeft(f), undefined, 'mapLeft')
  }
}

/**
 * Maps the `Right` of an `Either`-answering service.
 */
export function mapRight<A, B>(
  f: (value: A) => B,
): <Req, E1>(inner: Service<Req, Either<E1, A>>) => Service<Req, Either<E1, B>> {
  return function mapRight<Req, E1>(inner: Service<Req, Either<E1, A>>): Service<Req, Either<E1, B>> {
    return new EitherLayer(inner, E.map(f), undefined, 'mapRight')
  }
}

/**
 * Recovers from a `Left` with a `TaskEither` (fp-ts `orElse`): a fallback, a default, or a
 * different error.
 *
 * @example
 * ```ts
 * pipe(safe, orElse((e) => (isNotFound(e) ? TE.right(guest) : TE.left(e))))
 * ```
 */
export function orElse<E1, E2, A>(
  f: (error: E1) => TaskEither<E2, A>,
): <Req>(inner: Service<Req, Either<E1, A>>) => Service<Req, Either<E2, A>> {
  const recover = (result: Either<E1, A>): Either<E2, A> | Promise<Either<E2, A>> =>
    E.isLeft(result) ? f(result.left)() : result
  return function orElse<Req>(inner: Service<Req, Either<E1, A>>): Service<Req, Either<E2, A>> {
    return new EitherLayer(inner, recover, undefined, 'orElse')
  }
}

/**
 * The few fp-ts `Either` constructors this package needs, written out here. fp-ts 2.x has no exports map, so
 * `import 'fp-ts/Either'` fails under plain Node ESM (a directory import) and its `es6/` build is not loadable by
 * Node at all; writing these one-liners keeps `@turret/fp` loadable with `import` and `require` in plain Node.
 * The values are the same plain `{ _tag, left | right }` objects fp-ts builds; fp-ts stays a peer dependency
 * for its types.
 * @module
 */
import type { Either, Left, Right } from 'fp-ts/lib/Either.js'

/** fp-ts `E.left`. */
export const left = <E, A = never>(value: E): Either<E, A> => ({ _tag: 'Left', left: value }) satisfies Left<E>

/** fp-ts `E.right`. */
export const right = <A, E = never>(value: A): Either<E, A> => ({ _tag: 'Right', right: value }) satisfies Right<A>

/** fp-ts `E.isLeft`. */
export const isLeft = <E, A>(result: Either<E, A>): result is Left<E> => result._tag === 'Left'

/** fp-ts `E.map`. */
export const map =
  <A, B>(f: (value: A) => B) =>
  <E>(result: Either<E, A>): Either<E, B> =>
    isLeft(result) ? result : right(f(result.right))

/** fp-ts `E.mapLeft`. */
export const mapLeft =
  <E1, E2>(f: (error: E1) => E2) =>
  <A>(result: Either<E1, A>): Either<E2, A> =>
    isLeft(result) ? left(f(result.left)) : result

/**
 * Services from and to fp-ts `TaskEither` functions.
 * @module
 */
import type { Service } from '@turret/core'
import { oneshot, serviceFn } from '@turret/core'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import * as E from '../internal/either'

/**
 * Makes a service from a function returning a `TaskEither`: a `Right` resolves the call, a
 * `Left` rejects it with the left value.
 *
 * @example
 * ```ts
 * const getUser = fromTaskEither((id: string) => TE.tryCatch(() => db.get(id), toAppError))
 * await oneshot(getUser, '42') // User, or rejects with the AppError
 * ```
 */
export function fromTaskEither<Req, E, Res>(f: (req: Req) => TaskEither<E, Res>): Service<Req, Res> {
  return serviceFn(function fromTaskEither(req: Req): Promise<Res> {
    return f(req)().then((result) => {
      if (E.isLeft(result)) throw result.left
      return result.right
    })
  })
}

/**
 * Turns a service into a function returning a `TaskEither`: readiness and call failures become
 * a `Left`, so the service can be used inside fp-ts pipelines.
 *
 * @example
 * ```ts
 * const program = pipe('42', toTaskEither(getUser), TE.map((u) => u.name))
 * ```
 */
export function toTaskEither<Req, Res>(svc: Service<Req, Res>): (req: Req) => TaskEither<unknown, Res> {
  return (req) => () => oneshot(svc, req).then(E.right, E.left)
}

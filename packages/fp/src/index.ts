/**
 * `@turret/fp`: fp-ts interop for turret services and layers. Every layer is a plain function,
 * so fp-ts `pipe` and `flow` compose them with no adapter.
 * @module index
 */
export { liftEither, mapLeft, mapRight, orElse, unliftEither } from './either/index'
export { type PredicateRetryOptions, retryWhen, retryWhenLeft } from './retry/index'
export { fromTaskEither, toTaskEither } from './task-either/index'

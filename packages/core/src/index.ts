/**
 * `@turret/core`: tower for TypeScript. The `Service` contract, `ServiceBuilder`, `oneshot`,
 * the combinators and the protocol-agnostic middleware.
 * @module
 */

export * from './balance/index'
export * from './buffer/index'
export { ServiceBuilder, type StackTypeError } from './builder'
export { type Clock, sleep, systemClock, type TimerHandle } from './clock'
export * from './discover/index'
export { ClosedError, NotReadyError, RejectedError, TurretError, type TurretErrorOptions } from './errors'
export * from './hedge/index'
export * from './limit/index'
export * from './load/index'
export * from './load-shed/index'
export * from './make/index'
export * from './observe/index'
export * from './pass-through/index'
export * from './ready-cache/index'
export * from './reconnect/index'
export { err, ok, type Result } from './result'
export * from './retry/index'
export {
  describeStack,
  type Layer,
  type Layered,
  type Middleware,
  type OneshotOptions,
  oneshot,
  type Ready,
  type RequestOf,
  type ResponseOf,
  ready,
  type Service,
  serviceFn,
} from './service'
export * from './spawn-ready/index'
export * from './steer/index'
export * from './timeout/index'
export * from './util/index'

/**
 * `@turret/core`: tower for TypeScript. The `Service` contract, `ServiceBuilder`, `oneshot`,
 * the combinators and the protocol-agnostic middleware with their options and errors. Each
 * middleware is also its own subpath (`@turret/core/timeout`, …); mocks and the test clock are in
 * `@turret/core/testing`.
 * @module index
 */

// balance's subpath also carries the discovery helpers it consumes
export {
  type BalanceOptions,
  type BalanceService,
  balance,
  type Change,
  type Discover,
  type DiscoverChannel,
  DiscoverError,
  discoverChannel,
  mapDiscover,
  serviceList,
} from './balance/index'
export { type BufferOptions, type BufferService, buffer, ServiceFailedError } from './buffer/index'
export { ServiceBuilder, type StackTypeError } from './builder'
export { type Clock, sleep, systemClock, type TimerHandle } from './clock'
export { ClosedError, NotReadyError, RejectedError, TurretError, type TurretErrorOptions } from './errors'
export { type HedgeOptions, type HedgePolicy, hedge } from './hedge/index'
export {
  type ConcurrencyLimitService,
  concurrencyLimit,
  globalConcurrencyLimit,
  type RateLimitOptions,
  type RateLimitService,
  rateLimit,
  Semaphore,
} from './limit/index'
export {
  type Completion,
  type CompletionHandle,
  constantLoad,
  type Load,
  type LoadService,
  type PeakEwmaOptions,
  type PendingRequestsOptions,
  peakEwma,
  peakEwmaDiscover,
  pendingRequests,
  pendingRequestsDiscover,
} from './load/index'
export { type LoadShedService, loadShed, OverloadedError } from './load-shed/index'
export { type MakeService, makeServiceAsService, serviceAsMakeService, shared } from './make/index'
export { type CoreObserver, setObserver } from './observe/index'
export { type Next, PassThrough } from './pass-through/index'
export { ReadyCache, ReadyCacheFailedError, readyCache } from './ready-cache/index'
export { type ReconnectService, reconnect } from './reconnect/index'
export { err, ok, type Result } from './result'
export {
  type Budget,
  ExponentialBackoff,
  type ExponentialBackoffOptions,
  InvalidBackoffError,
  type Policy,
  type PolicySource,
  type RetryOutcome,
  type RetryPolicyOptions,
  retry,
  retryPolicy,
  TpsBudget,
  type TpsBudgetOptions,
} from './retry/index'
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
export { type SpawnReadyService, spawnReady } from './spawn-ready/index'
export { type Picker, type SteerService, steer } from './steer/index'
export { TimeoutError, type TimeoutOptions, timeout } from './timeout/index'
export {
  type AsyncPredicate,
  andThen,
  callAll,
  callAllUnordered,
  either,
  filter,
  filterAsync,
  mapErr,
  mapRequest,
  mapResponse,
  mapResult,
  mapResultAsync,
  optionLayer,
  type Predicate,
} from './util/index'

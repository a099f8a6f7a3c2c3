/**
 * tower's `limit`: concurrency limits (per service or shared) and rate limits.
 * @module
 */
export { type ConcurrencyLimitService, concurrencyLimit, globalConcurrencyLimit } from './concurrency'
export { type RateLimitOptions, type RateLimitService, rateLimit } from './rate'
export { Semaphore } from './semaphore'

/**
 * `setObserver`: a process-wide hook through which core layers report what they do — each retry,
 * each hedge, each rejection with their own error — to a tracer such as `@turret/otel`. It costs
 * one branch at those sites when unused, and nothing on the success path.
 * @module
 */
import type { TurretError } from '../errors'
import { installObserver } from '../internal/observer'
import type { Result } from '../result'

/**
 * What core layers report to an installed observer. Each method runs synchronously at the event,
 * in the caller's async context (so an OpenTelemetry observer finds the request's active span),
 * and must not throw.
 */
export interface CoreObserver {
  /** A `retry` layer is about to send retry number `attempt` (1 for the first retry) after the outcome `previous`. */
  retry(attempt: number, previous: Result<unknown>): void
  /** A `hedge` layer is sending the hedged copy of a request. */
  hedge(): void
  /** A layer (`timeout`, `loadShed`, `concurrencyLimit`) rejected a call with its own `error`. */
  rejected(error: TurretError, layer: string): void
}

/**
 * Installs `observer` for every core layer in the process (`undefined` removes it); returns the
 * observer it replaces. `@turret/otel` installs one when its first layer is built.
 *
 * @example
 * ```ts
 * setObserver({
 *   retry: (attempt) => console.log('retry', attempt),
 *   hedge: () => console.log('hedge sent'),
 *   rejected: (error, layer) => console.log(layer, error.code),
 * })
 * ```
 */
export function setObserver(observer: CoreObserver | undefined): CoreObserver | undefined {
  return installObserver(observer)
}

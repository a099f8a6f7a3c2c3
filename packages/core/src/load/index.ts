/**
 * tower's `load`: load metrics for `balance` (pending requests, peak EWMA, constant) and the
 * discover wrappers that attach them.
 * @module
 */
import { type Discover, mapDiscover } from '../discover/index'
import type { Service } from '../service'
import type { LoadService } from './completion'
import { type PeakEwmaOptions, peakEwma } from './peak-ewma'
import { type PendingRequestsOptions, pendingRequests } from './pending-requests'

export type { Completion, CompletionHandle, Load, LoadService } from './completion'
export { constantLoad } from './constant'
export { type PeakEwmaOptions, peakEwma } from './peak-ewma'
export { type PendingRequestsOptions, pendingRequests } from './pending-requests'

/** Wraps every service a discover source inserts in {@link pendingRequests} (tower's `PendingRequestsDiscover`). */
export function pendingRequestsDiscover<K, Req, Res>(
  discover: Discover<K, Service<Req, Res>>,
  options: PendingRequestsOptions<Res> = {},
): Discover<K, LoadService<Req, Res>> {
  const layer = pendingRequests<Res>(options)
  return mapDiscover(discover, (svc) => layer(svc))
}

/** Wraps every service a discover source inserts in {@link peakEwma} (tower's `PeakEwmaDiscover`). */
export function peakEwmaDiscover<K, Req, Res>(
  discover: Discover<K, Service<Req, Res>>,
  options: PeakEwmaOptions<Res> = {},
): Discover<K, LoadService<Req, Res>> {
  const layer = peakEwma<Res>(options)
  return mapDiscover(discover, (svc) => layer(svc))
}

/**
 * The Hono app as a turret service, with the HTTP layers around it. The same `service` runs on
 * Lambda (`handler.ts`), on node (`server.ts`) and in tests (`oneshot`).
 * @module
 */
import { type Clock, ServiceBuilder } from '@turret/core'
import {
  compression,
  cors,
  fromFetch,
  type HttpService,
  propagateRequestId,
  requestTimeout,
  setRequestId,
  type TraceLogger,
  trace,
} from '@turret/http'
import { app } from './app'

/** Options of {@link makeService}. */
export interface AppServiceOptions {
  /** Answer 408 when the app takes longer than this. Defaults to `10_000` (ms). */
  readonly timeoutMs?: number | undefined
  /** Where `trace` logs (`console` prints one line per request). Defaults to none. */
  readonly logger?: TraceLogger | undefined
  /** The clock the timeout runs on (tests pass a `TestClock`). Defaults to the system clock. */
  readonly clock?: Clock | undefined
}

/** Builds the layer stack around the Hono app (outermost first). */
export function makeService(options: AppServiceOptions = {}): HttpService {
  return new ServiceBuilder()
    .layer(setRequestId()) // x-request-id: kept when valid, else a new UUID; outside trace so logs carry it
    .layer(trace({ logger: options.logger }))
    .layer(propagateRequestId()) // copies x-request-id onto the response
    .layer(cors({ allowOrigin: '*', allowMethods: ['GET', 'POST'], exposeHeaders: ['x-request-id'] }))
    .layer(compression())
    .layer(requestTimeout(options.timeoutMs ?? 10_000, { clock: options.clock }))
    .service(fromFetch(app))
}

/** The service with the default options. */
export const service: HttpService = makeService()

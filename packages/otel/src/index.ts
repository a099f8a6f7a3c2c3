/**
 * `@turret/otel`: OpenTelemetry for turret stacks — `otelHttp` (server spans and the request
 * duration histogram), `otelClient` (client spans, context injection), `otelLambda` (invocation
 * spans continuing X-Ray or HTTP traces) and `observeCore` (core layers' retries, hedges and
 * rejections on the active span). Depends on `@opentelemetry/api` only; costs next to nothing
 * while no SDK is registered.
 * @module index
 */
export { type OtelClientOptions, otelClient } from './client/index'
export { currentSpan, type OtelHttpOptions, otelHttp } from './http/index'
export { observeCore } from './internal/observer'
export type { ProviderOptions } from './internal/sdk'
export { type OtelLambdaOptions, otelLambda, type XrayMode } from './lambda/index'

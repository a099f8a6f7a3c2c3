/**
 * The managed Node.js runtime export: `otelLambda` makes the invocation span (continuing the X-Ray
 * trace Lambda passes in `_X_AMZN_TRACE_ID`, or the event's `traceparent`), and the app's
 * `otelHttp` span sits under it.
 * @module
 */
import { httpAdapter, lambdaHandler } from '@turret/lambda'
import { otelLambda } from '@turret/otel'
import { app } from './app'
import { setupTelemetry } from './telemetry'

setupTelemetry()

/** `handler: handler.handler` behind API Gateway (HTTP API), a Function URL or an ALB. */
export const handler = lambdaHandler(otelLambda()(httpAdapter()(app)))

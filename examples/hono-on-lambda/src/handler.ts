/**
 * The AWS Lambda entry for the managed Node.js runtime (`handler: handler.handler`), and what
 * `turret dev src/handler.ts` serves locally: API Gateway / Function URL events in, results out.
 * @module
 */
import { httpHandler } from '@turret/lambda'
import { service } from './service'

/** The managed runtime's export: API Gateway (v1, v2), ALB and Function URL events through the app. */
export const handler = httpHandler(service)

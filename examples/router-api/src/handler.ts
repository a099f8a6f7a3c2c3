/**
 * The AWS Lambda entry for the managed Node.js runtime (`handler: handler.handler`), and what
 * `turret dev src/handler.ts` serves locally.
 * @module
 */
import { httpHandler } from '@turret/lambda'
import { app } from './app'

/** The managed runtime's export: API Gateway (v1, v2), ALB and Function URL events through the router. */
export const handler = httpHandler(app)

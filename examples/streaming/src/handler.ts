/**
 * The managed Node.js runtime export for a Function URL with `InvokeMode: RESPONSE_STREAM`: each
 * SSE event is written to the response stream as soon as it is produced. Loaded by Lambda (the
 * `awslambda` global must exist at module load).
 * @module
 */
import { streamHttpHandler } from '@turret/lambda'
import { app } from './app'

/** `handler: handler.handler` on a Function URL in RESPONSE_STREAM mode. */
export const handler = streamHttpHandler(app)

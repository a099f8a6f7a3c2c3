/**
 * The same app as a custom runtime (provided.al2023) in streaming mode: the Runtime API loop sends
 * the HTTP integration prelude, 8 NUL bytes, then the SSE body chunk by chunk.
 * @module
 */
import { runHttp } from '@turret/lambda'
import { app } from './app'

await runHttp(app, { stream: true })

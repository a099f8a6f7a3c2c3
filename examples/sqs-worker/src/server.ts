/**
 * An HTTP server that receives events, so the same handler runs outside Lambda for local checks
 * and integration tests: `POST /` with an SQS event JSON runs the batch and answers with its batch
 * response (`{ "batchItemFailures": [...] }`). `pnpm serve` starts it (PORT defaults to 3001).
 * @module
 */
import { randomUUID } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { oneshot, type Service, serviceFn } from '@turret/core'
import { type HttpService, serve } from '@turret/http'
import { functionEnvironment, InvocationContext, type LambdaEvent } from '@turret/lambda'
import type { SQSEvent } from 'aws-lambda'

/** Options of {@link eventServer}. */
export interface EventServerOptions {
  /** The function timeout each event runs with. Defaults to `30_000` ms. */
  readonly timeoutMs?: number | undefined
}

/** An HTTP service that runs `batch` on the SQS event POSTed to it and answers the batch response as JSON. */
export function eventServer<R>(
  batch: Service<LambdaEvent<SQSEvent>, R>,
  options: EventServerOptions = {},
): HttpService {
  const timeoutMs = options.timeoutMs ?? 30_000
  return serviceFn(async (req: Request): Promise<Response> => {
    if (req.method !== 'POST')
      return new Response('POST an SQS event JSON\n', { status: 405, headers: { allow: 'POST' } })
    let payload: SQSEvent
    try {
      payload = (await req.json()) as SQSEvent
    } catch {
      return Response.json({ error: 'the body is not JSON' }, { status: 400 })
    }
    const requestId = req.headers.get('x-request-id') ?? randomUUID()
    const env = functionEnvironment()
    const context = new InvocationContext(
      requestId,
      Date.now() + timeoutMs,
      `arn:aws:lambda:us-east-1:000000000000:function:${env.functionName || 'sqs-worker'}`,
      undefined,
      undefined,
      undefined,
      undefined,
      env,
    )
    try {
      const result = await oneshot(batch, { payload, context })
      return Response.json(result ?? null)
    } catch (error) {
      // What Lambda reports for a failed invocation (the whole batch is retried).
      const e = error instanceof Error ? error : new Error(String(error))
      return Response.json({ errorType: e.name, errorMessage: e.message }, { status: 500 })
    }
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { batch } = await import('./handler')
  const server = await serve(eventServer(batch), {
    port: Number(process.env.PORT ?? 3001),
    hostname: '127.0.0.1',
  })
  console.log(`sqs-worker: POST SQS events to ${server.url}/  e.g.
  curl -s -X POST --data @events/orders.json ${server.url}/`)
  const stop = () => void server.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

/**
 * Streamed HTTP responses: the managed runtime's `awslambda.streamifyResponse` and the custom runtime's
 * HTTP integration stream (prelude JSON, 8 NUL bytes, body).
 * @module
 */
import { once } from 'node:events'
import { type Layer, type Next, oneshot, PassThrough, type Service } from '@turret/core'
import type { Context as AwsContext } from 'aws-lambda'
import { fromAwsContext, type LambdaEvent } from '../context/index'
import { type StreamingResponse, streamingResponse } from '../runtime/index'
import { eventToRequest, type HttpAdapterOptions, useGlobals } from './adapter'
import { BadHttpEvent } from './request'
import { preludeOf } from './response'
import type { LambdaHttpEvent, StreamingPrelude } from './types'

/** `Content-Type` of a Runtime API response that carries an HTTP integration stream. */
export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response'

const encoder = new TextEncoder()

/**
 * The bytes that open an HTTP integration stream: the prelude as JSON, then 8 NUL bytes.
 *
 * @example
 * ```ts
 * httpIntegrationPrelude({ statusCode: 302, headers: { location: '/' }, cookies: [] })
 * ```
 */
export function httpIntegrationPrelude(prelude: StreamingPrelude): Uint8Array {
  const json = encoder.encode(JSON.stringify(prelude))
  const out = new Uint8Array(json.byteLength + 8)
  out.set(json, 0)
  return out
}

/**
 * The whole HTTP integration stream of a response: prelude JSON, 8 NUL bytes, then the body chunks
 * (none for HEAD).
 */
export async function* httpIntegrationStream(response: Response, head = false): AsyncGenerator<Uint8Array> {
  yield httpIntegrationPrelude(preludeOf(response))
  if (head || response.body === null) {
    if (response.body !== null) await response.body.cancel().catch(() => {})
    return
  }
  const reader = response.body.getReader()
  let done = false
  try {
    for (;;) {
      const next = await reader.read()
      if (next.done) {
        done = true
        return
      }
      yield next.value
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {})
    reader.releaseLock()
  }
}

function badEventResponse(bad: BadHttpEvent): Response {
  return new Response(`Bad Request: ${bad.message}`, {
    status: 400,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  })
}

async function* bodyChunks(response: Response, head: boolean): AsyncGenerator<Uint8Array> {
  const stream = httpIntegrationStream(response, head)
  await stream.next() // the prelude goes in `StreamingResponse.prelude`
  yield* stream
}

class HttpStreamAdapter extends PassThrough<LambdaEvent<LambdaHttpEvent>, StreamingResponse, Request, Response> {
  readonly layerName = 'httpStreamAdapter'
  readonly #options: HttpAdapterOptions

  constructor(inner: Service<Request, Response>, options: HttpAdapterOptions) {
    super(inner)
    this.#options = options
  }

  protected async handle(
    event: LambdaEvent<LambdaHttpEvent>,
    next: Next<Request, Response>,
  ): Promise<StreamingResponse> {
    const converted = eventToRequest(event, this.#options.stagePath)
    let response: Response
    let head = false
    if (converted instanceof BadHttpEvent) {
      response = badEventResponse(converted)
    } else {
      head = converted.parsed.method === 'HEAD'
      response = await next(converted.request)
    }
    return streamingResponse(bodyChunks(response, head), {
      contentType: HTTP_INTEGRATION_CONTENT_TYPE,
      prelude: httpIntegrationPrelude(preludeOf(response)),
    })
  }
}

/**
 * The streaming HTTP adapter layer, for `run()`: each event becomes a `Request`, and the `Response` is sent in
 * the Runtime API's streaming mode as an HTTP integration stream (status, headers and every cookie in the
 * prelude, even when the body is empty). For Function URLs with `InvokeMode: RESPONSE_STREAM` and API Gateway
 * streaming integrations.
 *
 * @example
 * ```ts
 * await run(httpStreamAdapter()(app))
 * ```
 */
export function httpStreamAdapter(
  options: HttpAdapterOptions = {},
): Layer<Service<Request, Response>, Service<LambdaEvent<LambdaHttpEvent>, StreamingResponse>> {
  useGlobals(options)
  return function httpStreamAdapter(inner) {
    return new HttpStreamAdapter(inner, options)
  }
}

/** The response stream the managed runtime hands a streaming handler (a Node `Writable`). */
export interface ResponseStream {
  /** Writes a chunk; `false` means wait for `'drain'`. */
  write(chunk: Uint8Array | string): boolean
  /** Ends the response. */
  end(callback?: (error?: Error | null) => void): unknown
  /** Listens once for a stream event. */
  once(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown
  /** Listens for a stream event. */
  on(event: string, listener: (...args: unknown[]) => void): unknown
  /** Stops listening (newer Node streams). */
  off?(event: string, listener: (...args: unknown[]) => void): unknown
  /** Stops listening. */
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown
  /** Emits a stream event. */
  emit(event: string, ...args: unknown[]): boolean
}

/** The managed Node.js runtime's `awslambda` global (the part streaming uses). */
export interface AwsLambdaGlobal {
  /** Marks a handler as streaming: it receives a response stream instead of returning a result. */
  streamifyResponse<T>(
    handler: (event: T, responseStream: ResponseStream, context: AwsContext) => Promise<void>,
    options?: { highWaterMark?: number },
  ): unknown
  /** Writes the HTTP integration prelude (status, headers, cookies) before the body. */
  HttpResponseStream: {
    /** Wraps a response stream so that the prelude is written first. */
    from(stream: ResponseStream, prelude: StreamingPrelude): ResponseStream
  }
}

/** Writes a response to a managed-runtime response stream: prelude (always), then the body with backpressure. */
export async function writeResponseStream(
  aws: AwsLambdaGlobal,
  responseStream: ResponseStream,
  response: Response,
  head = false,
): Promise<void> {
  const stream = aws.HttpResponseStream.from(responseStream, preludeOf(response))
  // The runtime writes the prelude on the first write; an empty write makes sure it goes out (and with it the
  // status and cookies of a body-less response such as a redirect: RIC issue #97, hono#2401).
  stream.write('')
  if (!head && response.body !== null) {
    const reader = response.body.getReader()
    let done = false
    try {
      for (;;) {
        const next = await reader.read()
        if (next.done) {
          done = true
          break
        }
        if (!stream.write(next.value)) await once(stream as unknown as NodeJS.EventEmitter, 'drain')
      }
    } finally {
      if (!done) await reader.cancel().catch(() => {})
      reader.releaseLock()
    }
  } else if (response.body !== null) {
    await response.body.cancel().catch(() => {})
  }
  // The runtime requires the stream to be finished when the handler resolves.
  await new Promise<void>((resolve, reject) => {
    stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
  })
}

/**
 * The managed Node.js runtime export for a streamed HTTP service: `awslambda.streamifyResponse` around the
 * adapter, writing the status, headers and cookies with `awslambda.HttpResponseStream.from` (even when the body
 * is empty), then the body with backpressure. Call it at module load in the Lambda runtime (the `awslambda`
 * global must exist).
 *
 * @example
 * ```ts
 * export const handler = streamHttpHandler(app)
 * ```
 */
export function streamHttpHandler(service: Service<Request, Response>, options: HttpAdapterOptions = {}): unknown {
  const aws = (globalThis as unknown as { awslambda?: AwsLambdaGlobal }).awslambda
  useGlobals(options)
  if (aws === undefined) {
    throw new TypeError('streamHttpHandler needs the global `awslambda` of the managed Node.js runtime')
  }
  return aws.streamifyResponse(async (payload: LambdaHttpEvent, responseStream, awsContext) => {
    const context = fromAwsContext(awsContext)
    try {
      const converted = eventToRequest({ payload, context }, options.stagePath)
      if (converted instanceof BadHttpEvent) {
        await writeResponseStream(aws, responseStream, badEventResponse(converted))
        return
      }
      const response = await oneshot(service, converted.request)
      await writeResponseStream(aws, responseStream, response, converted.parsed.method === 'HEAD')
    } finally {
      context.dispose()
    }
  })
}

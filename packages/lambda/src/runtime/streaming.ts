/** Marks a {@link StreamingResponse}; `Symbol.for` so that copies of the package agree. */
export const streamingResponseSymbol: unique symbol = Symbol.for('turret.lambda.streamingResponse')

/** The bytes of a streamed response: a web `ReadableStream` or any async iterable of chunks. */
export type ByteStream = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>

/**
 * A result that `run()` sends in the Runtime API's streaming response mode
 * (`Lambda-Runtime-Function-Response-Mode: streaming`, chunked, error trailers on mid-stream failure).
 */
export interface StreamingResponse {
  readonly [streamingResponseSymbol]: true
  /** The `Content-Type` of the response POST, propagated to the caller. */
  readonly contentType: string
  /** Bytes written before the body, even when the body is empty (e.g. an HTTP integration prelude). */
  readonly prelude: Uint8Array | string | undefined
  /** The body. */
  readonly body: ByteStream
}

/** Options of {@link streamingResponse}. */
export interface StreamingResponseOptions {
  /** The response's content type. Defaults to `'application/octet-stream'`. */
  readonly contentType?: string | undefined
  /** Bytes sent before the body, even when the body is empty. Defaults to none. */
  readonly prelude?: Uint8Array | string | undefined
}

/**
 * Makes a {@link StreamingResponse}: return it from a service run by `run()` to stream the body.
 *
 * @example
 * ```ts
 * const svc = serviceFn(async () => streamingResponse(Readable.toWeb(createReadStream(file))))
 * await run(svc)
 * ```
 */
export function streamingResponse(body: ByteStream, options: StreamingResponseOptions = {}): StreamingResponse {
  return {
    [streamingResponseSymbol]: true,
    contentType: options.contentType ?? 'application/octet-stream',
    prelude: options.prelude,
    body,
  }
}

/** Whether a service result is a {@link StreamingResponse}. */
export function isStreamingResponse(value: unknown): value is StreamingResponse {
  return typeof value === 'object' && value !== null && (value as StreamingResponse)[streamingResponseSymbol] === true
}

const encoder = new TextEncoder()

/** Iterates a {@link ByteStream} as `Uint8Array` chunks (strings are UTF-8 encoded). */
export async function* byteChunks(body: ByteStream): AsyncGenerator<Uint8Array, void, undefined> {
  if (typeof (body as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader()
    let finished = false
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) {
          finished = true
          return
        }
        yield value
      }
    } finally {
      if (!finished) await reader.cancel().catch(() => {})
      reader.releaseLock()
    }
  }
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk
  }
}

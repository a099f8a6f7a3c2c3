import { Writable } from 'node:stream'
import type { Ready, Service } from '@turret/core'
import { type LambdaEvent, toAwsContext } from '../context/index'
import { type CallbackHandler, fromHandler, type PromiseHandler } from '../handler/index'
import type { AwsLambdaGlobal, ResponseStream, StreamingPrelude } from '../http/index'
import { HTTP_INTEGRATION_CONTENT_TYPE, httpIntegrationPrelude } from '../http/stream'
import { type StreamingResponse, streamingResponseSymbol } from '../runtime/streaming'
import { awsLambdaGlobal, installAwsLambdaGlobal, streamified } from './aws-lambda-global'

/** A handler written for the managed Node.js runtime: promise, callback or `awslambda.streamifyResponse` style. */
export type ManagedHandler = (event: unknown, contextOrStream: never, ...rest: never[]) => unknown

/**
 * The response stream a streaming handler writes to. Chunks are handed to the reader one at a time (a
 * write completes once the reader took it, so the handler sees backpressure), the prelude and content
 * type are set by `awslambda.HttpResponseStream.from` or `setContentType`.
 */
export class ManagedResponseStream extends Writable {
  /** The content type of the response POST. */
  contentType = 'application/octet-stream'
  /** Bytes sent before the body (an HTTP integration prelude). */
  prelude: Uint8Array | undefined
  #pending: { chunk: Uint8Array; done: () => void } | undefined
  #finished = false
  #failure: { readonly error: unknown } | undefined
  #wake: (() => void) | undefined

  /** Sets the response's content type (as the managed runtime's stream does). */
  setContentType(contentType: string): void {
    this.contentType = contentType
  }

  /** Hands a chunk to the reader; completes once the reader took it. */
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (chunk.length === 0) {
      callback()
      return
    }
    this.#pending = { chunk: new Uint8Array(chunk), done: () => callback() }
    this.#notify()
  }

  /** Marks the body as ended. */
  override _final(callback: (error?: Error | null) => void): void {
    this.#finished = true
    this.#notify()
    callback()
  }

  /** Ends the body with `error` (after the chunks already written): the reader rejects with it. */
  fail(error: unknown): void {
    this.#failure ??= { error }
    this.#notify()
  }

  #notify(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  /** The body as the handler writes it; ends when the stream ends, rejects when the handler failed. */
  async *chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const pending = this.#pending
      if (pending !== undefined) {
        this.#pending = undefined
        yield pending.chunk
        pending.done()
        continue
      }
      if (this.#failure !== undefined) throw this.#failure.error
      if (this.#finished) return
      await new Promise<void>((resolve) => {
        this.#wake = resolve
      })
    }
  }
}

/**
 * The `awslambda` global of turret's managed-style runtime: `HttpResponseStream.from` puts the prelude on a
 * {@link ManagedResponseStream} (any other stream gets the prelude bytes written first).
 */
export const managedAwsLambda: AwsLambdaGlobal = awsLambdaGlobal(
  (stream: ResponseStream, prelude: StreamingPrelude): ResponseStream => {
    if (stream instanceof ManagedResponseStream) {
      stream.contentType = HTTP_INTEGRATION_CONTENT_TYPE
      stream.prelude = httpIntegrationPrelude(prelude)
    } else stream.write(httpIntegrationPrelude(prelude))
    return stream
  },
)

/** Defines `globalThis.awslambda` as {@link managedAwsLambda} unless one exists. */
export function installManagedAwsLambda(): boolean {
  return installAwsLambdaGlobal(managedAwsLambda)
}

type StreamingHandler = (event: unknown, stream: ResponseStream, context: unknown) => unknown

class StreamingHandlerService implements Service<LambdaEvent<unknown>, StreamingResponse> {
  readonly layerName: string
  readonly inner = undefined

  constructor(
    readonly handler: StreamingHandler,
    readonly highWaterMark: number | undefined,
  ) {
    this.layerName = handler.name ? `fromManagedHandler(${handler.name})` : 'fromManagedHandler'
  }

  ready(): Ready {
    return undefined
  }

  call({ payload, context }: LambdaEvent<unknown>): Promise<StreamingResponse> {
    const stream = new ManagedResponseStream(this.highWaterMark ? { highWaterMark: this.highWaterMark } : {})
    const settle = (error: unknown) => {
      if (error !== undefined) stream.fail(error ?? new Error('the streaming handler failed'))
      else if (!stream.writableEnded) stream.end()
    }
    try {
      const returned = this.handler(payload, stream as unknown as ResponseStream, toAwsContext(context))
      Promise.resolve(returned).then(
        () => settle(undefined),
        (error: unknown) => settle(error ?? null),
      )
    } catch (error) {
      settle(error ?? null)
    }
    return Promise.resolve({
      [streamingResponseSymbol]: true,
      get contentType() {
        return stream.contentType
      },
      get prelude() {
        return stream.prelude
      },
      body: stream.chunks(),
    })
  }
}

/**
 * Wraps a handler written for Lambda's managed Node.js runtime as a service: promise and callback handlers go
 * through `fromHandler`; a handler marked by `awslambda.streamifyResponse` gets a response stream and its
 * writes become a `StreamingResponse` (prelude and content type from `HttpResponseStream.from`).
 */
export function fromManagedHandler(handler: ManagedHandler): Service<LambdaEvent<unknown>, unknown> {
  const mark = streamified(handler)
  if (mark !== undefined) return new StreamingHandlerService(handler as unknown as StreamingHandler, mark.highWaterMark)
  return fromHandler(handler as unknown as PromiseHandler<unknown, unknown> | CallbackHandler<unknown, unknown>)
}

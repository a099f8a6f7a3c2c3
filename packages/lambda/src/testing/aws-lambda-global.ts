import { Writable } from 'node:stream'
import type { AwsLambdaGlobal, ResponseStream, StreamingPrelude } from '../http/index'
import { awsLambdaGlobal } from '../internal/aws-lambda-global'

/** Options of {@link fakeAwsLambda}. */
export interface FakeAwsLambdaOptions {
  /** The response stream's high-water mark, in bytes (small values exercise backpressure). Defaults to `16384`. */
  readonly highWaterMark?: number | undefined
}

/** A stand-in for the managed runtime's `awslambda` global, and what was streamed through it. */
export interface FakeAwsLambda {
  /** The global: assign it to `globalThis.awslambda` (and delete it afterwards). */
  readonly aws: AwsLambdaGlobal
  /** The prelude passed to `HttpResponseStream.from`, once it was called. */
  readonly prelude: StreamingPrelude | undefined
  /** Each non-empty body write, in order. */
  readonly writes: readonly Buffer[]
  /** The body written so far. */
  readonly body: Buffer
  /**
   * The bytes as the runtime sends them: the prelude's JSON and 8 NUL bytes on the first write (even an empty one;
   * nothing at all when nothing was written), then the body.
   */
  readonly wire: Buffer
  /** Whether the stream was ended. */
  readonly ended: boolean
}

const NUL8 = Buffer.alloc(8)

/**
 * A fake `awslambda` global for testing streaming handlers (`streamHttpHandler`) without the Lambda runtime. Like
 * the runtime, the prelude goes out with the first write; each write completes on the next turn of the event loop.
 *
 * @example
 * ```ts
 * const fake = fakeAwsLambda()
 * globalThis.awslambda = fake.aws
 * await streamHttpHandler(app)(event, {} as never, {} as never)
 * expect(fake.body.toString()).toBe('hello')
 * ```
 */
export function fakeAwsLambda(options: FakeAwsLambdaOptions = {}): FakeAwsLambda {
  const writes: Buffer[] = []
  let prelude: StreamingPrelude | undefined
  let ended = false
  let wrote = false
  // The same global as turret's managed-style runtime (streamifyResponse marks the handler), recording writes.
  const aws: AwsLambdaGlobal = awsLambdaGlobal((_stream: ResponseStream, p: StreamingPrelude) => {
    prelude = p
    return new Writable({
      highWaterMark: options.highWaterMark ?? 16_384,
      write(chunk: Buffer, _encoding, callback) {
        wrote = true
        if (chunk.length > 0) writes.push(Buffer.from(chunk))
        setImmediate(callback)
      },
      final(callback) {
        ended = true
        callback()
      },
    }) as unknown as ResponseStream
  })
  return {
    aws,
    writes,
    get prelude() {
      return prelude
    },
    get body() {
      return Buffer.concat(writes)
    },
    get wire() {
      return prelude === undefined || !wrote
        ? Buffer.alloc(0)
        : Buffer.concat([Buffer.from(JSON.stringify(prelude)), NUL8, ...writes])
    },
    get ended() {
      return ended
    },
  }
}

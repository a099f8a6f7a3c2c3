import type { AwsLambdaGlobal, ResponseStream, StreamingPrelude } from '../http/index'

/** The symbol `awslambda.streamifyResponse` marks a handler with (value `'response'`), as the managed runtime does. */
export const STREAMIFIED: unique symbol = Symbol.for('aws.lambda.runtime.handler.streaming') as never

/** What `awslambda.streamifyResponse` records on a handler. */
export interface StreamifiedMark {
  /** The response stream's high-water mark, when the handler asked for one. */
  readonly highWaterMark: number | undefined
}

type Marked = { [STREAMIFIED]?: string; highWaterMark?: number }

/**
 * Builds an `awslambda` global: `streamifyResponse` marks the handler (see {@link streamified}) and returns
 * it; `HttpResponseStream.from` is `from`. The one definition of the global: the runtime of `turret dev`
 * and `fakeAwsLambda()` (`@turret/lambda/testing`) both build theirs with it.
 */
export function awsLambdaGlobal(
  from: (stream: ResponseStream, prelude: StreamingPrelude) => ResponseStream,
): AwsLambdaGlobal {
  return {
    streamifyResponse(handler, options) {
      const marked = handler as typeof handler & Marked
      marked[STREAMIFIED] = 'response'
      if (options?.highWaterMark) marked.highWaterMark = options.highWaterMark
      return marked
    },
    HttpResponseStream: { from },
  }
}

/** How `awslambda.streamifyResponse` marked `fn`, or `undefined` when it is not a streaming handler. */
export function streamified(fn: unknown): StreamifiedMark | undefined {
  if (typeof fn !== 'function' || (fn as Marked)[STREAMIFIED] !== 'response') return undefined
  return { highWaterMark: (fn as Marked).highWaterMark }
}

/**
 * Defines `globalThis.awslambda` as `global` unless one exists (the managed runtime's, or a test's), so
 * handler modules written for Lambda's Node.js runtime load. Returns whether it was defined.
 */
export function installAwsLambdaGlobal(global: AwsLambdaGlobal): boolean {
  const g = globalThis as { awslambda?: unknown }
  if (g.awslambda !== undefined) return false
  g.awslambda = global
  return true
}

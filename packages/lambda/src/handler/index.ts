/**
 * The managed Node.js runtime's side: `lambdaHandler(service)` exports a turret service as a Lambda
 * handler, and `fromHandler(h)` wraps an existing handler (promise or callback style) as a service.
 * @module
 */

import { type Clock, oneshot, type Ready, type Service } from '@turret/core'
import type { Callback as AwsCallback, Context as AwsContext } from 'aws-lambda'
import { awsContextOf } from '../context/build'
import { fromAwsContext, InvocationContext, type LambdaEvent, toAwsContext } from '../context/index'
import { isStreamingResponse } from '../runtime/streaming'

/** The export the managed Node.js runtime calls: `(event, context) => Promise<R>`. */
export type LambdaHandler<T, R> = (event: T, context: AwsContext) => Promise<R>

/** A promise-style handler (the result may also be a plain value). */
export type PromiseHandler<T, R> = (event: T, context: AwsContext) => R | PromiseLike<R>

/** A callback-style handler: it answers through `callback(error, result)`. */
export type CallbackHandler<T, R> = (event: T, context: AwsContext, callback: AwsCallback<R>) => unknown

/** Options of {@link lambdaHandler}. */
export interface HandlerOptions {
  /** Times each invocation's deadline signal. Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
  /**
   * Assigned to `context.callbackWaitsForEmptyEventLoop` before each call; `false` lets the runtime
   * freeze as soon as the result is ready even if timers or sockets remain. Defaults to leaving the
   * runtime's value (`true`) untouched.
   */
  readonly callbackWaitsForEmptyEventLoop?: boolean | undefined
}

/**
 * Turns a `Service<LambdaEvent<T>, R>` into the handler export of the managed Node.js runtime.
 * Each call builds a {@link LambdaEvent} (context from the runtime's context object, with a
 * `signal` that aborts at the deadline), awaits readiness, and calls the service. Results are buffered:
 * a `StreamingResponse` is refused with a `TypeError` (stream with `run()`).
 *
 * @example
 * ```ts
 * export const main = lambdaHandler(new ServiceBuilder().layer(timeout(5_000)).service(orders))
 * ```
 */
export function lambdaHandler<T, R>(
  service: Service<LambdaEvent<T>, R>,
  options: HandlerOptions = {},
): LambdaHandler<T, R> {
  const { clock, callbackWaitsForEmptyEventLoop } = options
  const contextOptions = { clock }
  return function lambdaHandler(event: T, awsContext: AwsContext): Promise<R> {
    let context: InvocationContext | undefined
    let pending: Promise<R>
    // A context that already is an InvocationContext (`mockContext()` in a test) is used as it is, with its
    // clock; the handler disposes only the contexts it builds.
    const given = awsContext instanceof InvocationContext
    try {
      if (callbackWaitsForEmptyEventLoop !== undefined) {
        awsContext.callbackWaitsForEmptyEventLoop = callbackWaitsForEmptyEventLoop
      }
      context = given ? (awsContext as InvocationContext) : fromAwsContext(awsContext, contextOptions)
      pending = oneshot(service, { payload: event, context })
    } catch (error) {
      if (!given) context?.dispose()
      return Promise.reject(error)
    }
    const ctx = context
    // One `then` instead of an async function's awaits: a few microtask turns less per invocation.
    return pending.then(
      (result) => {
        if (!given) ctx.dispose()
        if (isStreamingResponse(result)) {
          throw new TypeError(
            'lambdaHandler() cannot send a StreamingResponse: run the service with run() (custom runtime)',
          )
        }
        return result
      },
      (error: unknown) => {
        if (!given) ctx.dispose()
        throw error
      },
    )
  }
}

class FromHandler<T, R> implements Service<LambdaEvent<T>, R> {
  readonly layerName: string
  readonly inner = undefined
  readonly #handler: PromiseHandler<T, R> | CallbackHandler<T, R>
  readonly #callbackStyle: boolean

  constructor(h: PromiseHandler<T, R> | CallbackHandler<T, R>) {
    this.#handler = h
    this.#callbackStyle = h.length >= 3
    this.layerName = h.name ? `fromHandler(${h.name})` : 'fromHandler'
  }

  ready(): Ready {
    return undefined
  }

  call({ payload, context }: LambdaEvent<T>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let settled = false
      const complete = (error: unknown, result?: unknown) => {
        if (settled) return
        settled = true
        if (error !== null && error !== undefined) reject(error)
        else resolve(result as R)
      }
      const awsContext = awsContextOf(context) ?? toAwsContext(context, complete)
      let returned: unknown
      try {
        returned = this.#callbackStyle
          ? (this.#handler as CallbackHandler<T, R>)(payload, awsContext, (error, result) => complete(error, result))
          : (this.#handler as PromiseHandler<T, R>)(payload, awsContext)
      } catch (error) {
        settled = true
        reject(error)
        return
      }
      if (isThenable(returned)) {
        returned.then(
          (value) => complete(null, value),
          (error: unknown) => complete(error ?? new Error('handler rejected with no reason')),
        )
      } else if (!this.#callbackStyle) complete(null, returned)
    })
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  )
}

/**
 * Wraps an existing Lambda handler — promise style `(event, context)` or callback style
 * `(event, context, callback)`, told apart by `h.length >= 3` — as a service, so turret layers can
 * go around code that already exists (a Middy handler, say). The handler gets the runtime's own
 * context object when there is one, else one built from the turret `Context`.
 *
 * @example
 * ```ts
 * const legacy = middy(baseHandler).use(jsonBodyParser())
 * export const main = lambdaHandler(timeout(3_000)(fromHandler(legacy)))
 * ```
 */
export function fromHandler<T, R>(h: PromiseHandler<T, R>): Service<LambdaEvent<T>, R>
export function fromHandler<T, R>(h: CallbackHandler<T, R>): Service<LambdaEvent<T>, R>
export function fromHandler<T, R>(h: PromiseHandler<T, R> | CallbackHandler<T, R>): Service<LambdaEvent<T>, R> {
  return new FromHandler(h)
}

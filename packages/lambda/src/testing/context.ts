import type { Clock } from '@turret/core'
import type { FunctionEnvironment, LambdaEvent } from '../context/index'
import { InvocationContext } from '../context/index'

/** Fields of a mock context; every one optional. */
export interface MockContextOptions {
  /** Defaults to `'00000000-0000-4000-8000-000000000000'`. */
  readonly requestId?: string | undefined
  /** Milliseconds from now to the deadline (ignored when `deadline` is set). Defaults to `30_000`. */
  readonly remainingMs?: number | undefined
  /** Absolute deadline in epoch ms. Defaults to `Date.now() + remainingMs`. */
  readonly deadline?: number | undefined
  /** Defaults to `'arn:aws:lambda:us-east-1:123456789012:function:test'`. */
  readonly invokedFunctionArn?: string | undefined
  /** Defaults to `undefined`. */
  readonly xrayTraceId?: string | undefined
  /** Defaults to `undefined`. */
  readonly clientContext?: unknown
  /** Defaults to `undefined`. */
  readonly identity?: unknown
  /** Defaults to `undefined`. */
  readonly tenantId?: string | undefined
  /** Merged over a `test` function with 128 MB. */
  readonly env?: Partial<FunctionEnvironment> | undefined
  /** Times the deadline signal; pass a `TestClock`. Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
}

/**
 * A `Context` for tests, with sensible defaults.
 *
 * @example
 * ```ts
 * const clock = new TestClock()
 * const res = oneshot(svc, { payload: event, context: mockContext({ remainingMs: 100, clock }) })
 * await clock.advance(100) // context.signal aborts
 * ```
 */
export function mockContext(options: MockContextOptions = {}): InvocationContext {
  const env: FunctionEnvironment = {
    functionName: 'test',
    functionVersion: '$LATEST',
    memoryLimitInMB: 128,
    logGroupName: '/aws/lambda/test',
    logStreamName: '2026/11/28/[$LATEST]0000',
    ...options.env,
  }
  return new InvocationContext(
    options.requestId ?? '00000000-0000-4000-8000-000000000000',
    options.deadline ?? Date.now() + (options.remainingMs ?? 30_000),
    options.invokedFunctionArn ?? 'arn:aws:lambda:us-east-1:123456789012:function:test',
    options.xrayTraceId,
    options.clientContext,
    options.identity,
    options.tenantId,
    env,
    options.clock,
  )
}

/**
 * A {@link LambdaEvent} around `payload` with a {@link mockContext}.
 *
 * @example
 * ```ts
 * await oneshot(sqsBatch(recordSvc), lambdaEvent(sqsEvent))
 * ```
 */
export function lambdaEvent<T>(payload: T, options: MockContextOptions = {}): LambdaEvent<T> {
  return { payload, context: mockContext(options) }
}

import type { Clock } from '@turret/core'
import type { Context as AwsContext } from 'aws-lambda'
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
 * The context {@link mockContext} builds: an {@link InvocationContext} (what a service sees in
 * `LambdaEvent.context`) that is also the managed runtime's context object (`awsRequestId`,
 * `getRemainingTimeInMillis()`, `functionName`, …), so the same value goes to `oneshot(svc, …)` and to an
 * exported handler: `httpHandler(app)(event, mockContext())`. A handler given one uses it as the invocation's
 * context as it is, so its clock (a `TestClock`) times the deadline.
 */
export class MockContext extends InvocationContext implements AwsContext {
  declare readonly clientContext: AwsContext['clientContext']
  declare readonly identity: AwsContext['identity']
  /** As the runtime's context object: `true` until a handler sets it. */
  callbackWaitsForEmptyEventLoop = true

  /** `env.functionName`. */
  get functionName(): string {
    return this.env.functionName
  }
  /** `env.functionVersion`. */
  get functionVersion(): string {
    return this.env.functionVersion
  }
  /** `env.memoryLimitInMB`, as the string the runtime gives. */
  get memoryLimitInMB(): string {
    return String(this.env.memoryLimitInMB)
  }
  /** `requestId`. */
  get awsRequestId(): string {
    return this.requestId
  }
  /** `env.logGroupName`. */
  get logGroupName(): string {
    return this.env.logGroupName
  }
  /** `env.logStreamName`. */
  get logStreamName(): string {
    return this.env.logStreamName
  }
  /** `remainingTimeMs()`. */
  getRemainingTimeInMillis(): number {
    return this.remainingTimeMs()
  }
  /** The runtime's deprecated `done`: does nothing here. */
  done(_error?: Error, _result?: unknown): void {}
  /** The runtime's deprecated `fail`: does nothing here. */
  fail(_error: Error | string): void {}
  /** The runtime's deprecated `succeed`: does nothing here. */
  succeed(_messageOrObject: unknown, _object?: unknown): void {}
}

/**
 * A context for tests, with sensible defaults: a {@link MockContext}, which is both turret's
 * `Context` and the managed runtime's context object.
 *
 * @example
 * ```ts
 * const clock = new TestClock()
 * const res = oneshot(svc, { payload: event, context: mockContext({ remainingMs: 100, clock }) })
 * await clock.advance(100) // context.signal aborts
 * await httpHandler(app)(apigwV2Event(), mockContext()) // also the runtime's context object
 * ```
 */
export function mockContext(options: MockContextOptions = {}): MockContext {
  const env: FunctionEnvironment = {
    functionName: 'test',
    functionVersion: '$LATEST',
    memoryLimitInMB: 128,
    logGroupName: '/aws/lambda/test',
    logStreamName: '2026/11/28/[$LATEST]0000',
    ...options.env,
  }
  return new MockContext(
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

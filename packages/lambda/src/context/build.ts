import { type Clock, systemClock, TurretError, type TurretErrorOptions } from '@turret/core'
import type { Context as AwsContext } from 'aws-lambda'
import type { Context, FunctionEnvironment } from './index'

/** The invocation's deadline passed: the reason `context.signal` aborts with. */
export class DeadlineExceededError extends TurretError {
  override name = 'DeadlineExceededError'
  override readonly code = 'ERR_DEADLINE_EXCEEDED'
  constructor(message = 'Lambda invocation deadline exceeded', options?: TurretErrorOptions) {
    super(message, options)
  }
}

/** The Runtime API sent an invocation whose headers cannot be read (missing request id, bad deadline, bad JSON). */
export class InvalidInvocationError extends TurretError {
  override name = 'InvalidInvocationError'
  override readonly code = 'ERR_INVALID_INVOCATION'
}

/** Options of {@link fromAwsContext} (and of the context `run()` builds from the Runtime API headers). */
export interface ContextOptions {
  /**
   * Times the deadline: `signal` aborts when `clock` has moved past it, and `remainingTimeMs()`
   * measures elapsed time on it (anchored to `Date.now()` when the context is built).
   * Defaults to `systemClock`.
   */
  readonly clock?: Clock | undefined
  /** The function's environment. Defaults to `functionEnvironment(process.env)` (or the AWS context's fields). */
  readonly env?: FunctionEnvironment | undefined
}

/** Headers of a Runtime API `/next` response, keys lower-cased as node:http delivers them. */
export type RuntimeHeaders = Readonly<Record<string, string | string[] | undefined>>

/**
 * The function's environment read from Lambda's variables; missing ones become `''` or `0`.
 *
 * @example
 * ```ts
 * const env = functionEnvironment(process.env) // read once per process
 * ```
 */
export function functionEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): FunctionEnvironment {
  const memory = Number.parseInt(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '', 10)
  return {
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '',
    memoryLimitInMB: Number.isFinite(memory) ? memory : 0,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
  }
}

/**
 * A {@link Context} that owns its deadline timer. The runtime calls `dispose()` when the invocation
 * ends so no timer outlives it; user code never needs to.
 */
/** Links a context to the managed runtime's context object it was built from (set in the class's static block). */
let attachAws: (ctx: InvocationContext, aws: AwsContext) => void
let awsOf: (ctx: InvocationContext) => AwsContext | undefined

export class InvocationContext implements Context {
  #trace: string | undefined
  #traceFromEnv = false
  /** The managed runtime's context object, when built by {@link fromAwsContext}. */
  #aws: AwsContext | undefined
  #controller: AbortController | undefined
  readonly #clock: Clock
  readonly #epochAtStart: number
  readonly #clockAtStart: number
  #timer: unknown
  #disposed = false

  constructor(
    readonly requestId: string,
    readonly deadline: number,
    readonly invokedFunctionArn: string,
    xrayTraceId: string | undefined,
    readonly clientContext: unknown,
    readonly identity: unknown,
    readonly tenantId: string | undefined,
    readonly env: FunctionEnvironment,
    clock: Clock = systemClock,
  ) {
    this.#trace = xrayTraceId
    this.#clock = clock
    this.#epochAtStart = Date.now()
    this.#clockAtStart = clock.now()
  }

  static {
    attachAws = (ctx, aws) => {
      ctx.#aws = aws
      ctx.#traceFromEnv = ctx.#trace === undefined
    }
    awsOf = (ctx) => ctx.#aws
  }

  /**
   * The X-Ray trace header. In the managed runtime, read from `_X_AMZN_TRACE_ID` (which the runtime sets for
   * each invocation) on first use when the runtime's context object does not carry it.
   */
  get xrayTraceId(): string | undefined {
    if (this.#traceFromEnv) {
      this.#traceFromEnv = false
      this.#trace = process.env._X_AMZN_TRACE_ID || undefined
    }
    return this.#trace
  }

  /**
   * Aborts with a {@link DeadlineExceededError} when the deadline passes. Built on first read (an
   * `AbortSignal` and its timer cost microseconds a service that never looks at it should not pay).
   */
  get signal(): AbortSignal {
    if (this.#controller !== undefined) return this.#controller.signal
    const controller = new AbortController()
    this.#controller = controller
    const left = this.deadline - this.#now()
    if (left <= 0) controller.abort(new DeadlineExceededError())
    else if (left <= MAX_TIMER_MS && !this.#disposed) {
      this.#timer = this.#clock.setTimeout(() => {
        this.#timer = undefined
        controller.abort(new DeadlineExceededError())
      }, left)
      ;(this.#timer as { unref?: () => void } | undefined)?.unref?.()
    }
    return controller.signal
  }

  #now(): number {
    return this.#epochAtStart + (this.#clock.now() - this.#clockAtStart)
  }

  /** Milliseconds left before the deadline (never negative). */
  remainingTimeMs(): number {
    return Math.max(0, Math.floor(this.deadline - this.#now()))
  }

  /** Clears the deadline timer (the signal will no longer abort). Idempotent. */
  dispose(): void {
    this.#disposed = true
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
  }
}

/** Longer timers overflow in Node (and fire at once); a deadline that far away never aborts. */
const MAX_TIMER_MS = 2_147_483_647

function header(headers: RuntimeHeaders, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

function parseJsonHeader(headers: RuntimeHeaders, name: string): unknown {
  const raw = header(headers, name)
  if (raw === undefined || raw === '') return undefined
  try {
    return JSON.parse(raw)
  } catch (cause) {
    throw new InvalidInvocationError(`cannot parse ${name} header as JSON`, { cause })
  }
}

/**
 * Builds the context of one invocation from the headers of a Runtime API `/next` response.
 * Throws {@link InvalidInvocationError} when the request id or deadline is missing or malformed,
 * or the client context / Cognito identity is not JSON.
 *
 * @example
 * ```ts
 * const ctx = contextFromRuntimeHeaders(res.headers, { env })
 * ```
 */
export function contextFromRuntimeHeaders(headers: RuntimeHeaders, options: ContextOptions = {}): InvocationContext {
  const requestId = header(headers, 'lambda-runtime-aws-request-id')
  if (!requestId) throw new InvalidInvocationError('missing Lambda-Runtime-Aws-Request-Id header')
  const rawDeadline = header(headers, 'lambda-runtime-deadline-ms')
  const deadline = rawDeadline === undefined ? Number.NaN : Number(rawDeadline)
  if (!Number.isFinite(deadline)) {
    throw new InvalidInvocationError(`missing or invalid Lambda-Runtime-Deadline-Ms header: ${String(rawDeadline)}`)
  }
  return new InvocationContext(
    requestId,
    deadline,
    header(headers, 'lambda-runtime-invoked-function-arn') ?? '',
    header(headers, 'lambda-runtime-trace-id') || undefined,
    parseJsonHeader(headers, 'Lambda-Runtime-Client-Context'),
    parseJsonHeader(headers, 'Lambda-Runtime-Cognito-Identity'),
    header(headers, 'lambda-runtime-aws-tenant-id') || undefined,
    options.env ?? functionEnvironment(),
    options.clock,
  )
}

/** The managed runtime's context object a {@link Context} was built from, if any (used by `fromHandler`). */
export function awsContextOf(context: Context): AwsContext | undefined {
  return context instanceof InvocationContext ? awsOf(context) : undefined
}

/**
 * Builds a {@link Context} from the managed Node.js runtime's context object.
 *
 * @example
 * ```ts
 * export const main = async (event: unknown, awsContext: AwsContext) => {
 *   const ctx = fromAwsContext(awsContext)
 * }
 * ```
 */
export function fromAwsContext(aws: AwsContext, options: ContextOptions = {}): InvocationContext {
  const memory = Number.parseInt(String(aws.memoryLimitInMB), 10)
  const env: FunctionEnvironment = options.env ?? {
    functionName: aws.functionName ?? '',
    functionVersion: aws.functionVersion ?? '',
    memoryLimitInMB: Number.isFinite(memory) ? memory : 0,
    logGroupName: aws.logGroupName ?? '',
    logStreamName: aws.logStreamName ?? '',
  }
  const traceId = (aws as { xRayTraceId?: string }).xRayTraceId
  const remaining = typeof aws.getRemainingTimeInMillis === 'function' ? aws.getRemainingTimeInMillis() : Number.NaN
  const ctx = new InvocationContext(
    aws.awsRequestId,
    // A context without a usable deadline (a hand-made one in a test) gets Lambda's maximum, 15 minutes.
    Date.now() + (Number.isFinite(remaining) ? remaining : 900_000),
    aws.invokedFunctionArn ?? '',
    traceId || undefined,
    aws.clientContext,
    aws.identity,
    aws.tenantId || undefined,
    env,
    options.clock,
  )
  attachAws(ctx, aws)
  return ctx
}

/**
 * A managed-runtime-style context object (`awsRequestId`, `getRemainingTimeInMillis()`, …) built from
 * a {@link Context}, for code written against the Node.js runtime. The deprecated `done`/`succeed`/`fail`
 * forward to `complete` when given.
 *
 * @example
 * ```ts
 * await legacyHandler(event.payload, toAwsContext(event.context))
 * ```
 */
export function toAwsContext(ctx: Context, complete?: (error: unknown, result?: unknown) => void): AwsContext {
  const finish = complete ?? (() => {})
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: ctx.env.functionName,
    functionVersion: ctx.env.functionVersion,
    invokedFunctionArn: ctx.invokedFunctionArn,
    memoryLimitInMB: String(ctx.env.memoryLimitInMB),
    awsRequestId: ctx.requestId,
    logGroupName: ctx.env.logGroupName,
    logStreamName: ctx.env.logStreamName,
    ...(ctx.identity !== undefined ? { identity: ctx.identity as AwsContext['identity'] } : {}),
    ...(ctx.clientContext !== undefined ? { clientContext: ctx.clientContext as AwsContext['clientContext'] } : {}),
    ...(ctx.tenantId !== undefined ? { tenantId: ctx.tenantId } : {}),
    getRemainingTimeInMillis: () => ctx.remainingTimeMs(),
    done: (error?: Error, result?: unknown) => finish(error ?? null, result),
    fail: (error: Error | string) => finish(error),
    succeed: (result: unknown) => finish(null, result),
  }
}

/**
 * The invocation context every Lambda service receives with its payload.
 * @module
 */

/** The function's environment, as Lambda sets it (AWS_LAMBDA_FUNCTION_NAME and friends). */
export interface FunctionEnvironment {
  /** AWS_LAMBDA_FUNCTION_NAME. */
  readonly functionName: string
  /** AWS_LAMBDA_FUNCTION_VERSION. */
  readonly functionVersion: string
  /** AWS_LAMBDA_FUNCTION_MEMORY_SIZE, in MB. */
  readonly memoryLimitInMB: number
  /** AWS_LAMBDA_LOG_GROUP_NAME. */
  readonly logGroupName: string
  /** AWS_LAMBDA_LOG_STREAM_NAME. */
  readonly logStreamName: string
}

/** The context of one invocation (lambda_runtime's `Context`). */
export interface Context {
  /** The invocation's request id (Lambda-Runtime-Aws-Request-Id). */
  readonly requestId: string
  /** The deadline, in milliseconds since the Unix epoch (Lambda-Runtime-Deadline-Ms). */
  readonly deadline: number
  /** The ARN the function was invoked with (Lambda-Runtime-Invoked-Function-Arn). */
  readonly invokedFunctionArn: string
  /** The X-Ray trace header (Lambda-Runtime-Trace-Id), when tracing is on. */
  readonly xrayTraceId: string | undefined
  /** The client context sent by the AWS mobile SDK, parsed from JSON. */
  readonly clientContext: unknown
  /** The Cognito identity of the caller, parsed from JSON. */
  readonly identity: unknown
  /** The tenant id of a tenant-isolated function (Lambda-Runtime-Aws-Tenant-Id). */
  readonly tenantId: string | undefined
  /** The function's environment. */
  readonly env: FunctionEnvironment
  /** Aborts when the deadline passes. */
  readonly signal: AbortSignal
  /** Milliseconds left before the deadline (never negative). */
  remainingTimeMs(): number
}

/** One invocation: the event payload and its context (lambda_runtime's `LambdaEvent`). */
export interface LambdaEvent<T> {
  /** The event, as Lambda delivered it. */
  readonly payload: T
  /** The invocation's context. */
  readonly context: Context
}

export {
  type ContextOptions,
  contextFromRuntimeHeaders,
  DeadlineExceededError,
  fromAwsContext,
  functionEnvironment,
  InvalidInvocationError,
  InvocationContext,
  type RuntimeHeaders,
  toAwsContext,
} from './build'

/**
 * `@turret/lambda`: run turret services on AWS Lambda.
 * @module
 */
export type { Context, FunctionEnvironment, LambdaEvent } from './context/index'
export {
  awsContextOf,
  type ContextOptions,
  contextFromAws,
  contextFromRuntimeHeaders,
  DeadlineExceededError,
  functionEnvironment,
  InvalidInvocationError,
  InvocationContext,
  type RuntimeHeaders,
  toAwsContext,
} from './context/index'
export * from './events/index'
export {
  type CallbackHandler,
  fromHandler,
  type HandlerOptions,
  handler,
  type LambdaHandler,
  type PromiseHandler,
} from './handler/index'
export * from './http/index'
export * from './runtime/index'

/**
 * `@turret/lambda`: run turret services on AWS Lambda.
 * @module index
 */
export type { Context, FunctionEnvironment, LambdaEvent } from './context/index'
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
} from './context/index'
export * from './events/index'
export {
  type CallbackHandler,
  fromHandler,
  type HandlerOptions,
  type LambdaHandler,
  lambdaHandler,
  type PromiseHandler,
} from './handler/index'
export * from './http/index'
export * from './runtime/index'

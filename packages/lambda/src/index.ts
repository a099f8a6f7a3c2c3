/**
 * `@turret/lambda`: run turret services on AWS Lambda.
 * @module
 */
export type { Context, FunctionEnvironment, LambdaEvent } from './context/index'

/**
 * `@turret/lambda/internal`: pieces `@turret/dev` builds on (the managed-runtime `awslambda` global, the
 * adapter from managed-runtime handlers to services, the Runtime API routes). **Unstable**: no semver
 * promise, names and shapes change in any release. Use `@turret/lambda` and `@turret/lambda/testing`.
 * @module
 */
export {
  awsLambdaGlobal,
  HTTP_INTEGRATION_CONTENT_TYPE,
  installAwsLambdaGlobal,
  preludeBytes,
  STREAMIFIED,
  type StreamifiedMark,
  streamified,
} from './aws-lambda-global'
export {
  fromManagedHandler,
  installManagedAwsLambda,
  type ManagedHandler,
  ManagedResponseStream,
  managedAwsLambda,
} from './managed-handler'

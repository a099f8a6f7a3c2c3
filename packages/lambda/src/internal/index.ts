/**
 * `@turret/lambda/internal`: the pieces of `@turret/lambda` that other turret packages (`@turret/dev`) and
 * turret's own tests build on, but that are not for users. **Unstable**: not covered by semver; names
 * and shapes change in any release. Use `@turret/lambda` and `@turret/lambda/testing` instead.
 * @module
 */
export {
  contextFromRuntimeHeaders,
  InvalidInvocationError,
  type RuntimeHeaders,
} from '../context/build'
export { detectSource } from '../http/request'
export { isTextContentType } from '../http/response'
export { diagnostic } from '../runtime/diagnostic'
export { errorRequest } from '../runtime/response'

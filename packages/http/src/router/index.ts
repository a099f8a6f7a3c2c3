/**
 * `router()`: routes with their own layer stacks, typed path parameters and a radix-tree matcher; the router
 * is itself an `HttpService` (axum's `Router`).
 * @module
 */

export { originalUrl, originalUrlKey } from './dispatch'
export { conflictBetween, type Leaf, NO_PARAMS, type RouteMatch, RouteMatcher } from './matcher'
export {
  any,
  del,
  get,
  type Handler,
  head,
  MethodRouter,
  on,
  options,
  patch,
  pathParams,
  pathParamsKey,
  post,
  put,
} from './methods'
export { decodeValue, InvalidRouteError, type PathParams, RouteConflictError } from './path'
export { Router, router } from './router'

/**
 * `router()`: routes with their own layer stacks, typed path parameters and a radix-tree matcher; the router
 * is itself an `HttpService` (axum's `Router`).
 * @module
 */

export { originalUrl } from './dispatch'
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
  post,
  put,
} from './methods'
export { InvalidRouteError, type PathParams, RouteConflictError } from './path'
export { Router, router } from './router'

/**
 * `@turret/http`: tower-http for TypeScript, over the WHATWG fetch `Request` and `Response`.
 * @module
 */

export { addExtension } from './add-extension/index'
export {
  type Authorizer,
  addAuthorization,
  basicAuth,
  basicCredentials,
  bearerAuth,
  requireAuthorization,
} from './auth/index'
export { type CatchPanicOptions, catchPanic, panicResponse } from './catch-panic/index'
export { type Classifier, type Failure, formatFailure, serverErrorsAsFailures, statusInRange } from './classify/index'
export {
  allOf,
  type Coding,
  Compression,
  type CompressionLevel,
  type CompressionOptions,
  type CompressionPredicate,
  compression,
  defaultPredicate,
  type Encoding,
  negotiate,
  notForContentType,
  sizeAbove,
} from './compression/index'
export {
  type AllowOrigin,
  Cors,
  CorsConfigError,
  type CorsOptions,
  cors,
  type MirrorRequest,
  mirrorRequest,
  type OriginFn,
  preflightRequestHeaders,
} from './cors/index'
export {
  ContentDecodingError,
  type DecompressionOptions,
  decompression,
  decompressResponse,
  RequestDecompression,
  ResponseDecompression,
} from './decompression/index'
export {
  copyExtensions,
  Extensions,
  extensions,
  type Key,
  key,
  peekExtensions,
  shareExtensions,
  withRequest,
} from './extensions/index'
export { type FetchHandler, type FetchObject, fromFetch, toFetch } from './fetch/index'
export {
  FollowRedirect,
  type FollowRedirectOptions,
  finalUrl,
  followRedirect,
  type RedirectAttempt,
  type RedirectPolicy,
  sameOrigin,
} from './follow-redirect/index'
export { type EmitOptions, InFlightRequestsCounter, inFlightRequests } from './in-flight-requests/index'
export { type MapRequestBody, mapRequestBody } from './map-request-body/index'
export { type MapResponseBody, mapResponseBody } from './map-response-body/index'
export {
  appendTrailingSlash,
  type NormalizePathMode,
  normalizedPath,
  normalizePath,
  trimTrailingSlash,
} from './normalize-path/index'
export { propagateHeader } from './propagate-header/index'
export { Redirect, RedirectStatusError, redirect } from './redirect/index'
export { LengthLimitError, requestBodyLimit } from './request-body-limit/index'
export {
  isValidRequestId,
  type MakeRequestId,
  makeRequestUuid,
  type PropagateRequestIdOptions,
  propagateRequestId,
  requestIdKey,
  type SetRequestIdOptions,
  setRequestId,
  X_REQUEST_ID,
} from './request-id/index'
export { html, json, responseBody, text } from './respond/index'
export {
  any,
  conflictBetween,
  decodeValue,
  del,
  get,
  type Handler,
  head,
  InvalidRouteError,
  type Leaf,
  MethodRouter,
  NO_PARAMS,
  on,
  options,
  originalUrl,
  originalUrlKey,
  type PathParams,
  patch,
  pathParams,
  pathParamsKey,
  post,
  put,
  RouteConflictError,
  type RouteMatch,
  RouteMatcher,
  Router,
  router,
} from './router/index'
export {
  isSensitiveHeader,
  REDACTED,
  redactHeaders,
  type SensitiveHeaderNames,
  sensitiveHeaders,
  sensitiveHeadersKey,
  sensitiveRequestHeaders,
  sensitiveResponseHeaders,
} from './sensitive-headers/index'
export { type ServeOptions, type Server, serve } from './serve/index'
export {
  CONTENT_TYPES,
  contentTypeOf,
  ServeDir,
  type ServeDirOptions,
  type ServeFileOptions,
  safePathComponents,
  serveDir,
  serveFile,
} from './serve-dir/index'
export { type HeaderMode, type HeaderValue, setRequestHeader, setResponseHeader } from './set-header/index'
export { setStatus } from './set-status/index'
export { type RequestTimeoutOptions, requestTimeout } from './timeout/index'
export { type DefaultSpan, type TraceLogger, type TraceOptions, trace } from './trace/index'
export type { HttpLayer, HttpService } from './types'
export { acceptHeader, hasHeaderValue, type Validator, validateRequest } from './validate-request/index'

/**
 * `@turret/http`: tower-http for TypeScript, over the WHATWG fetch `Request` and `Response`: the HTTP
 * layers with their options, `router()`, `serve()`, `fromFetch`/`toFetch`, request extensions and the
 * `text()`/`json()`/`html()` answers. Each layer is also its own subpath (`@turret/http/cors`, …).
 * @module index
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
export { type CatchPanicOptions, catchPanic } from './catch-panic/index'
export { type Classifier, type Failure, formatFailure, serverErrorsAsFailures, statusInRange } from './classify/index'
export {
  allOf,
  Compression,
  type CompressionLevel,
  type CompressionOptions,
  type CompressionPredicate,
  compression,
  defaultPredicate,
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
} from './follow-redirect/index'
export { type EmitOptions, InFlightRequestsCounter, inFlightRequests } from './in-flight-requests/index'
export { type MapRequestBody, mapRequestBody } from './map-request-body/index'
export { type MapResponseBody, mapResponseBody } from './map-response-body/index'
export { appendTrailingSlash, type NormalizePathMode, normalizePath, trimTrailingSlash } from './normalize-path/index'
export { propagateHeader } from './propagate-header/index'
export { Redirect, RedirectStatusError, redirect } from './redirect/index'
export { LengthLimitError, requestBodyLimit } from './request-body-limit/index'
export {
  type MakeRequestId,
  makeRequestUuid,
  type PropagateRequestIdOptions,
  propagateRequestId,
  requestIdKey,
  type SetRequestIdOptions,
  setRequestId,
} from './request-id/index'
export { html, json, text } from './respond/index'
export {
  any,
  del,
  get,
  type Handler,
  head,
  InvalidRouteError,
  MethodRouter,
  on,
  options,
  originalUrl,
  type PathParams,
  patch,
  pathParams,
  post,
  put,
  RouteConflictError,
  Router,
  router,
} from './router/index'
export {
  isSensitiveHeader,
  redactHeaders,
  sensitiveHeaders,
  sensitiveRequestHeaders,
  sensitiveResponseHeaders,
} from './sensitive-headers/index'
export { type ServeOptions, type Server, serve } from './serve/index'
export { ServeDir, type ServeDirOptions, type ServeFileOptions, serveDir, serveFile } from './serve-dir/index'
export { type HeaderMode, type HeaderValue, setRequestHeader, setResponseHeader } from './set-header/index'
export { setStatus } from './set-status/index'
export { type RequestTimeoutOptions, requestTimeout } from './timeout/index'
export { type DefaultSpan, type TraceLogger, type TraceOptions, trace } from './trace/index'
export type { HttpLayer, HttpService } from './types'
export { acceptHeader, hasHeaderValue, type Validator, validateRequest } from './validate-request/index'

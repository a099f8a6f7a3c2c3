/**
 * `@turret/http`: tower-http for TypeScript, over the WHATWG fetch `Request` and `Response`.
 * @module
 */

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
export { type ServeOptions, type Server, serve } from './serve/index'
export type { HttpLayer, HttpService } from './types'

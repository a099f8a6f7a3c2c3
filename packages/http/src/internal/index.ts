/**
 * Lightweight fetch objects, shared by `serve()`, `text()`/`json()`/`html()` and `@turret/lambda`'s adapter.
 * **Internal and unstable**: this entry may change in any release; use `@turret/http/respond` and the
 * `overrideGlobalObjects` options of `serve()` and `httpHandler()` instead.
 * @module
 */
export { globalsInstalled, installGlobals, uninstallGlobals } from './globals'
export { type Native, native } from './native'
export { LiteRequest, liteRequest, nativeRequest, type RequestSource } from './request'
export { bodyBytes, bodyText, type LiteInit, type LiteParts, LiteResponse, liteResponse } from './response'
export { isHeaderValue, isToken } from './token'

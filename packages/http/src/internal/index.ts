/**
 * What other turret packages, the benchmarks and the repository's tests need from `@turret/http` beyond its
 * public API: the lightweight fetch objects shared by `serve()`, `text()`/`json()`/`html()` and `@turret/lambda`'s
 * adapter, the in-memory body of a response, reading extensions without creating them, and the router's matcher.
 * **Internal and unstable**: this entry may change in any release and is not covered by semver; use the root
 * (`text()`, `json()`, `html()`, `extensions()`, `router()`) and the `overrideGlobalObjects` options of `serve()`
 * and `httpHandler()` instead.
 * @module
 */
export { peekExtensions } from '../extensions/index'
export { responseBody } from '../respond/index'
export { type Leaf, type RouteMatch, RouteMatcher } from '../router/matcher'
export { globalsInstalled, installGlobals, uninstallGlobals } from './globals'
export { type Native, native } from './native'
export { LiteRequest, liteRequest, nativeRequest, type RequestSource } from './request'
export { bodyBytes, bodyText, type LiteInit, type LiteParts, LiteResponse, liteResponse } from './response'
export { isHeaderValue, isToken } from './token'

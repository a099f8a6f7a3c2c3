/**
 * `@turret/http`: tower-http for TypeScript, over the WHATWG fetch `Request` and `Response`.
 * @module
 */
export type { HttpService } from './types'
export { copyExtensions, Extensions, extensions, type Key, key, withRequest } from './extensions/index'

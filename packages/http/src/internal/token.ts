/**
 * The one header-name and header-value check of turret (`serve()`, the lightweight fetch objects, the router,
 * the validators and `@turret/lambda`'s adapter and Runtime API client all use these).
 * @module
 */

/** RFC 9110 `token`: one or more `tchar`. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** A character fetch's `Headers` refuses in a value (after trimming): NUL, CR, LF. */
const BAD_VALUE = /[\0\r\n]/

/**
 * Whether `s` is an RFC 9110 token (one or more of `` !#$%&'*+-.^_`|~ ``, digits and ASCII letters): a valid
 * header name, HTTP method or media type part. **Internal and unstable.**
 *
 * @example
 * ```ts
 * isToken('content-type') // true
 * isToken('bad name') // false
 * ```
 */
export function isToken(s: string): boolean {
  return TOKEN.test(s)
}

/**
 * Whether `s` is a header value fetch's `Headers` accepts once trimmed: no NUL, CR or LF (a value is not
 * required to be Latin-1 here: callers decide how to encode wider characters). **Internal and unstable.**
 *
 * @example
 * ```ts
 * isHeaderValue('text/plain; charset=utf-8') // true
 * isHeaderValue('a\r\nset-cookie: x') // false
 * ```
 */
export function isHeaderValue(s: string): boolean {
  return !BAD_VALUE.test(s)
}

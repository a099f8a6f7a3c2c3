/**
 * `normalizePath`: trims or appends the trailing slash of the request path, as tower-http's
 * `NormalizePathLayer` does.
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import { withRequest } from '../extensions/index'
import type { HttpService } from '../types'

/** `'trim'` removes trailing slashes (`/foo/` → `/foo`); `'append'` adds one (`/foo` → `/foo/`). */
export type NormalizePathMode = 'trim' | 'append'

function trimSlashes(path: string): string {
  let start = 0
  let end = path.length
  while (start < end && path.charCodeAt(start) === 47) start++
  while (end > start && path.charCodeAt(end - 1) === 47) end--
  return path.slice(start, end)
}

/**
 * The normalized path, or `undefined` when it is already normal. Trim: unchanged unless it ends
 * with `/` or starts with `//`, else `/` + the path without leading and trailing slashes. Append:
 * unchanged if it ends with exactly one `/`, else `/<trimmed>/` (or `/`).
 */
function normalizedPath(path: string, mode: NormalizePathMode): string | undefined {
  if (mode === 'trim') {
    if (!path.endsWith('/') && !path.startsWith('//')) return undefined
    const next = `/${trimSlashes(path)}`
    return next === path ? undefined : next
  }
  if (path.endsWith('/') && !path.endsWith('//')) return undefined
  const trimmed = trimSlashes(path)
  const next = trimmed === '' ? '/' : `/${trimmed}/`
  return next === path ? undefined : next
}

class NormalizePath extends PassThrough<Request, Response> {
  readonly layerName = 'normalizePath'
  constructor(
    inner: HttpService,
    private readonly mode: NormalizePathMode,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const url = req.url
    // Find the path without parsing the whole URL: after "scheme://authority".
    const authority = url.indexOf('//') + 2
    const pathStart = url.indexOf('/', authority)
    if (pathStart < 0) return next(req)
    let pathEnd = url.length
    const q = url.indexOf('?', pathStart)
    const h = url.indexOf('#', pathStart)
    if (q >= 0) pathEnd = q
    if (h >= 0 && h < pathEnd) pathEnd = h
    const path = normalizedPath(url.slice(pathStart, pathEnd), this.mode)
    if (path === undefined) return next(req)
    let rewritten: Request
    try {
      rewritten = withRequest(req, url.slice(0, pathStart) + path + url.slice(pathEnd))
    } catch (error) {
      return Promise.reject(error)
    }
    return next(rewritten)
  }
}

/**
 * Rewrites the request path in `'trim'` mode (`/foo/` → `/foo`, `////` → `/`) or `'append'` mode
 * (`/foo` → `/foo/`); the query is kept. A new `Request` (with the same extensions) is built only
 * when the path changes. Put it outside the router.
 *
 * @example
 * ```ts
 * normalizePath('trim')(fromFetch(app))
 * ```
 */
export function normalizePath(mode: NormalizePathMode): (inner: HttpService) => HttpService {
  return function normalizePath(inner: HttpService): HttpService {
    return new NormalizePath(inner, mode)
  }
}

/** `normalizePath('trim')`: removes trailing slashes. */
export function trimTrailingSlash(): (inner: HttpService) => HttpService {
  return normalizePath('trim')
}

/** `normalizePath('append')`: makes the path end with exactly one slash. */
export function appendTrailingSlash(): (inner: HttpService) => HttpService {
  return normalizePath('append')
}

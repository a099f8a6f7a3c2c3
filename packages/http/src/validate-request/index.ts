/**
 * `validateRequest`: answers with a response (406, 403, or your own) when a request does not
 * pass a check, without calling the inner service.
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import { isToken } from '../internal/token'
import type { HttpService } from '../types'
import { emptyResponse } from '../util/response'

/**
 * Checks one request: return nothing to let it through (it may be changed in place, e.g. a header
 * set), or a response to answer with instead. May be async.
 */
export type Validator = (req: Request) => Response | undefined | PromiseLike<Response | undefined>

class ValidateRequest extends PassThrough<Request, Response> {
  readonly layerName = 'validateRequest'
  constructor(
    inner: HttpService,
    private readonly validator: Validator,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    let verdict: Response | undefined | PromiseLike<Response | undefined>
    try {
      verdict = this.validator(req)
    } catch (error) {
      return Promise.reject(error)
    }
    if (verdict === undefined) return next(req)
    if (verdict instanceof Response) return Promise.resolve(verdict)
    return Promise.resolve(verdict).then((v) => (v === undefined ? next(req) : v))
  }
}

/**
 * Runs `validator` on each request: `undefined` lets it through to the inner service, a
 * `Response` is answered instead.
 *
 * @example
 * ```ts
 * validateRequest(acceptHeader('application/json'))
 * validateRequest((req) => (req.headers.has('x-tenant') ? undefined : new Response(null, { status: 400 })))
 * ```
 */
export function validateRequest(validator: Validator): (inner: HttpService) => HttpService {
  return function validateRequest(inner: HttpService): HttpService {
    return new ValidateRequest(inner, validator)
  }
}

/** Splits a header value on commas that are not inside a quoted string. */
function splitList(value: string): string[] {
  const parts: string[] = []
  let start = 0
  let quoted = false
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (c === '"') quoted = !quoted
    else if (c === '\\' && quoted) i++
    else if (c === ',' && !quoted) {
      parts.push(value.slice(start, i))
      start = i + 1
    }
  }
  parts.push(value.slice(start))
  return parts
}

function mediaRange(entry: string): [string, string] | undefined {
  const semi = entry.indexOf(';')
  const range = (semi < 0 ? entry : entry.slice(0, semi)).trim().toLowerCase()
  const slash = range.indexOf('/')
  if (slash < 0) return undefined
  const type = range.slice(0, slash)
  const subtype = range.slice(slash + 1)
  if (!isToken(type) || !isToken(subtype)) return undefined
  return [type, subtype]
}

/**
 * A validator that answers `406 Not Acceptable` unless the request's `Accept` allows `mime`
 * (`type/subtype` exactly, `type/*` or `*\/*`, case-insensitive). No `Accept` header is allowed;
 * unparsable entries are ignored; commas inside quoted parameters are handled.
 */
export function acceptHeader(mime: string): Validator {
  const wanted = mediaRange(mime)
  if (wanted === undefined) throw new TypeError(`acceptHeader: invalid media type ${JSON.stringify(mime)}`)
  const [type, subtype] = wanted
  return (req) => {
    const accept = req.headers.get('accept')
    if (accept === null) return undefined
    for (const entry of splitList(accept)) {
      const range = mediaRange(entry)
      if (range === undefined) continue
      if (range[0] === '*' && range[1] === '*') return undefined
      if (range[0] === type && (range[1] === '*' || range[1] === subtype)) return undefined
    }
    return emptyResponse(406)
  }
}

/**
 * A validator that answers `403 Forbidden` unless header `name` has exactly `value`
 * (case-sensitive value; with repeated headers, the first value is compared).
 */
export function hasHeaderValue(name: string, value: string): Validator {
  if (!isToken(name)) throw new TypeError(`hasHeaderValue: invalid header name ${JSON.stringify(name)}`)
  return (req) => {
    const got = req.headers.get(name)
    if (got === null) return emptyResponse(403)
    // Headers joins repeated values with ", ": compare the first one.
    const first = got === value ? got : splitList(got)[0]?.trim()
    return first === value ? undefined : emptyResponse(403)
  }
}

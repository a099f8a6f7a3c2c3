/**
 * Lambda HTTP event → fetch `Request`: source detection, validation and the request parts.
 * @module
 */
import { Buffer } from 'node:buffer'
import { isHeaderValue, isToken } from '@turret/http/internal'
import type { RequestParts } from './event-request'
import { finishHeaderMap, normalize, validLower } from './lazy-headers'
import type { HttpEventSource } from './types'

/** How the request path treats the API Gateway stage. */
export type StagePath = 'as-sent' | 'strip' | 'add'

/** An event the adapter cannot turn into a request: answered with a 400 result in the source's shape. */
export class BadHttpEvent {
  constructor(
    /** The recognised source, or `undefined` when the shape matched none. */
    readonly source: HttpEventSource | undefined,
    /** Whether the event used multi-value maps (decides the result's header shape). */
    readonly multi: boolean,
    /** What was wrong, for the 400 body. */
    readonly message: string,
  ) {}
}

/** A parsed event: the request parts plus what the response conversion needs. */
export interface ParsedEvent extends RequestParts {
  readonly source: HttpEventSource
  /** The event used multi-value maps (v1/ALB/WebSocket): answer with `multiValueHeaders`. */
  readonly multiMode: boolean
}

type Obj = Record<string, unknown>

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null
}

/** Recognises the event source from the event's shape; `undefined` when it is no Lambda HTTP event. */
export function detectSource(event: unknown): HttpEventSource | undefined {
  if (!isObj(event)) return undefined
  const rc = event.requestContext
  if (isObj(rc)) {
    if (isObj(rc.elb)) return 'alb'
    if (isObj(rc.http) || event.version === '2.0') {
      const domain = rc.domainName
      return typeof domain === 'string' && domain.includes('.lambda-url.') ? 'function-url' : 'apigw-v2'
    }
    if (typeof rc.eventType === 'string' && typeof rc.connectionId === 'string') return 'websocket'
    if ('httpMethod' in event || 'path' in event || 'httpMethod' in rc) return 'apigw-v1'
    return undefined
  }
  if (event.version === '2.0') return 'apigw-v2'
  if (typeof event.httpMethod === 'string' && typeof event.path === 'string') return 'apigw-v1'
  return undefined
}

const NON_LATIN1 = /[^\0-\xff]/
/** A value `isHeaderValue` refuses or {@link NON_LATIN1}, in one scan (neither, in almost every event). */
const UNUSUAL_VALUE = /[\0\r\n\u0100-\uffff]/
/** A host header value that cannot smuggle a path, query, fragment or userinfo into the URL. */
const HOST = /^[^\s/\\?#@]+$/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
/** Path characters the URL parser would treat as structure (`?`, `#`, `\\`) or drop (tab, CR, LF, controls). */
const PATH_ESCAPE = /[?#\\\0-\x20\x7f]/
/** Query characters the URL parser would treat as a fragment or drop. */
const QUERY_ESCAPE = /[#\0-\x20\x7f]/
const ESCAPE_PATH_CHARS = /[?#\\\0-\x20\x7f]/g
const ESCAPE_QUERY_CHARS = /[#\0-\x20\x7f]/g

function percent(ch: string): string {
  return `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
}
const FORBIDDEN_METHOD = /^(?:connect|trace|track)$/i
/** Null-prototype: a method named `__proto__` or `constructor` must not find Object.prototype's members. */
const STANDARD_METHODS: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  DELETE: 'DELETE',
  GET: 'GET',
  HEAD: 'HEAD',
  OPTIONS: 'OPTIONS',
  POST: 'POST',
  PUT: 'PUT',
  delete: 'DELETE',
  get: 'GET',
  head: 'HEAD',
  options: 'OPTIONS',
  post: 'POST',
  put: 'PUT',
})

/** Header lookups made while validating (host and scheme). */
interface Scan {
  host: string | undefined
  proto: string | undefined
  /** A value has characters above U+00FF. */
  wide: boolean
  /** The headers as `Headers` would hold them (values with wide characters not yet converted). */
  readonly map: Map<string, string>
}

/**
 * Validates a header map, merging it into `scan.map` as `Headers` would hold it (lower-cased names, values joined,
 * edges trimmed), and records host and x-forwarded-proto; returns an error message or undefined.
 * `seen` (the multi-value map, scanned first): single-value entries under a name it has are never used, so skipped.
 */
function scanHeaders(map: unknown, multi: boolean, scan: Scan, field: string, seen?: Obj): string | undefined {
  if (map === undefined || map === null) return undefined
  if (!isObj(map) || Array.isArray(map)) return `${field} must be an object`
  const into = scan.map
  // Values are checked for CR, LF, NUL and wide characters all at once (one scan of their concatenation); the
  // culprit is looked for only when the check fails.
  let values = ''
  for (const name in map) {
    const raw = map[name]
    if (raw === undefined || raw === null) continue
    let first: unknown
    let low: string
    if (multi) {
      if (!Array.isArray(raw)) return `${field}.${name} must be an array of strings`
      const valid = validLower(name)
      if (valid === undefined) return `invalid header name ${JSON.stringify(name)}`
      low = valid
      let joined = into.get(low)
      for (const v of raw) {
        if (v === null || v === undefined) continue
        if (typeof v !== 'string') return `${field}.${name} must be an array of strings`
        values += v
        const n = normalize(v, false)
        joined = joined === undefined ? n : `${joined}${low === 'cookie' ? '; ' : ', '}${n}`
      }
      if (joined !== undefined) into.set(low, joined)
      first = raw[0]
    } else {
      if (typeof raw !== 'string') return `${field}.${name} must be a string`
      // A name the multi-value map has is read from there: this value is never used, so it is not checked.
      if (seen !== undefined && Array.isArray(seen[name])) continue
      const valid = validLower(name)
      if (valid === undefined) return `invalid header name ${JSON.stringify(name)}`
      values += raw
      first = raw
      low = valid
      const prev = into.get(low)
      if (prev === undefined) into.set(low, normalize(raw, false))
      else if (seen === undefined) into.set(low, `${prev}${low === 'cookie' ? '; ' : ', '}${normalize(raw, false)}`)
    }
    if (typeof first !== 'string') continue
    if (low === 'host') {
      if (scan.host === undefined) scan.host = first
    } else if (low === 'x-forwarded-proto' && scan.proto === undefined) scan.proto = first
  }
  if (!UNUSUAL_VALUE.test(values)) return undefined
  if (!scan.wide && NON_LATIN1.test(values)) scan.wide = true
  if (!isHeaderValue(values)) {
    for (const name in map) {
      const raw = map[name]
      const list = Array.isArray(raw) ? raw : [raw]
      if (list.some((v) => typeof v === 'string' && !isHeaderValue(v))) return `invalid value for header ${name}`
    }
  }
  return undefined
}

/** URLs the WHATWG parser would serialise unchanged: lowercase name host, no port, no dot segments, safe chars. */
const NORMALIZED_URL =
  /^https?:\/\/(?:[a-z0-9-]+\.)*[a-z-][a-z0-9-]*(?:\/[A-Za-z0-9\-._~!$&'()*+,;=:@%]*)+(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@%/?[\]|^`{}]*)?$/
const DOT_SEGMENT = /\/\.|%2e/i

/** `new URL(href).href`, skipping the parser when `href` is already in normal form. Throws on an invalid URL. */
export function normalizeUrl(href: string): string {
  if (NORMALIZED_URL.test(href)) {
    const q = href.indexOf('?')
    if (!DOT_SEGMENT.test(q === -1 ? href : href.slice(0, q))) return href
  }
  return new URL(href).href
}

function encodeQueryMap(map: Obj, multi: boolean, raw: boolean): string | undefined {
  let out = ''
  for (const k in map) {
    const v = map[k]
    const key = raw ? k : encodeURIComponent(k)
    if (v === null || v === undefined) continue // skipped, as API Gateway and Powertools do
    if (multi) {
      if (!Array.isArray(v)) return undefined
      for (const item of v) {
        if (item === null || item === undefined) continue
        if (typeof item !== 'string') return undefined
        out += `${out ? '&' : ''}${key}=${raw ? item : encodeURIComponent(item)}`
      }
    } else {
      if (typeof v !== 'string') return undefined
      out += `${out ? '&' : ''}${key}=${raw ? v : encodeURIComponent(v)}`
    }
  }
  return out
}

function hasKeys(map: unknown): map is Obj {
  if (!isObj(map)) return false
  for (const _ in map) return true
  return false
}

/** The query of a v1/ALB/WebSocket event: the multi-value map when non-empty, else the single one. */
function mapQuery(event: Obj, raw: boolean): string | BadHttpEvent | undefined {
  const multi = mapQueryFrom(event.multiValueQueryStringParameters, true, raw, 'multiValueQueryStringParameters')
  return multi === undefined ? mapQueryFrom(event.queryStringParameters, false, raw, 'queryStringParameters') : multi
}

function mapQueryFrom(map: unknown, multi: boolean, raw: boolean, field: string): string | BadHttpEvent | undefined {
  if (map === undefined || map === null) return undefined
  if (!isObj(map) || Array.isArray(map)) return new BadHttpEvent(undefined, false, `${field} must be an object`)
  if (!hasKeys(map)) return undefined
  const q = encodeQueryMap(map, multi, raw)
  return q === undefined ? new BadHttpEvent(undefined, false, `${field} has a value of the wrong type`) : q
}

function stagePath(path: string, stage: unknown, mode: StagePath): string {
  if (mode === 'as-sent' || typeof stage !== 'string' || stage === '' || stage === '$default') return path
  const prefix = `/${stage}`
  const has = path === prefix || path.startsWith(`${prefix}/`)
  if (mode === 'strip') return has ? path.slice(prefix.length) || '/' : path
  return has ? path : prefix + path
}

function decodeBody(event: Obj, method: string): Uint8Array | string | null | BadHttpEvent {
  const body = event.body
  const b64 = event.isBase64Encoded
  if (b64 !== undefined && b64 !== null && typeof b64 !== 'boolean') {
    return new BadHttpEvent(undefined, false, 'isBase64Encoded must be a boolean')
  }
  if (body === undefined || body === null) return null
  if (typeof body !== 'string') return new BadHttpEvent(undefined, false, 'body must be a string')
  if (body === '' || method === 'GET' || method === 'HEAD') return null
  if (b64 !== true) return body
  if (body.length % 4 === 1 || !BASE64.test(body)) return new BadHttpEvent(undefined, false, 'body is not valid base64')
  const buf = Buffer.from(body, 'base64')
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
}

/** Options of the event parser (a subset of the adapter's options). */
export interface ParseOptions {
  readonly stagePath: StagePath
}

/**
 * Parses and validates a Lambda HTTP event into request parts, or a {@link BadHttpEvent} (never throws).
 */
export function parseEvent(
  event: unknown,
  signal: AbortSignal | undefined,
  options: ParseOptions,
): ParsedEvent | BadHttpEvent {
  let source: HttpEventSource | undefined
  let multiMode = false
  try {
    source = detectSource(event)
    if (source === undefined) {
      return new BadHttpEvent(
        undefined,
        false,
        'unrecognised event: expected an API Gateway (REST, HTTP or WebSocket), ALB or Function URL event',
      )
    }
    const e = event as Obj
    multiMode = hasKeys(e.multiValueHeaders) && source !== 'apigw-v2' && source !== 'function-url'
    const result = parseSource(e, source, multiMode, signal, options)
    if (result instanceof BadHttpEvent) return new BadHttpEvent(source, multiMode, result.message)
    return result
  } catch (error) {
    return new BadHttpEvent(
      source,
      multiMode,
      `malformed event: ${error instanceof Error ? error.message : 'unreadable field'}`,
    )
  }
}

function parseSource(
  e: Obj,
  source: HttpEventSource,
  multiMode: boolean,
  signal: AbortSignal | undefined,
  options: ParseOptions,
): ParsedEvent | BadHttpEvent {
  const rc = isObj(e.requestContext) ? e.requestContext : undefined
  let method: unknown
  let path: unknown
  let query: string | BadHttpEvent | undefined
  let cookie: string | undefined
  let domain: unknown = rc?.domainName
  const v2 = source === 'apigw-v2' || source === 'function-url'

  if (v2) {
    const http = rc?.http
    if (!isObj(http)) return new BadHttpEvent(source, false, 'missing requestContext.http')
    method = http.method
    path = e.rawPath ?? http.path
    const raw = e.rawQueryString
    if (typeof raw === 'string') query = raw
    else if (raw !== undefined && raw !== null)
      return new BadHttpEvent(source, false, 'rawQueryString must be a string')
    else query = mapQuery(e, false)
    const cookies = e.cookies
    if (cookies !== undefined && cookies !== null) {
      if (!Array.isArray(cookies) || cookies.some((c) => typeof c !== 'string')) {
        return new BadHttpEvent(source, false, 'cookies must be an array of strings')
      }
      if (cookies.length > 0) {
        cookie = cookies.join('; ')
        if (!isHeaderValue(cookie)) return new BadHttpEvent(source, false, 'invalid value for header cookie')
      }
    }
    if (typeof path === 'string') path = stagePath(path, rc?.stage, options.stagePath)
  } else if (source === 'websocket') {
    const eventType = rc?.eventType
    method = e.httpMethod ?? (eventType === 'MESSAGE' ? 'POST' : 'GET')
    const routeKey = rc?.routeKey
    path = typeof routeKey === 'string' ? `/${routeKey}` : '/'
    query = mapQuery(e, false)
  } else {
    method = e.httpMethod
    path = e.path
    query = mapQuery(e, source === 'alb')
    if (source === 'alb') domain = undefined
    else if (typeof path === 'string') path = stagePath(path, rc?.stage, options.stagePath)
  }
  if (query instanceof BadHttpEvent) return query
  if (typeof method !== 'string' || method === '') return new BadHttpEvent(source, multiMode, 'missing HTTP method')
  if (!isToken(method) || FORBIDDEN_METHOD.test(method)) {
    return new BadHttpEvent(source, multiMode, `unsupported HTTP method ${JSON.stringify(method)}`)
  }
  method = STANDARD_METHODS[method] ?? method
  if (typeof path !== 'string') return new BadHttpEvent(source, multiMode, 'missing path')

  const scan: Scan = { host: undefined, proto: undefined, wide: false, map: new Map() }
  const single = e.headers
  const multi = v2 ? undefined : e.multiValueHeaders
  const bad =
    (v2 ? undefined : scanHeaders(multi, true, scan, 'multiValueHeaders')) ??
    scanHeaders(single, false, scan, 'headers', isObj(multi) ? multi : undefined)
  if (bad !== undefined) return new BadHttpEvent(source, multiMode, bad)

  let host = scan.host
  if (host === undefined || host === '') host = typeof domain === 'string' && domain !== '' ? domain : undefined
  let origin: string
  if (host === undefined) origin = 'http://localhost'
  else {
    if (!HOST.test(host)) return new BadHttpEvent(source, multiMode, `invalid host ${JSON.stringify(host)}`)
    let proto = 'https'
    const xfp = scan.proto
    if (xfp !== undefined) {
      const comma = xfp.indexOf(',')
      const first = (comma === -1 ? xfp : xfp.slice(0, comma)).trim().toLowerCase()
      if (first === 'http') proto = 'http'
    }
    origin = `${proto}://${host}`
  }
  let p = path.charCodeAt(0) === 47 ? path : `/${path}`
  if (PATH_ESCAPE.test(p)) p = p.replace(ESCAPE_PATH_CHARS, percent)
  let q = query ?? ''
  if (QUERY_ESCAPE.test(q)) q = q.replace(ESCAPE_QUERY_CHARS, percent)
  let url: string
  try {
    url = normalizeUrl(q === '' ? origin + p : `${origin + p}?${q}`)
  } catch {
    return new BadHttpEvent(source, multiMode, 'the event does not make a valid URL')
  }

  const body = decodeBody(e, method as string)
  if (body instanceof BadHttpEvent) return new BadHttpEvent(source, multiMode, body.message)
  const length = body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength
  return {
    source,
    multiMode,
    method: method as string,
    url,
    multi: isObj(multi) ? multi : undefined,
    single: isObj(single) ? single : undefined,
    cookie,
    body,
    length,
    wide: scan.wide,
    signal,
    // Wide values are stored as their UTF-8 bytes: rare enough to let the first read build that map.
    headerMap: scan.wide ? undefined : (finishHeaderMap(scan.map, { cookie, body, length }) ?? false),
  }
}

/**
 * fetch `Response` → the result each Lambda HTTP event source expects (buffered), and the streaming prelude.
 * @module
 */
import { Buffer, isUtf8 } from 'node:buffer'
import { responseBody } from '@turret/http/internal'
import type { ALBResult, APIGatewayProxyResult, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import type { HttpEventSource, LambdaHttpResult, StreamingPrelude } from './types'

/**
 * Decides whether a response body is sent base64-encoded; `undefined` falls back to the default rule. A body
 * that is not valid UTF-8 is sent base64-encoded whatever this returns.
 */
export type IsBinary = (response: Response) => boolean | undefined

const REASONS: Record<number, string> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a Teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  510: 'Not Extended',
  511: 'Network Authentication Required',
}

/** ALB's `statusDescription`: `"200 OK"`. */
export function statusDescription(status: number, statusText = ''): string {
  const reason = statusText || REASONS[status] || ''
  return reason ? `${status} ${reason}` : String(status)
}

const TEXT_TYPES = new Set([
  'application/json',
  'application/javascript',
  'application/ecmascript',
  'application/xml',
  'application/yaml',
  'application/x-yaml',
  'application/x-www-form-urlencoded',
  'application/graphql',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/sql',
  'image/svg+xml',
])

/**
 * turret's one text/binary rule (the HTTP adapter's responses, and `turret dev`'s request bodies): any
 * `Content-Encoding` but `identity` → binary; a text media type (`text/*`, JSON, NDJSON/JSON Lines, JavaScript, XML,
 * YAML, form data, GraphQL, SQL, `+json`/`+xml`/`+yaml`) with no charset or a UTF-8/US-ASCII one
 * → text; no `Content-Type` → text when the bytes are valid UTF-8; anything else → binary.
 * `undefined` means "text if the bytes are valid UTF-8".
 */
export function isTextContentType(contentType: string | null, contentEncoding: string | null): boolean | undefined {
  if (contentEncoding !== null) {
    const enc = contentEncoding.trim().toLowerCase()
    if (enc !== '' && enc !== 'identity') return false
  }
  if (contentType === null || contentType.trim() === '') return undefined
  const semi = contentType.indexOf(';')
  const mime = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase()
  const isText =
    mime.startsWith('text/') ||
    TEXT_TYPES.has(mime) ||
    mime.endsWith('+json') ||
    mime.endsWith('+xml') ||
    mime.endsWith('+yaml')
  if (!isText) return false
  if (semi === -1) return true
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase()
  return charset === undefined || charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii'
}

/** Body and `isBase64Encoded` for a result. */
function encodeBody(
  res: Response,
  body: string | Uint8Array | null,
  isBinary: IsBinary | undefined,
  seen: SeenHeaders,
): { body: string; isBase64Encoded: boolean } {
  if (body === null || body.length === 0) return { body: '', isBase64Encoded: false }
  let text = isBinary?.(res)
  text = text === undefined ? isTextContentType(seen.contentType, seen.contentEncoding) : !text
  if (text === undefined) text = typeof body === 'string' || isUtf8(body)
  if (typeof body === 'string') {
    return text
      ? { body, isBase64Encoded: false }
      : { body: Buffer.from(body).toString('base64'), isBase64Encoded: true }
  }
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  if (text && isUtf8(buf)) return { body: buf.toString('utf8'), isBase64Encoded: false }
  return { body: buf.toString('base64'), isBase64Encoded: true }
}

const HOP_BY_HOP = new Set(['transfer-encoding', 'connection', 'keep-alive'])

function casePermutation(name: string, n: number): string {
  let out = ''
  let bit = 0
  for (const ch of name) {
    const lower = ch.toLowerCase()
    if (lower !== ch.toUpperCase()) {
      out += (n >> bit) & 1 ? ch.toUpperCase() : lower
      bit++
    } else out += ch
  }
  return out
}

/** How to shape a result. */
export interface ResultShape {
  readonly source: HttpEventSource | undefined
  readonly multiMode: boolean
  readonly head: boolean
}

/**
 * Converts a `Response` to the result the event source expects: v1 `multiValueHeaders` when the event used
 * them, v2 `cookies` (every `Set-Cookie`, never split), ALB `headers` xor `multiValueHeaders` with
 * `statusDescription`; base64 for binary bodies; empty body for HEAD.
 */
export function toResult(res: Response, shape: ResultShape, isBinary?: IsBinary): Promise<LambdaHttpResult> {
  try {
    const now = toResultNow(res, shape, isBinary)
    return now !== undefined ? Promise.resolve(now) : toResultLater(res, shape, isBinary)
  } catch (error) {
    return Promise.reject(error)
  }
}

/** {@link toResult} for a response {@link toResultNow} could not answer: its body is read as a stream. */
export function toResultLater(res: Response, shape: ResultShape, isBinary?: IsBinary): Promise<LambdaHttpResult> {
  return res.arrayBuffer().then((bytes) => resultFrom(res, new Uint8Array(bytes), shape, isBinary))
}

/** {@link toResult} without a promise when the body is in memory (a HEAD, or a string/bytes body); else `undefined`. */
export function toResultNow(res: Response, shape: ResultShape, isBinary?: IsBinary): LambdaHttpResult | undefined {
  if (shape.head) {
    void res.body?.cancel().catch(() => {})
    return resultFrom(res, null, shape, isBinary)
  }
  const source = responseBody(res)
  return source === undefined ? undefined : resultFrom(res, source, shape, isBinary)
}

/** Sets a header entry; `__proto__` (a valid header name) becomes an own key, not a prototype change. */
function put<T>(map: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__')
    Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true })
  else map[name] = value
}

/** What one pass over a response's headers collected. */
interface SeenHeaders {
  /** Every header but `set-cookie` and hop-by-hop ones, one value per name (`Headers` joins repeats). */
  readonly headers: Record<string, string>
  readonly contentType: string | null
  readonly contentEncoding: string | null
  /** Every `Set-Cookie`, never split. */
  readonly cookies: string[]
}

/** Reads a response's headers in one pass (`getSetCookie()` only when there is a `set-cookie`). */
function seeHeaders(res: Response): SeenHeaders {
  const headers: Record<string, string> = {}
  let contentType: string | null = null
  let contentEncoding: string | null = null
  let cookies = false
  const all = res.headers
  all.forEach((value, name) => {
    if (name === 'set-cookie') cookies = true
    else if (!HOP_BY_HOP.has(name)) {
      if (name === 'content-type') contentType = value
      else if (name === 'content-encoding') contentEncoding = value
      put(headers, name, value)
    }
  })
  return { headers, contentType, contentEncoding, cookies: cookies ? all.getSetCookie() : [] }
}

/** {@link toResult} for a body already read. */
export function resultFrom(
  res: Response,
  raw: string | Uint8Array | null,
  shape: ResultShape,
  isBinary?: IsBinary,
): LambdaHttpResult {
  const seen = seeHeaders(res)
  const { body, isBase64Encoded } = encodeBody(res, raw, isBinary, seen)
  const statusCode = res.status
  const source = shape.source
  const { headers, cookies } = seen
  if (source === 'apigw-v2' || source === 'function-url') {
    const result: APIGatewayProxyStructuredResultV2 = { statusCode, headers, body, isBase64Encoded }
    if (cookies.length > 0) result.cookies = cookies
    return result
  }
  if (shape.multiMode) {
    const multiValueHeaders: Record<string, string[]> = {}
    for (const name in headers) put(multiValueHeaders, name, [headers[name] as string])
    if (cookies.length > 0) multiValueHeaders['set-cookie'] = cookies
    if (source === 'alb') {
      return {
        statusCode,
        statusDescription: statusDescription(statusCode, res.statusText),
        multiValueHeaders,
        body,
        isBase64Encoded,
      } satisfies ALBResult
    }
    return { statusCode, multiValueHeaders, body, isBase64Encoded } satisfies APIGatewayProxyResult
  }
  if (source === 'alb') {
    // Single-value mode carries one value per name; further cookies go under case variants of the name
    // (`Set-cookie`, `sEt-cookie`…), which are distinct JSON keys but the same HTTP header.
    cookies.forEach((cookie, i) => {
      headers[casePermutation('set-cookie', i)] = cookie
    })
    return {
      statusCode,
      statusDescription: statusDescription(statusCode, res.statusText),
      headers,
      body,
      isBase64Encoded,
    } satisfies ALBResult
  }
  const result: APIGatewayProxyResult = { statusCode, headers, body, isBase64Encoded }
  if (cookies.length === 1) headers['set-cookie'] = cookies[0] as string
  else if (cookies.length > 1) result.multiValueHeaders = { 'set-cookie': cookies }
  return result
}

/** The streaming prelude for a response: status, one value per header, every cookie. */
export function preludeOf(res: Response): StreamingPrelude {
  const headers: Record<string, string> = {}
  res.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && !HOP_BY_HOP.has(name)) put(headers, name, value)
  })
  return { statusCode: res.status, headers, cookies: res.headers.getSetCookie() }
}

/** A 400 (or other) error result shaped for the source. */
export function errorResult(status: number, message: string, shape: ResultShape): LambdaHttpResult {
  const res = new Response(null, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } })
  return resultFrom(res, message, shape)
}

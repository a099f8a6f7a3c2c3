/**
 * A real HTTP request → the event an HTTP event source would deliver (API Gateway v2/v1, ALB,
 * Function URL), and the function's result → the HTTP response that source would send.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** The HTTP event sources `turret dev` can emulate. */
export type EventSource = 'v2' | 'v1' | 'alb' | 'url'

/** The event sources, for validating a flag. */
export const EVENT_SOURCES: readonly EventSource[] = ['v2', 'v1', 'alb', 'url']

/** Content types API Gateway and Function URLs pass as text; anything else is base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return true
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase()
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type.endsWith('+xml') ||
    type === 'application/xml' ||
    type === 'application/javascript' ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/graphql'
  )
}

function clf(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
}

/** A map for names a client chooses: no prototype, so `__proto__` or `constructor` are ordinary keys. */
function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}

/** Builds the event `source` would deliver for a request received by the dev server. */
export function requestToEvent(req: IncomingMessage, body: Buffer, source: EventSource): Record<string, unknown> {
  const method = req.method ?? 'GET'
  const url = new URL(req.url ?? '/', 'http://localhost')
  const rawQuery = url.search.slice(1)
  const now = new Date()
  const requestId = randomUUID()
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '')
  const userAgent = (req.headers['user-agent'] as string | undefined) ?? ''
  // Node joins repeated headers (cookies with '; ', others with ', '); set-cookie stays an array.
  const multi: Record<string, string[]> = dict()
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] as string).toLowerCase()
    const list = multi[name] ?? []
    list.push(req.rawHeaders[i + 1] as string)
    multi[name] = list
  }
  const text = isTextContentType(req.headers['content-type'])
  const hasBody = body.length > 0
  const encodedBody = hasBody ? (text ? body.toString('utf8') : body.toString('base64')) : undefined
  const isBase64Encoded = hasBody && !text

  if (source === 'v2' || source === 'url') {
    const headers: Record<string, string> = dict()
    for (const [name, values] of Object.entries(multi)) if (name !== 'cookie') headers[name] = values.join(',')
    const cookies = (multi.cookie ?? []).flatMap((c) => c.split(';').map((s) => s.trim())).filter(Boolean)
    const query: Record<string, string> = dict()
    for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v
    const domainPrefix = source === 'url' ? 'localdevurlid0000000000000000000' : 'localapi'
    const domainName =
      source === 'url'
        ? `${domainPrefix}.lambda-url.us-east-1.on.aws`
        : ((req.headers.host as string | undefined) ?? 'localhost')
    return {
      version: '2.0',
      routeKey: '$default',
      rawPath: decodeURIComponent(url.pathname),
      rawQueryString: rawQuery,
      ...(cookies.length > 0 ? { cookies } : {}),
      headers,
      ...(rawQuery ? { queryStringParameters: query } : {}),
      requestContext: {
        accountId: source === 'url' ? 'anonymous' : '123456789012',
        apiId: domainPrefix,
        domainName,
        domainPrefix,
        http: {
          method,
          path: decodeURIComponent(url.pathname),
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp,
          userAgent,
        },
        requestId,
        routeKey: '$default',
        stage: '$default',
        time: clf(now),
        timeEpoch: now.getTime(),
      },
      ...(encodedBody !== undefined ? { body: encodedBody } : {}),
      isBase64Encoded,
    }
  }

  if (source === 'v1') {
    const headers: Record<string, string> = dict()
    const multiValueHeaders: Record<string, string[]> = dict()
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] as string
      headers[name] = req.rawHeaders[i + 1] as string
      multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), req.rawHeaders[i + 1] as string]
    }
    const single: Record<string, string> = dict()
    const multiQuery: Record<string, string[]> = dict()
    for (const [k, v] of url.searchParams) {
      single[k] = v
      multiQuery[k] = [...(multiQuery[k] ?? []), v]
    }
    const path = decodeURIComponent(url.pathname)
    return {
      resource: '/{proxy+}',
      path,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters: rawQuery ? single : null,
      multiValueQueryStringParameters: rawQuery ? multiQuery : null,
      pathParameters: path === '/' ? null : { proxy: path.slice(1) },
      stageVariables: null,
      requestContext: {
        accountId: '123456789012',
        apiId: 'localapi',
        resourceId: 'local',
        resourcePath: '/{proxy+}',
        httpMethod: method,
        path,
        protocol: `HTTP/${req.httpVersion}`,
        stage: '$default',
        requestId,
        extendedRequestId: requestId,
        requestTime: clf(now),
        requestTimeEpoch: now.getTime(),
        domainName: (req.headers.host as string | undefined) ?? 'localhost',
        identity: { sourceIp, userAgent },
      },
      body: encodedBody ?? null,
      isBase64Encoded,
    }
  }

  // ALB (multi-value headers off): last value wins, query parameters stay URL-encoded as sent.
  const headers: Record<string, string> = dict()
  for (const [name, values] of Object.entries(multi)) headers[name] = values[values.length - 1] as string
  const query: Record<string, string> = dict()
  for (const pair of rawQuery ? rawQuery.split('&') : []) {
    const [k, v = ''] = pair.split('=')
    query[k as string] = v
  }
  return {
    requestContext: {
      elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/local/0000000000000000' },
    },
    httpMethod: method,
    path: url.pathname,
    queryStringParameters: query,
    headers,
    body: encodedBody ?? '',
    isBase64Encoded,
  }
}

/** An HTTP response to send: status, headers (repeated ones as arrays) and body. */
export interface HttpAnswer {
  readonly status: number
  readonly headers: Record<string, string | string[]>
  readonly body: Buffer
}

function addHeader(headers: Record<string, string | string[]>, name: string, value: string): void {
  const key = name.toLowerCase()
  const existing = headers[key]
  if (existing === undefined) headers[key] = value
  else headers[key] = Array.isArray(existing) ? [...existing, value] : [existing, value]
}

/** The answer an event source gives when the function failed or returned something it cannot use. */
export function failureAnswer(source: EventSource): HttpAnswer {
  const json = (status: number, message: string): HttpAnswer => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ message })),
  })
  if (source === 'v2') return json(500, 'Internal Server Error')
  if (source === 'v1') return json(502, 'Internal server error')
  if (source === 'url')
    return { status: 502, headers: { 'content-type': 'text/plain' }, body: Buffer.from('Internal Server Error') }
  return {
    status: 502,
    headers: { 'content-type': 'text/html' },
    body: Buffer.from(
      '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
    ),
  }
}

/** Turns a function result into the HTTP response `source` sends (status, multi-value headers, cookies, base64). */
export function resultToAnswer(result: unknown, source: EventSource): HttpAnswer {
  const isObject = typeof result === 'object' && result !== null && !Array.isArray(result)
  const shaped = isObject && 'statusCode' in (result as object)
  if (!shaped) {
    // HTTP API (v2) and Function URLs take any JSON as a 200 application/json body; REST and ALB need the shape.
    if (source === 'v2' || source === 'url') {
      const body = typeof result === 'string' ? result : JSON.stringify(result)
      return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body ?? '') }
    }
    return failureAnswer(source)
  }
  const r = result as {
    statusCode: unknown
    headers?: Record<string, unknown> | null
    multiValueHeaders?: Record<string, unknown[]> | null
    cookies?: unknown[] | null
    body?: unknown
    isBase64Encoded?: boolean
  }
  const status = Number(r.statusCode)
  if (!Number.isInteger(status) || status < 100 || status > 599) return failureAnswer(source)
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(r.headers ?? {}))
    if (value != null) addHeader(headers, name, String(value))
  if (source === 'v1' || source === 'alb') {
    for (const [name, values] of Object.entries(r.multiValueHeaders ?? {})) {
      delete headers[name.toLowerCase()]
      for (const value of values ?? []) addHeader(headers, name, String(value))
    }
  }
  if (source === 'v2' || source === 'url')
    for (const cookie of r.cookies ?? []) addHeader(headers, 'set-cookie', String(cookie))
  const raw = r.body == null ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body)
  const body = r.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8')
  return { status, headers, body }
}

/**
 * Splits a streamed HTTP integration response (`application/vnd.awslambda.http-integration-response`):
 * JSON prelude `{ statusCode, headers, cookies }`, 8 NUL bytes, then the body.
 */
export function streamedToAnswer(payload: Buffer): HttpAnswer | undefined {
  const separator = payload.indexOf(Buffer.alloc(8))
  if (separator < 0) return undefined
  let prelude: { statusCode?: number; headers?: Record<string, string>; cookies?: string[] }
  try {
    prelude = JSON.parse(payload.subarray(0, separator).toString('utf8'))
  } catch {
    return undefined
  }
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(prelude.headers ?? {})) addHeader(headers, name, String(value))
  for (const cookie of prelude.cookies ?? []) addHeader(headers, 'set-cookie', cookie)
  return { status: prelude.statusCode || 200, headers, body: payload.subarray(separator + 8) }
}

/**
 * A real HTTP request → the event an HTTP event source would deliver (API Gateway v2/v1, ALB, Function URL), and
 * the answer that source gives when the function fails. Results are decoded by `@turret/lambda/testing`.
 */

import { isUtf8 } from 'node:buffer'
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { HttpEventSource } from '@turret/lambda'
import { isTextContentType } from '@turret/lambda/internal'
import type { DecodedHttpResult } from '@turret/lambda/testing'

/** The HTTP event sources `turret dev` emulates (every `HttpEventSource` but WebSocket). */
export type DevEventSource = Exclude<HttpEventSource, 'websocket'>

/** The event sources, for validating a flag. */
export const DEV_EVENT_SOURCES: readonly DevEventSource[] = ['apigw-v2', 'apigw-v1', 'alb', 'function-url']

/** The CLI's short spellings of the event sources (`--source v2`). */
export const EVENT_SOURCE_ALIASES: Readonly<Record<string, DevEventSource>> = {
  v2: 'apigw-v2',
  v1: 'apigw-v1',
  url: 'function-url',
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
export function requestToEvent(req: IncomingMessage, body: Buffer, source: DevEventSource): Record<string, unknown> {
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
  // The one text/binary rule of turret (lambda's): a body without a content type is text when it is UTF-8.
  const contentEncoding = req.headers['content-encoding'] ?? null
  const text = isTextContentType(req.headers['content-type'] ?? null, contentEncoding) ?? isUtf8(body)
  const hasBody = body.length > 0
  const encodedBody = hasBody ? (text ? body.toString('utf8') : body.toString('base64')) : undefined
  const isBase64Encoded = hasBody && !text

  if (source === 'apigw-v2' || source === 'function-url') {
    const headers: Record<string, string> = dict()
    for (const [name, values] of Object.entries(multi)) if (name !== 'cookie') headers[name] = values.join(',')
    const cookies = (multi.cookie ?? []).flatMap((c) => c.split(';').map((s) => s.trim())).filter(Boolean)
    const query: Record<string, string> = dict()
    for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v
    const domainPrefix = source === 'function-url' ? 'localdevurlid0000000000000000000' : 'localapi'
    const domainName =
      source === 'function-url'
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
        accountId: source === 'function-url' ? 'anonymous' : '123456789012',
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

  if (source === 'apigw-v1') {
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

/** The answer an event source gives when the function failed or returned something it cannot use. */
export function failureAnswer(source: DevEventSource): DecodedHttpResult {
  const json = (status: number, message: string): DecodedHttpResult => ({
    status,
    headers: [['content-type', 'application/json']],
    body: Buffer.from(JSON.stringify({ message })),
  })
  if (source === 'apigw-v2') return json(500, 'Internal Server Error')
  if (source === 'apigw-v1') return json(502, 'Internal server error')
  if (source === 'function-url')
    return { status: 502, headers: [['content-type', 'text/plain']], body: Buffer.from('Internal Server Error') }
  return {
    status: 502,
    headers: [['content-type', 'text/html']],
    body: Buffer.from(
      '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
    ),
  }
}

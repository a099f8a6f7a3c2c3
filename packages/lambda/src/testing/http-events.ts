/**
 * Event factories for every Lambda HTTP source, and a decoder from results back to `Response`s.
 * @module
 */
import { Buffer } from 'node:buffer'
import type {
  ALBEvent,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyWebsocketEventV2,
  LambdaFunctionURLEvent,
} from 'aws-lambda'
import type { HttpEventSource, LambdaHttpResult } from '../http/types'

/** A header or query map: one value or several per name. */
export type MultiMap = Readonly<Record<string, string | readonly string[]>>

/** What an HTTP event factory takes; every field optional. */
export interface HttpEventInit {
  /** Defaults to `'GET'`. */
  readonly method?: string | undefined
  /** The path (decoded, as API Gateway REST and ALB send it; raw for v2). Defaults to `'/'`. */
  readonly path?: string | undefined
  /** Query parameters, decoded values. Defaults to none. */
  readonly query?: MultiMap | undefined
  /** Request headers; repeated values as arrays. Defaults to the source's usual host/forwarding headers. */
  readonly headers?: MultiMap | undefined
  /** Request cookies (`'name=value'`): v2's `cookies`, a `Cookie` header elsewhere. Defaults to none. */
  readonly cookies?: readonly string[] | undefined
  /** The body: text, or bytes (sent base64-encoded). Defaults to none. */
  readonly body?: string | Uint8Array | undefined
  /** Send the body base64-encoded. Defaults to `true` for bytes, `false` for text. */
  readonly base64?: boolean | undefined
  /** The host (header and `domainName`); `null` for none. Defaults to one typical of the source. */
  readonly host?: string | null | undefined
  /** Use the multi-value maps (v1: both maps, as REST does; ALB: multi-value mode). Defaults to `true` for v1, `false` for ALB. */
  readonly multiValue?: boolean | undefined
  /** The API Gateway stage. Defaults to `'test'` (v1) or `'$default'` (v2). */
  readonly stage?: string | undefined
  /** Defaults to `null` (v1) or absent. */
  readonly pathParameters?: Readonly<Record<string, string>> | undefined
  /** Defaults to `null` (v1) or absent. */
  readonly stageVariables?: Readonly<Record<string, string>> | undefined
  /** Merged over the generated `requestContext`. Defaults to none. */
  readonly requestContext?: Readonly<Record<string, unknown>> | undefined
}

function list(value: string | readonly string[]): string[] {
  return typeof value === 'string' ? [value] : [...value]
}

function encodeBody(init: HttpEventInit): { body: string | null; isBase64Encoded: boolean } {
  const { body } = init
  if (body === undefined) return { body: null, isBase64Encoded: false }
  const base64 = init.base64 ?? typeof body !== 'string'
  if (!base64)
    return { body: typeof body === 'string' ? body : Buffer.from(body).toString('utf8'), isBase64Encoded: false }
  return { body: Buffer.from(body).toString('base64'), isBase64Encoded: true }
}

function headerLists(init: HttpEventInit, host: string | null, lower: boolean): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const add = (name: string, values: string[]) => {
    const key = lower ? name.toLowerCase() : name
    out.set(key, [...(out.get(key) ?? []), ...values])
  }
  const given = init.headers ?? {}
  const has = (name: string) => Object.keys(given).some((k) => k.toLowerCase() === name)
  if (host !== null && !has('host')) add(lower ? 'host' : 'Host', [host])
  if (!has('x-forwarded-proto')) add(lower ? 'x-forwarded-proto' : 'X-Forwarded-Proto', ['https'])
  for (const [name, value] of Object.entries(given)) add(name, list(value))
  return out
}

function queryLists(query: MultiMap | undefined): [string, string[]][] {
  return Object.entries(query ?? {}).map(([k, v]) => [k, list(v)])
}

function rawQuery(query: MultiMap | undefined): string {
  return queryLists(query)
    .flatMap(([k, vs]) => vs.map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
    .join('&')
}

function single(lists: Iterable<[string, string[]]>, join?: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, vs] of lists) {
    if (vs.length > 0) out[k] = join === undefined ? (vs[vs.length - 1] as string) : vs.join(join)
  }
  return out
}

function multi(lists: Iterable<[string, string[]]>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [k, vs] of lists) out[k] = vs
  return out
}

function withCookieHeader(lists: Map<string, string[]>, cookies: readonly string[] | undefined, lower: boolean) {
  if (cookies === undefined || cookies.length === 0) return
  lists.set(lower ? 'cookie' : 'Cookie', [cookies.join('; ')])
}

/**
 * An API Gateway REST (v1) proxy event, with both `headers` and `multiValueHeaders` (as REST sends them) unless
 * `multiValue: false`.
 *
 * @example
 * ```ts
 * apigwV1Event({ method: 'POST', path: '/items', query: { tag: ['a', 'b'] }, body: '{"a":1}' })
 * ```
 */
export function apigwV1Event(init: HttpEventInit = {}): APIGatewayProxyEvent {
  const host = init.host === undefined ? 'abcdef1234.execute-api.us-east-1.amazonaws.com' : init.host
  const lists = headerLists(init, host, false)
  withCookieHeader(lists, init.cookies, false)
  const mv = init.multiValue ?? true
  const q = queryLists(init.query)
  const method = init.method ?? 'GET'
  const path = init.path ?? '/'
  const stage = init.stage ?? 'test'
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers: single(lists),
    multiValueHeaders: mv ? multi(lists) : {},
    queryStringParameters: q.length > 0 ? single(q) : null,
    multiValueQueryStringParameters: mv && q.length > 0 ? multi(q) : null,
    pathParameters: init.pathParameters ? { ...init.pathParameters } : null,
    stageVariables: init.stageVariables ? { ...init.stageVariables } : null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.7',
        user: null,
        userAgent: 'turret-test',
        userArn: null,
      },
      path: `/${stage}${path}`,
      stage,
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1_795_000_000_000,
      resourceId: 'abc123',
      resourcePath: '/{proxy+}',
      ...(host !== null ? { domainName: host } : {}),
      ...init.requestContext,
    } as APIGatewayProxyEvent['requestContext'],
    ...encodeBody(init),
  }
}

function v2Event(init: HttpEventInit, host: string | null, extra: Record<string, unknown>): APIGatewayProxyEventV2 {
  const lists = headerLists(init, host, true)
  const q = queryLists(init.query)
  const method = init.method ?? 'GET'
  const path = init.path ?? '/'
  const stage = init.stage ?? '$default'
  const { body, isBase64Encoded } = encodeBody(init)
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: rawQuery(init.query),
    headers: single(lists, ','),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      domainName: host ?? 'localhost',
      domainPrefix: (host ?? 'localhost').split('.')[0] as string,
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'turret-test' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: '$default',
      stage,
      time: '28/Nov/2026:12:00:00 +0000',
      timeEpoch: 1_795_000_000_000,
      ...extra,
      ...init.requestContext,
    } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded,
  }
  if (init.cookies !== undefined && init.cookies.length > 0) event.cookies = [...init.cookies]
  if (q.length > 0) event.queryStringParameters = single(q, ',')
  if (body !== null) event.body = body
  if (init.pathParameters) event.pathParameters = { ...init.pathParameters }
  if (init.stageVariables) event.stageVariables = { ...init.stageVariables }
  return event
}

/**
 * An API Gateway HTTP API (v2) event: lowercase headers (repeats comma-joined), `cookies`, `rawQueryString`.
 *
 * @example
 * ```ts
 * apigwV2Event({ method: 'PUT', path: '/items/1', cookies: ['session=abc'] })
 * ```
 */
export function apigwV2Event(init: HttpEventInit = {}): APIGatewayProxyEventV2 {
  const host = init.host === undefined ? 'abcdef1234.execute-api.us-east-1.amazonaws.com' : init.host
  return v2Event(init, host, {})
}

/** A Lambda Function URL event (the v2 shape on a `*.lambda-url.<region>.on.aws` domain, IAM authorizer). */
export function functionUrlEvent(init: HttpEventInit = {}): LambdaFunctionURLEvent {
  const host = init.host === undefined ? 'abcdefghijklmnop.lambda-url.us-east-1.on.aws' : init.host
  return v2Event(init, host, { authorizer: { iam: {} } as never })
}

/**
 * An ALB target-group event: single-value `headers`/`queryStringParameters` by default, or the multi-value maps
 * with `multiValue: true`. Query values arrive percent-encoded (ALB does not decode them).
 *
 * @example
 * ```ts
 * albEvent({ query: { q: '?showAll=true' }, multiValue: true })
 * ```
 */
export function albEvent(init: HttpEventInit = {}): ALBEvent {
  const host = init.host === undefined ? 'my-alb-1234567890.us-east-1.elb.amazonaws.com' : init.host
  const lists = headerLists(init, host, true)
  withCookieHeader(lists, init.cookies, true)
  const q = queryLists(init.query).map(([k, vs]): [string, string[]] => [
    encodeURIComponent(k),
    vs.map((v) => encodeURIComponent(v)),
  ])
  const { body, isBase64Encoded } = encodeBody(init)
  const event: ALBEvent = {
    requestContext: {
      elb: {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/turret/0123456789abcdef',
      },
    },
    httpMethod: init.method ?? 'GET',
    path: init.path ?? '/',
    body: body ?? '',
    isBase64Encoded,
  }
  if (init.multiValue) {
    event.multiValueHeaders = multi(lists)
    event.multiValueQueryStringParameters = multi(q)
  } else {
    event.headers = single(lists)
    event.queryStringParameters = single(q)
  }
  return event
}

/** What {@link websocketEvent} takes besides the HTTP fields. */
export interface WebsocketEventInit extends HttpEventInit {
  /** Defaults to `'MESSAGE'`. */
  readonly eventType?: 'CONNECT' | 'MESSAGE' | 'DISCONNECT' | undefined
  /** Defaults to `$connect`, `$default` or `$disconnect` by event type. */
  readonly routeKey?: string | undefined
  /** Defaults to `'L0SM9cOFvHcCIhw='`. */
  readonly connectionId?: string | undefined
}

/**
 * An API Gateway WebSocket event. CONNECT carries headers and query; MESSAGE carries the body.
 *
 * @example
 * ```ts
 * websocketEvent({ eventType: 'MESSAGE', routeKey: 'sendMessage', body: '{"text":"hi"}' })
 * ```
 */
export function websocketEvent(init: WebsocketEventInit = {}): APIGatewayProxyWebsocketEventV2 {
  const eventType = init.eventType ?? 'MESSAGE'
  const host = init.host === undefined ? 'abcdef1234.execute-api.us-east-1.amazonaws.com' : init.host
  const routeKey =
    init.routeKey ?? (eventType === 'CONNECT' ? '$connect' : eventType === 'DISCONNECT' ? '$disconnect' : '$default')
  const { body, isBase64Encoded } = encodeBody(init)
  const event: Record<string, unknown> = {
    requestContext: {
      routeKey,
      eventType,
      messageDirection: 'IN',
      stage: init.stage ?? 'prod',
      connectedAt: 1_795_000_000_000,
      requestTimeEpoch: 1_795_000_000_000,
      requestTime: '28/Nov/2026:12:00:00 +0000',
      requestId: 'R1koeHsUtjMFbRw=',
      extendedRequestId: 'R1koeHsUtjMFbRw=',
      connectionId: init.connectionId ?? 'L0SM9cOFvHcCIhw=',
      apiId: 'abcdef1234',
      ...(host !== null ? { domainName: host } : {}),
      ...(eventType === 'MESSAGE' ? { messageId: 'R1knPc2ntjMCFIA=' } : {}),
      ...init.requestContext,
    },
    isBase64Encoded,
  }
  if (eventType === 'CONNECT' || init.headers !== undefined) {
    const lists = headerLists(init, host, false)
    withCookieHeader(lists, init.cookies, false)
    event.headers = single(lists)
    event.multiValueHeaders = multi(lists)
    const q = queryLists(init.query)
    if (q.length > 0) {
      event.queryStringParameters = single(q)
      event.multiValueQueryStringParameters = multi(q)
    }
  }
  if (init.method !== undefined) event.httpMethod = init.method
  if (body !== null) event.body = body
  return event as unknown as APIGatewayProxyWebsocketEventV2
}

const NULL_BODY = new Set([101, 103, 204, 205, 304])

/** An HTTP response decoded from a Lambda result: status, header lines in order (repeats kept), body bytes. */
export interface DecodedHttpResult {
  /** The HTTP status. */
  readonly status: number
  /** `[name, value]` pairs, names lower-cased; `set-cookie` once per cookie. */
  readonly headers: ReadonlyArray<readonly [string, string]>
  /** The body, base64-decoded when `isBase64Encoded`. */
  readonly body: Buffer
}

type ResultShape = {
  statusCode?: unknown
  headers?: Record<string, unknown> | null
  multiValueHeaders?: Record<string, unknown[] | null> | null
  cookies?: unknown[] | null
  body?: unknown
  isBase64Encoded?: unknown
}

/**
 * Decodes a function's result the way `source` turns it into an HTTP response: API Gateway HTTP API and Function
 * URLs take any non-`statusCode` JSON as a `200 application/json` body and read `cookies`; REST and ALB read
 * `multiValueHeaders` (over `headers`); a body that is not a string is sent as JSON. `undefined` means the source
 * cannot use the result (no or an invalid `statusCode` where one is required): it answers with its own error.
 * Without a `source`, every field is read and a missing `statusCode` means 200.
 *
 * @example
 * ```ts
 * decodeHttpResult({ statusCode: 201, cookies: ['a=1'], body: 'ok' }, 'apigw-v2')?.status // 201
 * decodeHttpResult({ hello: 'world' }, 'apigw-v1') // undefined: REST needs a statusCode
 * ```
 */
export function decodeHttpResult(result: unknown, source?: HttpEventSource): DecodedHttpResult | undefined {
  const v2 = source === 'apigw-v2' || source === 'function-url'
  const shaped = typeof result === 'object' && result !== null && !Array.isArray(result) && 'statusCode' in result
  if (!shaped && source !== undefined) {
    if (!v2) return undefined
    const body = typeof result === 'string' ? result : JSON.stringify(result)
    return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body ?? '') }
  }
  const r = (typeof result === 'object' && result !== null ? result : {}) as ResultShape
  const status = r.statusCode === undefined && source === undefined ? 200 : Number(r.statusCode)
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined
  const lines = new Map<string, string[]>()
  const add = (name: string, value: unknown) => {
    const key = name.toLowerCase()
    lines.set(key, [...(lines.get(key) ?? []), String(value)])
  }
  for (const [name, value] of Object.entries(r.headers ?? {})) if (value != null) add(name, value)
  if (!v2) {
    for (const [name, values] of Object.entries(r.multiValueHeaders ?? {})) {
      lines.delete(name.toLowerCase())
      for (const value of values ?? []) add(name, value)
    }
  }
  if (source === undefined || v2) for (const cookie of r.cookies ?? []) add('set-cookie', cookie)
  const raw = r.body == null ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body)
  const body = r.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8')
  const headers = [...lines].flatMap(([name, values]) => values.map((value) => [name, value] as const))
  return { status, headers, body }
}

/**
 * Decodes a streamed HTTP integration response (`application/vnd.awslambda.http-integration-response`): the JSON
 * prelude `{ statusCode, headers, cookies }`, 8 NUL bytes, then the body. `undefined` when there is no valid prelude.
 *
 * @example
 * ```ts
 * const fake = fakeAwsLambda()
 * // … run a streaming handler with fake.aws …
 * decodeStreamedHttpResult(fake.wire)?.status
 * ```
 */
export function decodeStreamedHttpResult(bytes: Uint8Array): DecodedHttpResult | undefined {
  const payload = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const separator = payload.indexOf(Buffer.alloc(8))
  if (separator < 0) return undefined
  let prelude: unknown
  try {
    prelude = JSON.parse(payload.subarray(0, separator).toString('utf8'))
  } catch {
    return undefined
  }
  if (typeof prelude !== 'object' || prelude === null || Array.isArray(prelude)) return undefined
  const p = prelude as { statusCode?: unknown; headers?: Record<string, unknown> | null; cookies?: unknown[] | null }
  const headers: Array<readonly [string, string]> = []
  for (const [name, value] of Object.entries(p.headers ?? {})) headers.push([name.toLowerCase(), String(value)])
  for (const cookie of p.cookies ?? []) headers.push(['set-cookie', String(cookie)])
  const status = typeof p.statusCode === 'number' && p.statusCode ? p.statusCode : 200
  return { status, headers, body: payload.subarray(separator + 8) }
}

/**
 * Decodes a Lambda HTTP result back into a `Response` (headers, multi-value headers, cookies, base64 bodies),
 * for asserting on what a client would receive. With a `source`, the result is read as that event source reads
 * it (see {@link decodeHttpResult}); a result the source cannot use throws a `TypeError`.
 *
 * @example
 * ```ts
 * const res = resultToResponse(await oneshot(httpAdapter()(app), lambdaEvent(apigwV2Event())))
 * expect(await res.text()).toBe('hello')
 * ```
 */
export function resultToResponse(result: LambdaHttpResult, source?: HttpEventSource): Response {
  const decoded = decodeHttpResult(result, source)
  if (decoded === undefined) throw new TypeError(`the result is not one ${source ?? 'an HTTP event source'} can send`)
  const headers = new Headers()
  for (const [name, value] of decoded.headers) headers.append(name, value)
  const { status, body } = decoded
  return new Response(NULL_BODY.has(status) || body.length === 0 ? null : new Uint8Array(body), { status, headers })
}

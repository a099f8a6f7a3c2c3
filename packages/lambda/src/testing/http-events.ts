/**
 * Event factories for every Lambda HTTP source (the decoders of results are in `http-results.ts`).
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

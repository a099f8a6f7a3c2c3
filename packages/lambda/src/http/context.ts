import { extensions, type Key, key } from '@turret/http'
import type {
  ALBEventRequestContext,
  APIGatewayEventRequestContextV2,
  APIGatewayEventWebsocketRequestContextV2,
  APIGatewayProxyEvent,
} from 'aws-lambda'
import type { Context } from '../context/index'
import type { HttpEventSource, LambdaHttpEvent } from './types'

/** The request context of any Lambda HTTP event (`event.requestContext`). */
export type LambdaHttpRequestContext =
  | APIGatewayProxyEvent['requestContext']
  | APIGatewayEventRequestContextV2
  | ALBEventRequestContext
  | APIGatewayEventWebsocketRequestContextV2

/** What the HTTP adapter attaches to each `Request` it builds. */
export interface LambdaHttpInfo {
  /** The event source, recognised from the event's shape. */
  readonly source: HttpEventSource
  /** The event, as Lambda delivered it. */
  readonly event: LambdaHttpEvent
  /** The invocation's context. */
  readonly context: Context
}

/** Extension key under which the HTTP adapter stores the event, its source and the invocation context. */
export const lambdaHttpKey: Key<LambdaHttpInfo> = key<LambdaHttpInfo>('lambdaHttp')

/** The event, source and context of a request built by the HTTP adapter, or `undefined` for other requests. */
export function lambdaHttpInfo(req: Request): LambdaHttpInfo | undefined {
  return extensions(req).get(lambdaHttpKey)
}

/**
 * The Lambda invocation context of a request built by the HTTP adapter (lambda_http's `lambda_context`).
 *
 * @example
 * ```ts
 * const ms = lambdaContext(req)?.remainingTimeMs()
 * ```
 */
export function lambdaContext(req: Request): Context | undefined {
  return lambdaHttpInfo(req)?.context
}

/** The Lambda HTTP event a request was built from, as delivered. */
export function lambdaHttpEvent(req: Request): LambdaHttpEvent | undefined {
  return lambdaHttpInfo(req)?.event
}

/** The source (`'apigw-v1'`, `'apigw-v2'`, `'function-url'`, `'alb'`, `'websocket'`) of a request's event. */
export function eventSource(req: Request): HttpEventSource | undefined {
  return lambdaHttpInfo(req)?.source
}

/**
 * The event's `requestContext` (API Gateway identity and authorizer, ALB target group, WebSocket connection id…).
 *
 * @example
 * ```ts
 * const ctx = requestContext(req)
 * const claims = ctx && 'authorizer' in ctx ? ctx.authorizer : undefined
 * ```
 */
export function requestContext(req: Request): LambdaHttpRequestContext | undefined {
  const event = lambdaHttpEvent(req) as { requestContext?: LambdaHttpRequestContext } | undefined
  return event?.requestContext
}

/** The API Gateway path parameters (`event.pathParameters`), or `{}` when there are none. */
export function pathParameters(req: Request): Readonly<Record<string, string | undefined>> {
  const event = lambdaHttpEvent(req) as { pathParameters?: Record<string, string | undefined> | null } | undefined
  return event?.pathParameters ?? {}
}

/** The API Gateway stage variables (`event.stageVariables`), or `{}` when there are none. */
export function stageVariables(req: Request): Readonly<Record<string, string | undefined>> {
  const event = lambdaHttpEvent(req) as { stageVariables?: Record<string, string | undefined> | null } | undefined
  return event?.stageVariables ?? {}
}

/**
 * The client's IP address as the event source saw it (Hono's `getConnInfo`): REST and WebSocket
 * `requestContext.identity.sourceIp`, HTTP API and Function URL `requestContext.http.sourceIp`, ALB the last
 * `x-forwarded-for` entry (the one ALB appended).
 *
 * @example
 * ```ts
 * const ip = sourceIp(req) ?? 'unknown'
 * ```
 */
export function sourceIp(req: Request): string | undefined {
  const info = lambdaHttpInfo(req)
  if (info === undefined) return undefined
  const rc = (info.event as unknown as { requestContext?: Record<string, unknown> }).requestContext
  if (info.source === 'alb') {
    const xff = req.headers.get('x-forwarded-for')
    const last = xff?.split(',').pop()?.trim()
    return last === '' ? undefined : last
  }
  const holder = (info.source === 'apigw-v2' || info.source === 'function-url' ? rc?.http : rc?.identity) as
    | { sourceIp?: unknown }
    | undefined
  return typeof holder?.sourceIp === 'string' ? holder.sourceIp : undefined
}

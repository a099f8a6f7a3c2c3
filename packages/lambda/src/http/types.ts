import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  APIGatewayProxyWebsocketEventV2,
  LambdaFunctionURLEvent,
} from 'aws-lambda'

/**
 * Every Lambda event that carries an HTTP request: API Gateway REST (v1), HTTP API (v2), Function URLs,
 * ALB target groups and API Gateway WebSocket routes.
 */
export type LambdaHttpEvent =
  | APIGatewayProxyEvent
  | APIGatewayProxyEventV2
  | LambdaFunctionURLEvent
  | ALBEvent
  | APIGatewayProxyWebsocketEventV2

/** Every buffered result a Lambda HTTP event source accepts. */
export type LambdaHttpResult = APIGatewayProxyResult | APIGatewayProxyStructuredResultV2 | ALBResult

/** Which event source an HTTP event came from, recognised from its shape. */
export type HttpEventSource = 'apigw-v1' | 'apigw-v2' | 'function-url' | 'alb' | 'websocket'

/** The metadata of a streamed HTTP response (the prelude of Lambda's HTTP integration stream). */
export interface StreamingPrelude {
  /** The HTTP status code. */
  statusCode: number
  /** One value per header name; `set-cookie` goes to `cookies`. */
  headers: Record<string, string>
  /** Every `Set-Cookie` value, each intact. */
  cookies: string[]
}

// Type-checked by scripts/packed-install.sh in a fresh npm project that installed the packed tarballs,
// under `module: nodenext` and under `moduleResolution: bundler`, with `skipLibCheck: false`, `lib: ["es2023"]`
// (no DOM) and only @types/node. The `@ts-expect-error` lines fail the check if a type silently became `any`.
import { oneshot, type Service, ServiceBuilder, serviceFn } from '@turret/core'
import { timeout } from '@turret/core/timeout'
import { liftEither, unliftEither } from '@turret/fp'
import { toTaskEither } from '@turret/fp/task-either'
import { cors, type HttpService, json, mapRequestBody, mapResponseBody, setRequestId, text } from '@turret/http'
import { compression } from '@turret/http/compression'
import { httpHandler, type LambdaEvent, type LambdaHttpResult, lambdaHandler } from '@turret/lambda'
import { apigwV2Event, mockContext } from '@turret/lambda/testing'
import type { APIGatewayProxyEventV2, Context as AwsContext } from 'aws-lambda'
import type { Either } from 'fp-ts/lib/Either.js'

// A core stack.
const length: Service<string, number> = new ServiceBuilder()
  .layer(timeout(1_000))
  .layer(timeout(2_000))
  .serviceFn(async (s: string) => s.length)
const n: number = await oneshot(length, 'abc')

// HTTP layers around a fetch-typed service.
const app: HttpService = new ServiceBuilder()
  .layer(setRequestId())
  .layer(cors({ allowOrigin: '*' }))
  .layer(compression())
  .layer(mapRequestBody((body) => body))
  .layer(mapResponseBody((body) => body))
  .service(serviceFn(async (req: Request) => (req.method === 'GET' ? text('hi') : json({ n }))))

// The Lambda export, called as the managed runtime calls it.
export const main = httpHandler(app)
declare const event: APIGatewayProxyEventV2
declare const context: AwsContext
const result: LambdaHttpResult = await main(event, context)
// A mock context from @turret/lambda/testing is accepted as the runtime's context.
await main(apigwV2Event({ method: 'GET', path: '/' }), mockContext())
// @ts-expect-error: not an HTTP event
await main({ foo: 1 }, context)
// @ts-expect-error: not a Lambda context
await main(event, 'not a context')
// @ts-expect-error: a number is no event
main(42, context)

// A non-HTTP handler: the payload type flows through.
const orders = lambdaHandler(serviceFn(async (e: LambdaEvent<{ id: string }>) => e.payload.id.length))
const count: number = await orders({ id: 'a' }, context)
// @ts-expect-error: wrong payload
await orders({ id: 1 }, context)

// fp-ts interop.
const safe: Service<string, Either<unknown, number>> = liftEither(length)
const back: Service<string, number> = unliftEither(safe)
const te = toTaskEither(back)

export { count, result, te }

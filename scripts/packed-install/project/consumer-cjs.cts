// The CommonJS side under `module: nodenext`: `import x = require()` resolves the "require" conditions (.d.cts).
import core = require('@turret/core')
import http = require('@turret/http')
import lambda = require('@turret/lambda')
import fp = require('@turret/fp')

import type { APIGatewayProxyEventV2, Context } from 'aws-lambda'

const app: http.HttpService = new core.ServiceBuilder()
  .layer(http.setRequestId())
  .service(core.serviceFn(async (_req: Request) => http.text('hi')))
export const main = lambda.httpHandler(app)
declare const event: APIGatewayProxyEventV2
declare const context: Context
export const pending: Promise<lambda.LambdaHttpResult> = main(event, context)
// @ts-expect-error: not a Lambda context
main(event, 'not a context')
export const safe = fp.liftEither(core.serviceFn(async (s: string) => s.length))

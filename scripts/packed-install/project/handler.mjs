// A plain ESM handler, as a user writes one without a build step: `turret invoke handler.mjs --event event.json`.
import { ServiceBuilder, serviceFn } from '@turret/core'
import { json, propagateRequestId, setRequestId } from '@turret/http'
import { httpHandler } from '@turret/lambda'

const app = new ServiceBuilder()
  .layer(setRequestId())
  .layer(propagateRequestId())
  .service(serviceFn(async (req) => json({ path: new URL(req.url).pathname, method: req.method })))

export const handler = httpHandler(app)

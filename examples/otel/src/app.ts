/**
 * The app: a small orders API behind `otelHttp`, with a `retry` inside (each retry becomes a
 * span event) and a downstream call traced by `otelClient`.
 * @module
 */
import { oneshot, retry, retryPolicy, ServiceBuilder, serviceFn } from '@turret/core'
import type { HttpService } from '@turret/http'
import { currentSpan, otelClient, otelHttp } from '@turret/otel'

/** The route template of a request, for span names (`GET /orders/:id`) and `http.route`. */
export function routeOf(req: Request): string | undefined {
  const path = new URL(req.url).pathname
  if (/^\/orders\/[^/]+$/.test(path)) return '/orders/:id'
  return path === '/' ? '/' : undefined
}

/** The app over `inventory`, the downstream service it calls (a `fromFetch(fetch)` in production). */
export function makeApp(inventory: HttpService): HttpService {
  const client = otelClient()(inventory)
  let flaky = 0
  const orders = serviceFn(async (req: Request) => {
    const path = new URL(req.url).pathname
    if (path === '/') return new Response('orders api\n')
    const id = path.split('/')[2]
    if (id === undefined || routeOf(req) === undefined) return new Response('not found\n', { status: 404 })
    currentSpan(req)?.setAttribute('app.order_id', id)
    // A downstream blip on every other request: the retry below hides it, the span shows it.
    if (++flaky % 2 === 1) throw new Error('inventory blip')
    const stock = await oneshot(client, new Request(`http://inventory.internal/stock/${id}`))
    return Response.json({ id, stock: await stock.json() })
  })
  return new ServiceBuilder<Request, Response>()
    .layer(otelHttp({ route: routeOf }))
    .layer(retry(retryPolicy({ attempts: 2 })))
    .service(orders)
}

/** The app with an in-process inventory service (the example has no network dependency). */
export const app: HttpService = makeApp(serviceFn(async () => Response.json({ available: 3 })))

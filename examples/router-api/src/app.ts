/**
 * The REST API as a turret router: reads are public, writes need a bearer token (a `routeLayer`, so unknown
 * paths still answer 404 without asking for credentials), and every answer gets a request id, a trace and
 * CORS headers (`layer`, so 404s and 405s get them too). The same router runs on Lambda (`handler.ts`), on node
 * (`server.ts`) and in tests (`oneshot`).
 * @module
 */
import {
  bearerAuth,
  cors,
  json,
  propagateRequestId,
  type Router,
  requireAuthorization,
  router,
  setRequestId,
  type TraceLogger,
  text,
  trace,
} from '@turret/http'
import { ItemStore } from './store'

/** Options of {@link makeApp}. */
export interface AppOptions {
  /** The bearer token write routes require. Defaults to `process.env.API_TOKEN`, else `'dev-token'`. */
  readonly token?: string | undefined
  /** Where items live. Defaults to a new empty store. */
  readonly store?: ItemStore | undefined
  /** Where `trace` logs (`console` prints one line per request). Defaults to none. */
  readonly logger?: TraceLogger | undefined
}

const notFound = (id: string) => json({ error: `no item ${id}` }, { status: 404 })

/** Builds the API. */
export function makeApp(options: AppOptions = {}): Router {
  const store = options.store ?? new ItemStore()
  const token = options.token ?? process.env.API_TOKEN ?? 'dev-token'

  const reads = router()
    .get('/items', () => json(store.list()))
    .get('/items/:id', (_req, { id }) => {
      const item = store.get(id)
      return item ? json(item) : notFound(id)
    })

  const writes = router()
    .post('/items', async (req) => {
      const body = (await req.json().catch(() => undefined)) as { name?: unknown } | undefined
      if (typeof body?.name !== 'string' || body.name === '')
        return json({ error: 'send a JSON body with a non-empty "name"' }, { status: 400 })
      const item = store.create(body.name)
      return json(item, { status: 201, headers: { location: `/items/${item.id}` } })
    })
    .delete('/items/:id', (_req, { id }) => (store.delete(id) ? new Response(null, { status: 204 }) : notFound(id)))
    .routeLayer(requireAuthorization(bearerAuth(token)))

  return router()
    .get('/', () => text('router-api: GET /items, GET /items/:id, POST /items and DELETE /items/:id (bearer token)'))
    .merge(reads)
    .merge(writes)
    .fallback(() => json({ error: 'no such route' }, { status: 404 }))
    .layer(
      cors({
        allowOrigin: '*',
        allowMethods: ['GET', 'POST', 'DELETE'],
        allowHeaders: ['authorization', 'content-type'],
        exposeHeaders: ['x-request-id', 'location'],
      }),
    )
    .layer(propagateRequestId()) // copies x-request-id onto the response
    .layer(trace({ logger: options.logger }))
    .layer(setRequestId()) // outermost: kept when valid, else a new UUID, so trace logs carry it
}

/** The API with the default options. */
export const app: Router = makeApp()

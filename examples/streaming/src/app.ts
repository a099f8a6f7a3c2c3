/**
 * A server-sent events (SSE) service: `GET /ticks?count=N&intervalMs=M` streams N `tick` events,
 * one every M ms, then a `done` event; `GET /` answers a page that listens to it. The body is a
 * `ReadableStream`, so each event leaves as soon as it is produced (on node with `serve`, and on
 * Lambda through a streamed Function URL).
 * @module
 */
import { type Clock, ServiceBuilder, serviceFn, sleep, systemClock } from '@turret/core'
import { cors, type HttpService, setRequestId } from '@turret/http'

/** Options of {@link makeApp}. */
export interface AppOptions {
  /** The clock the ticks wait on (tests pass a `TestClock`). Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
  /** The most ticks one stream may ask for. Defaults to `100`. */
  readonly maxCount?: number | undefined
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>turret SSE</title><pre id="log"></pre>
<script>const s = new EventSource('ticks?count=5'); const log = document.getElementById('log')
s.addEventListener('tick', (e) => { log.textContent += e.data + '\\n' })
s.addEventListener('done', () => { log.textContent += 'done\\n'; s.close() })</script>
`

/** One SSE frame. */
export function sseFrame(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

/** Builds the SSE service with its layers. */
export function makeApp(options: AppOptions = {}): HttpService {
  const clock = options.clock ?? systemClock
  const maxCount = options.maxCount ?? 100
  const route = serviceFn(async (req: Request): Promise<Response> => {
    const url = new URL(req.url)
    if (req.method !== 'GET' && req.method !== 'HEAD') return new Response('method not allowed\n', { status: 405 })
    if (url.pathname === '/' || url.pathname === '') {
      return new Response(PAGE, { headers: { 'content-type': 'text/html; charset=utf-8' } })
    }
    if (url.pathname !== '/ticks') return new Response('not found\n', { status: 404 })
    const count = Number(url.searchParams.get('count') ?? '5')
    const intervalMs = Number(url.searchParams.get('intervalMs') ?? '200')
    if (!(Number.isInteger(count) && count >= 0 && count <= maxCount && intervalMs >= 0)) {
      return Response.json({ error: `count must be an integer in 0..${maxCount}, intervalMs >= 0` }, { status: 400 })
    }
    const encoder = new TextEncoder()
    const aborted = new AbortController()
    let i = 0
    const body = new ReadableStream<Uint8Array>({
      // pull: one event per read, so a slow client slows the producer (backpressure).
      async pull(controller) {
        if (i >= count) {
          controller.enqueue(encoder.encode(sseFrame('done', { count })))
          controller.close()
          return
        }
        if (i > 0) await sleep(intervalMs, clock, aborted.signal)
        controller.enqueue(encoder.encode(sseFrame('tick', { n: i + 1, of: count }, i + 1)))
        i++
      },
      cancel() {
        aborted.abort()
      },
    })
    return new Response(body, {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    })
  })
  return new ServiceBuilder()
    .layer(setRequestId())
    .layer(cors({ allowOrigin: '*' }))
    .service(route)
}

/** The app with the default options. */
export const app: HttpService = makeApp()

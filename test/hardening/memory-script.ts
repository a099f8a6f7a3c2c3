/**
 * R5 memory, run by memory.test.ts as `node --expose-gc --import tsx memory-script.ts` (from the
 * repo root, so tsconfig paths resolve `@turret/*` to source). Prints one JSON line:
 * `{ stack: Phase, adapter: Phase }`, heap figures after full GCs.
 *
 * - stack: one million oneshots through an 8-layer stack (timeout, buffer, concurrencyLimit,
 *   loadShed, mapRequest, mapResponse, timeout, mapErr around a serviceFn), 256 at a time;
 * - adapter: 100,000 Lambda HTTP events (v1, v2, Function URL, ALB, WebSocket in turn) through
 *   `httpHandler` over an HTTP stack (setRequestId, sensitiveHeaders, trace); the service reads
 *   each body. (requestBodyLimit is left out: it rebuilds every Request around a counting stream,
 *   ~6x the adapter's own cost, and its heap settles ~4.5 MB higher only after ~50,000 calls —
 *   a plateau, not growth — which would leave this check no margin.)
 */
import {
  buffer,
  concurrencyLimit,
  loadShed,
  mapErr,
  mapRequest,
  mapResponse,
  oneshot,
  type Service,
  ServiceBuilder,
  serviceFn,
  timeout,
} from '@turret/core'
import { sensitiveHeaders, setRequestId, trace } from '@turret/http'
import { httpHandler, toAwsContext } from '@turret/lambda'
import {
  albEvent,
  apigwV1Event,
  apigwV2Event,
  functionUrlEvent,
  mockContext,
  websocketEvent,
} from '@turret/lambda/testing'

interface Phase {
  readonly done: number
  readonly failed: number
  readonly beforeMB: number
  readonly afterMB: number
  readonly growthMB: number
  readonly timersLeft: number
  readonly ms: number
}

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc')

async function settle(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r))
    ;(gc as () => void)()
  }
  return process.memoryUsage().heapUsed
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 100) / 100

async function measure(total: number, batch: number, one: (i: number) => Promise<boolean>): Promise<Phase> {
  const round = async (from: number, to: number) => {
    let ok = 0
    const calls: Promise<boolean>[] = []
    for (let i = from; i < to; i++) calls.push(one(i))
    for (const r of await Promise.all(calls)) if (r) ok++
    return ok
  }
  // Warm up: JIT code, caches and the stack's own structures are not growth.
  for (let i = 0; i < Math.min(total, 20_000); i += batch) await round(i, i + batch)
  const before = await settle()
  const timersBefore = timers()
  const start = performance.now()
  let done = 0
  for (let i = 0; i < total; i += batch) done += await round(i, Math.min(total, i + batch))
  const ms = Math.round(performance.now() - start)
  const after = await settle()
  return {
    done,
    failed: total - done,
    beforeMB: mb(before),
    afterMB: mb(after),
    growthMB: mb(after - before),
    timersLeft: timers() - timersBefore,
    ms,
  }
}

function eightLayers(): Service<number, number> {
  return new ServiceBuilder()
    .layer(timeout(5_000))
    .layer(buffer(1_024))
    .layer(concurrencyLimit(256))
    .layer(loadShed())
    .layer(mapRequest((n: number) => n + 1))
    .layer(mapResponse((n: number) => n * 2))
    .layer(timeout(1_000))
    .layer(mapErr((e: unknown) => e))
    .service(serviceFn(async (n: number) => n - 1))
}

const stack = eightLayers()
const stackPhase = await measure(1_000_000, 256, async (i) => (await oneshot(stack, i)) === i * 2)

const app = new ServiceBuilder()
  .layer(setRequestId())
  .layer(sensitiveHeaders(['authorization']))
  .layer(trace())
  .service(
    serviceFn(async (req: Request) => {
      const body = req.method === 'POST' ? await req.text() : ''
      return new Response(`${req.method} ${new URL(req.url).pathname} ${body.length}`, {
        headers: { 'content-type': 'text/plain', 'set-cookie': 'a=1' },
      })
    }),
  )
const handle = httpHandler(app)
const context = toAwsContext(mockContext({ remainingMs: 60_000 }))
const init = {
  method: 'POST',
  path: '/items/42',
  query: { tag: ['a', 'b'], q: 'x' },
  headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
  body: '{"hello":"world"}',
}
const events: unknown[] = [
  apigwV1Event(init),
  apigwV2Event(init),
  functionUrlEvent(init),
  albEvent(init),
  albEvent({ ...init, multiValue: true }),
  websocketEvent({ ...init, routeKey: 'items' }),
]
const adapterPhase = await measure(100_000, 100, async (i) => {
  const result = await handle(events[i % events.length] as never, context)
  return result.statusCode === 200
})

process.stdout.write(`${JSON.stringify({ stack: stackPhase, adapter: adapterPhase })}\n`)

/** P1: the cost of layers — 5 no-op layers around one call, against the peers a user would pick. */
import middy from '@middy/core'
import {
  concurrencyLimit,
  loadShed,
  mapRequest,
  mapResponse,
  oneshot,
  type Ready,
  type Service,
  serviceFn,
  timeout,
} from '@turret/core'
import { Hono } from 'hono'
import compose from 'koa-compose'
import { type BenchContext, medianNs, type Row, ratio } from './lib'

/** The smallest honest turret middleware: forwards readiness, calls the inner. */
class NoOp<Req, Res> implements Service<Req, Res> {
  readonly layerName = 'noOp'
  constructor(readonly inner: Service<Req, Res>) {}
  ready(): Ready {
    return this.inner.ready()
  }
  call(req: Req): Promise<Res> {
    return this.inner.call(req)
  }
}
function noOp<Req, Res>(inner: Service<Req, Res>): Service<Req, Res> {
  return new NoOp(inner)
}

export async function p1(ctx: BenchContext): Promise<Row[]> {
  const direct = async (n: number) => n + 1

  let turret: Service<number, number> = serviceFn(direct)
  for (let i = 0; i < 5; i++) turret = noOp(turret)

  const koa = compose<{ n: number }>(
    Array.from({ length: 5 }, () => (_c: { n: number }, next: () => Promise<unknown>) => next()),
  )
  const koaCall = (n: number) => {
    const c = { n }
    return koa(c, async () => {
      c.n = await direct(c.n)
    }).then(() => c.n)
  }

  let m = middy(async (event: number) => direct(event))
  for (let i = 0; i < 5; i++) m = m.use({ before: () => undefined })
  const lambdaContext = { getRemainingTimeInMillis: () => 30_000 } as never

  const app = new Hono()
  for (let i = 0; i < 5; i++) app.use(async (_c, next) => next())
  app.get('/', (c) => c.text('ok'))
  const request = new Request('http://localhost/')

  const realistic = timeout(1_000)(
    concurrencyLimit(64)(loadShed()(mapRequest((n: number) => n)(mapResponse((n: number) => n)(serviceFn(direct))))),
  )

  const tDirect = await medianNs(() => direct(1), ctx)
  const tTurret = await medianNs(() => oneshot(turret, 1), ctx)
  const tKoa = await medianNs(() => koaCall(1), ctx)
  const tMiddy = await medianNs(() => m(1, lambdaContext), ctx)
  const tHono = await medianNs(() => app.fetch(request), ctx)
  const tRealistic = await medianNs(() => oneshot(realistic, 1), ctx)

  const vsDirect = ratio(tTurret, tDirect)
  const vsKoa = ratio(tTurret, tKoa)
  const middyOverTurret = ratio(tMiddy, tTurret)
  return [
    {
      id: 'P1',
      title: '5 no-op layers, one call',
      figures: [
        { label: 'direct async call', value: tDirect, unit: 'ns' },
        { label: 'turret (oneshot through 5 layers)', value: tTurret, unit: 'ns' },
        { label: 'koa-compose', value: tKoa, unit: 'ns' },
        { label: '@middy/core', value: tMiddy, unit: 'ns' },
        { label: 'hono app.fetch', value: tHono, unit: 'ns' },
      ],
      ratios: [
        { label: 'turret / direct', value: vsDirect },
        { label: 'turret / koa-compose', value: vsKoa },
        { label: 'middy / turret', value: middyOverTurret },
        { label: 'hono / turret', value: ratio(tHono, tTurret) },
      ],
      target: 'turret ≤ 2× direct, ≤ 0.5× koa-compose, ≥ 10× faster than middy',
      met: vsDirect <= 2 && vsKoa <= 0.5 && middyOverTurret >= 10,
    },
    {
      id: 'P1b',
      title: 'realistic stack: timeout + concurrencyLimit + loadShed + mapRequest + mapResponse',
      figures: [
        { label: 'turret', value: tRealistic, unit: 'ns' },
        { label: 'koa-compose (5 no-op)', value: tKoa, unit: 'ns' },
        { label: '@middy/core (5 no-op)', value: tMiddy, unit: 'ns' },
      ],
      ratios: [
        { label: 'turret / direct', value: ratio(tRealistic, tDirect) },
        { label: 'middy / turret', value: ratio(tMiddy, tRealistic) },
      ],
      target: 'reported (no fixed target)',
      met: undefined,
    },
  ]
}

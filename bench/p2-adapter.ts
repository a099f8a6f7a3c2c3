/**
 * P2: the Lambda HTTP adapter — a realistic event → a service that reads the URL and a header and
 * answers a small text Response → the result, against the adapters a user would pick instead.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import serverlessExpress from '@codegenie/serverless-express'
import { oneshot, serviceFn } from '@turret/core'
import { text } from '@turret/http'
import { httpHandler, toAwsContext } from '@turret/lambda'
import { mockContext } from '@turret/lambda/testing'
import express from 'express'
import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'
import serverless from 'serverless-http'
import { type BenchContext, medianNs, pairedNs, type Row, ratio } from './lib'

const fixtures = new URL('../test/fixtures/events/', import.meta.url)
const browserHeaders = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-encoding': 'gzip, deflate, br',
  'accept-language': 'en-US,en;q=0.9',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'x-forwarded-for': '203.0.113.7',
  'x-forwarded-port': '443',
  'x-forwarded-proto': 'https',
}

function load(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(path, fixtures), 'utf8')) as Record<string, unknown>
}

/** Events of each source, with a realistic set of browser headers. */
export function events() {
  const v2 = load('apigw-v2/apigw_v2_proxy_request.json')
  v2.headers = { ...(v2.headers as object), ...browserHeaders, host: 'api.example.com' }
  const v1 = load('apigw-v1/apigw-request.json')
  v1.headers = { ...(v1.headers as object), ...browserHeaders }
  v1.multiValueHeaders = Object.fromEntries(Object.entries(v1.headers as object).map(([k, v]) => [k, [v]]))
  const alb = load('alb/alb-lambda-target-request-headers-only.json')
  alb.headers = { ...(alb.headers as object), ...browserHeaders }
  return { v2, v1, alb }
}

/** The same small piece of work for every contender: read the URL and a header, answer text. */
function answer(path: string, agent: string | null | undefined): string {
  return `hello ${path} from ${agent?.slice(0, 7) ?? 'nobody'}`
}

type Source = 'v2' | 'v1' | 'alb'

/**
 * The adapter's own cost for one event source, measured apart from the service: the same reads of the request,
 * answered with one prebuilt Response (its string body is read from memory, never consumed, so it can be answered
 * again), against that service called directly on a prebuilt Request, in alternating rounds.
 */
export async function ownCost(source: Source, ctx: BenchContext): Promise<{ a: number; b: number; diff: number }> {
  let prebuiltResponse: Response | undefined
  const thin = serviceFn((req: Request) => {
    answer(new URL(req.url).pathname, req.headers.get('user-agent'))
    return prebuiltResponse as Response
  })
  // httpHandler() installs turret's globals (its default), so build the Request and Response after it, as
  // a user's service would
  const turretThin = httpHandler(thin)
  const prebuilt = new Request('https://api.example.com/my/path?parameter1=value1', { headers: browserHeaders })
  prebuiltResponse = new Response('hello /my/path from Mozilla', {
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  })
  const awsContext = toAwsContext(mockContext())
  const event = events()[source]
  for (let i = 0; i < 2; i++) {
    // twice: the prebuilt Response must answer again with its whole body
    const check = (await turretThin(event as never, awsContext as never)) as { body: string }
    if (!check.body.startsWith('hello /my/path')) throw new Error('the prebuilt response was not answered')
  }
  return pairedNs(
    () => turretThin(event as never, awsContext as never),
    () => oneshot(thin, prebuilt),
    ctx,
  )
}

/**
 * {@link ownCost} in a fresh process per event source: a Lambda function sees one source, so its code is
 * optimised for that shape alone, which measuring every source (and every peer) in one process would not show.
 */
function ownCostInChild(source: Source, ctx: BenchContext): { a: number; b: number; diff: number } {
  const child = fileURLToPath(new URL('./p2-own-cost.ts', import.meta.url))
  const out = execFileSync(process.execPath, ['--import', 'tsx', child, source, ...(ctx.smoke ? ['--smoke'] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return JSON.parse(out) as { a: number; b: number; diff: number }
}

export async function p2(ctx: BenchContext): Promise<Row[]> {
  const fetchApp = (req: Request) =>
    new Response(answer(new URL(req.url).pathname, req.headers.get('user-agent')), {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    })
  const svc = serviceFn(fetchApp)
  // turret with its defaults: httpHandler() makes its lightweight Request/Response the globals (as
  // @hono/node-server does), so `new Response()` in the service (and in hono below) builds one of those
  const turret = httpHandler(svc)
  // The same work answered the turret way, with text()
  const turretText = httpHandler(
    serviceFn((req: Request) => text(answer(new URL(req.url).pathname, req.headers.get('user-agent')))),
  )
  const hono = new Hono()
  hono.all('*', (c) => fetchApp(c.req.raw))
  const honoHandler = handle(hono)
  const expressApp = express()
  expressApp.use((req, res) => {
    res.type('text/plain').send(answer(req.path, req.get('user-agent')))
  })
  const codegenie = serverlessExpress({ app: expressApp })
  const slsHttp = serverless(
    (
      req: { url?: string; headers: Record<string, string | undefined> },
      res: {
        setHeader(k: string, v: string): void
        end(body: string): void
      },
    ) => {
      res.setHeader('content-type', 'text/plain; charset=utf-8')
      res.end(answer(new URL(req.url ?? '/', 'http://x').pathname, req.headers['user-agent']))
    },
  )
  const awsContext = toAwsContext(mockContext())

  const { v2, v1, alb } = events()
  // sanity: every contender answers 200 with the same body shape before it is timed
  const check = (await turret(v2 as never, awsContext as never)) as { statusCode: number; body: string }
  if (check.statusCode !== 200 || !check.body.startsWith('hello /my/path'))
    throw new Error(`turret answered ${JSON.stringify(check)}`)
  const honoCheck = (await honoHandler(v2 as never, awsContext as never)) as { statusCode: number }
  if (honoCheck.statusCode !== 200) throw new Error('hono did not answer 200')

  const prebuilt = new Request('https://api.example.com/my/path?parameter1=value1', { headers: browserHeaders })
  const tService = await medianNs(() => oneshot(svc, prebuilt).then((r) => r.text()), ctx)
  const rows: Row[] = []
  for (const [name, event] of [
    ['API Gateway v2', v2],
    ['API Gateway v1', v1],
    ['ALB', alb],
  ] as const) {
    const tTurret = await medianNs(() => turret(event as never, awsContext as never), ctx)
    const tTurretText = await medianNs(() => turretText(event as never, awsContext as never), ctx)
    const tHono = await medianNs(() => honoHandler(event as never, awsContext as never), ctx)
    const tExpress = await medianNs(() => codegenie(event as never, awsContext as never, () => undefined), ctx)
    const tSls = await medianNs(() => slsHttp(event as never, awsContext as never), ctx)
    const paired = ownCostInChild(name === 'API Gateway v2' ? 'v2' : name === 'ALB' ? 'alb' : 'v1', ctx)
    const tThin = paired.a
    const tThinAlone = paired.b
    const adapterCost = Math.max(0, paired.diff)
    const honoOverTurret = ratio(tHono, tTurret)
    const honoOverText = ratio(tHono, tTurretText)
    const ownLimit = name === 'API Gateway v1' ? 5_000 : 3_000
    rows.push({
      id: name === 'API Gateway v2' ? 'P2' : `P2-${name === 'ALB' ? 'alb' : 'v1'}`,
      title: `Lambda HTTP adapter, ${name} event → service → result`,
      figures: [
        { label: 'turret httpHandler, the service answering with new Response()', value: tTurret, unit: 'ns' },
        { label: 'turret httpHandler, the service answering with text()', value: tTurretText, unit: 'ns' },
        { label: "hono's aws-lambda handle()", value: tHono, unit: 'ns' },
        { label: '@codegenie/serverless-express (express)', value: tExpress, unit: 'ns' },
        { label: 'serverless-http (reference: Node streams, no fetch objects)', value: tSls, unit: 'ns' },
        { label: 'the service alone (prebuilt Request, body read)', value: tService, unit: 'ns' },
        {
          label: 'turret httpHandler, service answering a prebuilt Response (own process, this source only)',
          value: tThin,
          unit: 'ns',
        },
        { label: 'that service alone (prebuilt Request)', value: tThinAlone, unit: 'ns' },
        {
          label: "turret adapter's own cost (median difference of the two rows above, measured in alternating rounds)",
          value: adapterCost,
          unit: 'ns',
        },
      ],
      ratios: [
        { label: 'hono / turret with new Response()', value: honoOverTurret },
        { label: 'hono / turret with text()', value: honoOverText },
        { label: 'serverless-express / turret', value: ratio(tExpress, tTurret) },
        { label: 'serverless-http / turret', value: ratio(tSls, tTurret) },
      ],
      target: `≥ 2× faster than hono's handle() with the service answering new Response() and with it answering text(); adapter's own cost ≤ ${ownLimit / 1000} µs median`,
      met: honoOverTurret >= 2 && honoOverText >= 2 && adapterCost <= ownLimit,
      note: "turret runs with its defaults (`overrideGlobalObjects` on); hono's handle() runs the same `new Response()` service.",
    })
  }
  return rows
}

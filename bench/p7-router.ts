/**
 * P7: the router. P7 — path matching alone on the GitHub API route set, against the routers a user would pick
 * instead; P7b — a 20-route app end to end through the Lambda adapter, against the same app on Hono;
 * P3b — the minified bundle of a 10-route Lambda, against the same app on Hono.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { text } from '@turret/http'
import { RouteMatcher } from '@turret/http/internal'
import { on, type Router, router } from '@turret/http/router'
import { httpHandler, toAwsContext } from '@turret/lambda'
import { mockContext } from '@turret/lambda/testing'
import FindMyWay from 'find-my-way'
import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'
import { RegExpRouter } from 'hono/router/reg-exp-router'
import { TrieRouter } from 'hono/router/trie-router'
import { addRoute, createRouter, findRoute } from 'rou3'
import { type BenchContext, medianNs, type Row, ratio } from './lib'
import { bundleSource } from './p3-cold-start'

type Handler = () => number
type Route = { method: string; path: string }

/** Where the lookups' parameter reads go, so none is optimised away. */
export let sink = 0

/** The GitHub API route set (bench/fixtures/github-api.txt): the classic set, or all of it. */
export function githubRoutes(set: 'classic' | 'all'): Route[] {
  const file = readFileSync(new URL('./fixtures/github-api.txt', import.meta.url), 'utf8')
  const lines = file.split('\n')
  const end = set === 'classic' ? lines.findIndex((line) => line.startsWith('# Newer')) : lines.length
  return lines
    .slice(0, end)
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [method, path] = line.trim().split(' ') as [string, string]
      return { method, path }
    })
}

/** A request path for a pattern: each parameter filled with a plausible value, a wildcard with three segments. */
function fill(pattern: string, i: number): string {
  return pattern
    .split('/')
    .map((s) => (s.startsWith(':') ? `${s.slice(1)}-${i}` : s.startsWith('*') ? 'docs/guide/README.md' : s))
    .join('/')
}

/** The fixed mix: every route once (static and parametric, with its method), then 404 paths (one in eight). */
export function lookupMix(routes: Route[]): { method: string; path: string; hit: boolean }[] {
  const mix = routes.map((r, i) => ({ method: r.method, path: fill(r.path, i), hit: true }))
  const misses = [
    '/nothing',
    '/repos/octocat/hello/unknown',
    '/users/octocat/nope/x',
    '/user/repos/extra/deep',
    '/gists/1/star/extra',
    '/orgs/acme/teams/core/unknown',
    '/repos/octocat/hello/actions/nope',
    '/search',
    '/legacy/issues/search/a/b/c',
    '/api/v1/users',
  ]
  const out: typeof mix = []
  for (let i = 0; i < mix.length; i++) {
    out.push(mix[i] as (typeof mix)[number])
    if (i % 7 === 6) out.push({ method: 'GET', path: misses[((i / 7) % misses.length) | 0] as string, hit: false })
  }
  return out
}

/** Each contender's lookup: finds the handler for (method, path) and reads every parameter; the handler or undefined. */
type Lookup = (method: string, path: string) => Handler | undefined

function contenders(routes: Route[]): Record<string, Lookup> {
  const handler: Handler = () => 1
  const read = (params: Record<string, string> | undefined) => {
    if (params) for (const k in params) sink += (params[k] as string).length
  }

  const turret = new RouteMatcher<Map<string, Handler>>()
  const byPath = new Map<string, Map<string, Handler>>()
  for (const r of routes) {
    let methods = byPath.get(r.path)
    if (methods === undefined) {
      methods = new Map()
      byPath.set(r.path, methods)
      turret.insert(r.path, methods)
    }
    methods.set(r.method, handler)
  }

  const honoPath = (p: string) => p.replace(/\*\w+$/, '*')
  const regexp = new RegExpRouter<Handler>()
  const trie = new TrieRouter<Handler>()
  const fmw = FindMyWay()
  const rou3 = createRouter<Handler>()
  let regexpError: unknown
  for (const r of routes) {
    try {
      if (regexpError === undefined) regexp.add(r.method, honoPath(r.path), handler)
    } catch (error) {
      regexpError = error // the route set has a shape RegExpRouter does not support (UnsupportedPathError)
    }
    trie.add(r.method, honoPath(r.path), handler)
    fmw.on(r.method as 'GET', honoPath(r.path), handler as never)
    addRoute(rou3, r.method, r.path.replace(/\*(\w+)$/, '**:$1'), handler)
  }

  const all: Record<string, Lookup> = {
    'turret RouteMatcher': (method, path) => {
      const m = turret.match(path)
      if (m === undefined) return undefined
      read(m.params)
      return m.value.get(method)
    },
    'hono RegExpRouter': (method, path) => {
      const [matches, stash] = regexp.match(method, path)
      const first = matches[0]
      if (first === undefined) return undefined
      const indexes = first[1] as Record<string, number>
      const params: Record<string, string> = {}
      for (const k in indexes) params[k] = (stash as string[])[indexes[k] as number] as string
      read(params)
      return first[0]
    },
    'hono TrieRouter': (method, path) => {
      const [matches] = trie.match(method, path)
      const first = matches[0]
      if (first === undefined) return undefined
      read(first[1] as Record<string, string>)
      return first[0]
    },
    'find-my-way': (method, path) => {
      const found = fmw.find(method as 'GET', path)
      if (found === null) return undefined
      read(found.params as Record<string, string>)
      return found.handler as unknown as Handler
    },
    rou3: (method, path) => {
      const found = findRoute(rou3, method, path)
      if (found === undefined) return undefined
      read(found.params)
      return found.data
    },
  }
  if (regexpError !== undefined) delete all['hono RegExpRouter']
  return all
}

/** The contenders' names, in the order the row lists them. */
const names = ['turret RouteMatcher', 'hono RegExpRouter', 'hono TrieRouter', 'find-my-way', 'rou3']

/**
 * Lookups per second of one contender on one route set (`undefined` when it refuses the set), after checking
 * that it finds exactly the routes of the mix. Run by p7-child.ts in a fresh process per contender.
 */
export async function lookupsPerSecondOf(
  set: 'all' | 'classic',
  name: string,
  ctx: BenchContext,
): Promise<number | undefined> {
  const routes = githubRoutes(set)
  const mix = lookupMix(routes)
  const lookup = contenders(routes)[name]
  if (lookup === undefined) return undefined
  for (const { method, path, hit } of mix) {
    const found = lookup(method, path) !== undefined
    if (found !== hit) throw new Error(`${name}: ${method} ${path} ${hit ? 'not found' : 'found'}`)
  }
  const ns = await medianNs(() => {
    let n = 0
    for (let i = 0; i < mix.length; i++) {
      const { method, path } = mix[i] as (typeof mix)[number]
      if (lookup(method, path) !== undefined) n++
    }
    return n
  }, ctx)
  return (mix.length * 1e9) / ns
}

function inChild(set: 'all' | 'classic', name: string, ctx: BenchContext): number | undefined {
  const child = fileURLToPath(new URL('./p7-child.ts', import.meta.url))
  const out = execFileSync(process.execPath, ['--import', 'tsx', child, set, name, ...(ctx.smoke ? ['--smoke'] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return (JSON.parse(out) as number | null) ?? undefined
}

/** Lookups per second of each contender on one route set, each measured in its own process. */
function lookupsPerSecond(set: 'all' | 'classic', ctx: BenchContext): Record<string, number> {
  const perSecond: Record<string, number> = {}
  for (const name of names) {
    const value = inChild(set, name, ctx)
    if (value !== undefined) perSecond[name] = value
  }
  return perSecond
}

export async function p7(ctx: BenchContext): Promise<Row[]> {
  const figures: Row['figures'] = []
  const ratios: Row['ratios'] = []
  let met = true
  const notes: string[] = []
  for (const set of ['all', 'classic'] as const) {
    const routes = githubRoutes(set)
    const perSecond = lookupsPerSecond(set, ctx)
    const label = set === 'all' ? `${routes.length} routes` : `classic ${routes.length} routes`
    for (const [name, value] of Object.entries(perSecond))
      figures.push({ label: `${label}: ${name}`, value, unit: 'inv/s' })
    const turret = perSecond['turret RouteMatcher'] as number
    const peers = Object.entries(perSecond).filter(([name]) => !name.startsWith('turret'))
    for (const [name, value] of peers) ratios.push({ label: `${label}: turret / ${name}`, value: ratio(turret, value) })
    met &&= peers.every(([, value]) => turret >= value)
    const mix = lookupMix(routes)
    const statics = routes.filter((r) => !r.path.includes(':') && !r.path.includes('*')).length
    notes.push(
      `${label}: ${mix.length} lookups (every route once with its method: ${statics} static, ${routes.length - statics} with parameters; ${mix.length - routes.length} paths that match nothing)${perSecond['hono RegExpRouter'] === undefined ? "; hono's RegExpRouter refuses this set (UnsupportedPathError), so Hono itself would fall back to its TrieRouter" : ''}`,
    )
  }
  return [
    {
      id: 'P7',
      title: 'router matching: the GitHub API route set, lookups per second',
      figures,
      ratios,
      target: '≥ 1.0× the fastest of hono RegExpRouter, hono TrieRouter, find-my-way, rou3',
      met,
      note: `Each contender is measured in its own process (no shared JIT feedback). A lookup finds the handler for (method, path) and reads every parameter value (hono's RegExpRouter returns indexes, turned into an object as \`c.req.param()\` would). "inv/s" is lookups per second. Mixes: ${notes.join('. ')}.`,
    },
  ]
}

/** The 20 routes of the P7b app, each answering `text()` with its method, pattern and parameter values. */
const appRoutes: [string, string][] = [
  ['GET', '/'],
  ['GET', '/health'],
  ['GET', '/users'],
  ['POST', '/users'],
  ['GET', '/users/:id'],
  ['DELETE', '/users/:id'],
  ['GET', '/users/:id/posts'],
  ['GET', '/users/:id/posts/:postId'],
  ['GET', '/posts'],
  ['GET', '/posts/:id'],
  ['GET', '/posts/:id/comments'],
  ['GET', '/comments/:id'],
  ['GET', '/tags'],
  ['GET', '/tags/:tag'],
  ['GET', '/search'],
  ['POST', '/login'],
  ['GET', '/me'],
  ['GET', '/me/settings'],
  ['GET', '/orgs/:org/members'],
  ['GET', '/files/*path'],
]

/** The parameter values, by name order (routers differ in the order they list them). */
function values(params: Readonly<Record<string, string | undefined>>): string {
  return Object.keys(params)
    .sort()
    .map((k) => params[k])
    .join(',')
}

function turretApp(): Router {
  let app = router()
  for (const [method, path] of appRoutes) {
    app = app.route(
      path,
      on(method, (_req, params) => text(`${method} ${path} ${values(params)}`)),
    )
  }
  return app
}

function honoApp(): Hono {
  const app = new Hono()
  for (const [method, path] of appRoutes) {
    app.on(method, path.replace(/\*\w+$/, ':path{.+}'), (c) => c.text(`${method} ${path} ${values(c.req.param())}`))
  }
  return app
}

/** API Gateway v2 events (bench/fixtures/apigw_v2_proxy_request.json) for one request per route. */
function appEvents(): Record<string, unknown>[] {
  const base = JSON.parse(
    readFileSync(new URL('./fixtures/apigw_v2_proxy_request.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown> & { requestContext: { http: Record<string, unknown> } }
  return appRoutes.map(([method, path], i) => {
    const rawPath = fill(path, i)
    const event = structuredClone(base)
    event.rawPath = rawPath
    event.requestContext.http.method = method
    event.requestContext.http.path = rawPath
    if (method === 'GET' || method === 'DELETE') {
      event.body = undefined
      event.isBase64Encoded = false
    }
    return event
  })
}

export async function p7b(ctx: BenchContext): Promise<Row[]> {
  const turret = httpHandler(turretApp())
  const hono = handle(honoApp())
  const context = toAwsContext(mockContext())
  const events = appEvents()
  for (const event of events) {
    const a = (await turret(event as never, context as never)) as { statusCode: number; body: string }
    const b = (await hono(event as never, context as never)) as { statusCode: number; body: string }
    if (a.statusCode !== 200 || a.body !== b.body)
      throw new Error(`turret and hono disagree on ${String(event.rawPath)}: ${JSON.stringify([a, b])}`)
  }
  const run = (h: (e: never, c: never) => Promise<unknown>) => async () => {
    for (const event of events) await h(event as never, context as never)
  }
  const tTurret = (await medianNs(run(turret as never), ctx)) / events.length
  const tHono = (await medianNs(run(hono as never), ctx)) / events.length
  const r = ratio(tHono, tTurret)
  return [
    {
      id: 'P7b',
      title: 'router end to end: a 20-route app answering text() through the Lambda adapter (API Gateway v2 events)',
      figures: [
        { label: 'turret router() under httpHandler', value: tTurret, unit: 'ns' },
        { label: "the same routes on Hono under hono's handle()", value: tHono, unit: 'ns' },
      ],
      ratios: [{ label: 'hono / turret', value: r }],
      target: '≥ 2× faster than Hono',
      met: r >= 2,
      note: 'Per event: the mean over one event per route (13 with parameters, one wildcard), each the v2 fixture with its path and method set.',
    },
  ]
}

/** The 10-route Lambda of P3b, on turret and on Hono. */
const bundleRoutes = appRoutes.slice(0, 10)
const bundleEntries: Record<string, string> = {
  turret: `import { router, on, text } from '@turret/http'
import { httpHandler } from '@turret/lambda'
const routes = ${JSON.stringify(bundleRoutes)}
let app = router()
for (const [method, path] of routes) app = app.route(path, on(method, (req, params) => text(method + ' ' + path + ' ' + Object.values(params).join(','))))
export const handler = httpHandler(app)`,
  'turret, new Response()': `import { router, on } from '@turret/http'
import { httpHandler } from '@turret/lambda'
const routes = ${JSON.stringify(bundleRoutes)}
let app = router()
for (const [method, path] of routes) app = app.route(path, on(method, (req, params) => new Response(method + ' ' + path + ' ' + Object.values(params).join(','))))
export const handler = httpHandler(app)`,
  hono: `import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'
const routes = ${JSON.stringify(bundleRoutes)}
const app = new Hono()
for (const [method, path] of routes) app.on(method, path, (c) => c.text(method + ' ' + path + ' ' + Object.values(c.req.param()).join(',')))
export const handler = handle(app)`,
}

export async function p3b(_ctx: BenchContext): Promise<Row[]> {
  const dir = fileURLToPath(new URL('./.tmp/p3b/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  const sizes: Record<string, { bytes: number; gzip: number }> = {}
  for (const [name, source] of Object.entries(bundleEntries)) {
    const { outfile } = await bundleSource(dir, name, source)
    const code = readFileSync(outfile)
    sizes[name] = { bytes: code.length, gzip: gzipSync(code).length }
  }
  const t = sizes.turret as { bytes: number; gzip: number }
  const plain = sizes['turret, new Response()'] as { bytes: number; gzip: number }
  const h = sizes.hono as { bytes: number; gzip: number }
  return [
    {
      id: 'P3b',
      title: 'cold start with routes: a 10-route HTTP Lambda bundled with esbuild --bundle --minify',
      figures: [
        { label: 'turret router() + httpHandler: minified', value: t.bytes, unit: 'bytes' },
        { label: 'turret router() + httpHandler: gzip', value: t.gzip, unit: 'bytes' },
        { label: 'the same, answering new Response() instead of text(): minified', value: plain.bytes, unit: 'bytes' },
        { label: 'the same, answering new Response() instead of text(): gzip', value: plain.gzip, unit: 'bytes' },
        { label: "Hono + hono's handle(): minified", value: h.bytes, unit: 'bytes' },
        { label: "Hono + hono's handle(): gzip", value: h.gzip, unit: 'bytes' },
      ],
      ratios: [
        { label: 'hono / turret (minified bytes)', value: ratio(h.bytes, t.bytes) },
        { label: 'hono / turret with new Response() (minified bytes)', value: ratio(h.bytes, plain.bytes) },
      ],
      target: 'turret’s bundle smaller than Hono’s',
      met: t.bytes < h.bytes,
    },
  ]
}

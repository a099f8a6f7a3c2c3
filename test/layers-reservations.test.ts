/**
 * Every layer of @turret/http, @turret/lambda, @turret/fp and @turret/otel, put over `concurrencyLimit(1)`:
 * after each of its paths (answered here, rejected or thrown here, the inner service failing) a
 * valid request is still served, and a `ready(signal)` wait aborted by the caller gives its place
 * back (issue #17: a layer that answers without calling its inner service must not leak the
 * reservation its `ready()` made, and must forward the signal).
 *
 * Completeness: every function exported by those packages is listed below, either in `layers`
 * (with its paths) or in `notLayers` (with the reason), so a new export fails this test until it
 * is classified. To add a layer: put it in `layers` under
 * `package.export`, with a path for each way it answers, rejects or throws without calling its
 * inner service; it must extend core's `PassThrough` (checked). A new package with layers
 * is added to `packages` (the exports check and the source scan both use it). The source scan also
 * fails for any class with a `layerName` and an inner service that does not extend `PassThrough`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { concurrencyLimit, oneshot, PassThrough, type Service, serviceFn } from '@turret/core'
import * as fp from '@turret/fp'
import * as http from '@turret/http'
import * as lambda from '@turret/lambda'
import { apigwV2Event, lambdaEvent, sqsEvent, sqsRecord } from '@turret/lambda/testing'
import * as otel from '@turret/otel'
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installSdk, type TestSdk } from '../packages/otel/test/sdk'

const repo = fileURLToPath(new URL('..', import.meta.url))

// biome-ignore lint/suspicious/noExplicitAny: the table mixes layers of every request and response type
type AnyService = Service<any, any>

/** What the inner service does for one request. */
type Backend = 'ok' | 'reject' | 'throw'

/** One way through a layer: the request, and what the inner service does with it if called. */
interface Path {
  readonly req: () => unknown
  readonly backend?: Backend
}

interface LayerCase {
  /** Builds the layer over `inner`. */
  readonly build: (inner: AnyService) => AnyService
  /** A request the inner service answers (the layer calls it). */
  readonly valid: () => unknown
  /** The inner service's answer to a request. */
  readonly answer: (req: unknown) => unknown
  /** Paths to drive: answered, rejected or thrown by the layer, or the inner service failing. */
  readonly paths: Readonly<Record<string, Path>>
  /** Not a PassThrough (with why): skips the PassThrough and the aborted-wait checks. */
  readonly notPassThrough?: string
}

// ---- HTTP ----------------------------------------------------------------------------------

const get = (path = '/', headers: Record<string, string> = {}) => new Request(`http://app.test${path}`, { headers })
const ok = () => new Response('ok')
/** The inner service's answer: 200 `ok`, or for `/redirect` a 302 to `/`. */
const httpAnswer = (req: unknown) =>
  new URL((req as Request).url).pathname === '/redirect'
    ? new Response(null, { status: 302, headers: { location: '/' } })
    : ok()
/** A case for an HTTP layer: a GET to `/` is valid, and the inner service failing is a path. */
function httpLayer(
  build: (inner: http.HttpService) => AnyService,
  paths: Record<string, Path> = {},
  valid: () => Request = () => get(),
): LayerCase {
  return {
    build: build as (inner: AnyService) => AnyService,
    valid,
    answer: httpAnswer,
    paths: {
      innerRejects: { req: () => get(), backend: 'reject' },
      innerThrows: { req: () => get(), backend: 'throw' },
      ...paths,
    },
  }
}
/** The `x-path` header drives a hook: `throw` throws, `reject` rejects, else the hook's value. */
function steer<T>(req: Request, value: () => T): T {
  const path = req.headers.get('x-path')
  if (path === 'throw') throw new Error('thrown by the layer')
  if (path === 'reject') return Promise.reject(new Error('rejected by the layer')) as T
  return value()
}
/** A hook of the request, steered by `x-path`. */
const hook =
  <T>(value: (req: Request) => T) =>
  (req: Request): T =>
    steer(req, () => value(req))
const throwing = { req: () => get('/', { 'x-path': 'throw', origin: 'https://a.test' }) }
const rejecting = { req: () => get('/', { 'x-path': 'reject', origin: 'https://a.test' }) }
const key = http.key<string>('test')

// ---- Lambda --------------------------------------------------------------------------------

const context = () => lambdaEvent(null).context
const httpEvent = () => ({ payload: apigwV2Event({ path: '/' }), context: context() })
const badHttpEvent = () => ({ payload: { not: 'an http event' }, context: context() })
const invocation = (body: string, headers: Record<string, string> = {}) => ({
  status: 200,
  headers: {
    'lambda-runtime-aws-request-id': 'req-1',
    'lambda-runtime-deadline-ms': String(Date.now() + 60_000),
    'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:f',
    ...headers,
  },
  body: new TextEncoder().encode(body),
})
const eventBridgeEvent = (detailType: string) => ({
  payload: { 'detail-type': detailType, source: 'test', detail: { n: 1 } },
  context: context(),
})
const sqs = () => ({ payload: sqsEvent([sqsRecord({ n: 1 })]), context: context() })
function batchLayer(build: (inner: AnyService) => AnyService, valid: () => unknown): LayerCase {
  return {
    build,
    valid,
    answer: () => undefined,
    paths: {
      layerRejects: { req: () => ({ payload: { Records: 'nope' }, context: context() }) },
      innerRejects: { req: valid, backend: 'reject' },
    },
    notPassThrough: 'a batch service is always ready and awaits each record with oneshot',
  }
}
const kinesis = () => ({
  payload: {
    Records: [
      {
        eventSource: 'aws:kinesis',
        eventID: 'e1',
        kinesis: { sequenceNumber: '1', data: Buffer.from('{}').toString('base64'), partitionKey: 'p' },
      },
    ],
  },
  context: context(),
})
const dynamodb = () => ({
  payload: {
    Records: [{ eventSource: 'aws:dynamodb', eventID: 'e1', dynamodb: { SequenceNumber: '1', Keys: {} } }],
  },
  context: context(),
})

// ---- fp ------------------------------------------------------------------------------------

function eitherLayer(build: (inner: AnyService) => AnyService, answer: (req: unknown) => unknown): LayerCase {
  return { build, valid: () => 'req', answer, paths: { innerRejects: { req: () => 'req', backend: 'reject' } } }
}

// ---- otel ----------------------------------------------------------------------------------

// The otel layers call the inner service directly while no SDK is registered: register one so
// their own paths (spans, hooks) run.
let sdk: TestSdk | undefined
beforeAll(() => {
  sdk = installSdk()
})
afterAll(async () => {
  await sdk?.uninstall()
})
/** A hook returning nothing, steered by `x-path` (`throw` throws; no `reject`: the layer ignores its result). */
const voidHook = (_span: unknown, req: Request): void => steer(req, () => undefined)
/** A Lambda event whose payload is `kind`. */
const otelEvent = (kind = 'ok') => ({ payload: { kind }, context: context() })

// ---- The table -----------------------------------------------------------------------------

/** Every exported layer, keyed `package.export` (`.variant` for several configurations of one export). */
const layers: Record<string, LayerCase> = {
  'http.addExtension': httpLayer((inner) => http.addExtension(key, 'v')(inner)),
  'http.addAuthorization': httpLayer((inner) => http.addAuthorization('Bearer t')(inner)),
  'http.requireAuthorization': httpLayer(
    (inner) =>
      http.requireAuthorization(
        hook((req) => (req.headers.get('x-path') === 'deny' ? new Response(null, { status: 401 }) : req)),
      )(inner),
    { answers401: { req: () => get('/', { 'x-path': 'deny' }) }, throws: throwing, rejects: rejecting },
  ),
  'http.requireAuthorization.bearerAuth': httpLayer(
    (inner) => http.requireAuthorization(http.bearerAuth('t'))(inner),
    {
      answers401: { req: () => get('/', { authorization: 'Bearer wrong' }) },
    },
    () => get('/', { authorization: 'Bearer t' }),
  ),
  'http.catchPanic': httpLayer((inner) => http.catchPanic()(inner)),
  'http.compression': httpLayer((inner) => http.compression()(inner), {
    compressed: { req: () => get('/', { 'accept-encoding': 'gzip' }) },
  }),
  'http.cors': httpLayer(
    (inner) => http.cors({ allowOrigin: (_origin, req) => steer(req, () => true), allowMethods: 'GET' })(inner),
    {
      preflight: {
        req: () => new Request('http://app.test/', { method: 'OPTIONS', headers: { origin: 'https://a.test' } }),
      },
      originPredicateThrows: throwing,
      originPredicateRejects: rejecting,
    },
  ),
  'http.cors.permissive': httpLayer((inner) => http.cors.permissive()(inner)),
  'http.decompression': httpLayer((inner) => http.decompression()(inner), {
    answers415: {
      req: () =>
        new Request('http://app.test/', { method: 'POST', body: 'x', headers: { 'content-encoding': 'rot13' } }),
    },
  }),
  'http.decompressResponse': httpLayer((inner) => http.decompressResponse()(inner)),
  'http.followRedirect': httpLayer((inner) => http.followRedirect()(inner), {
    follows: { req: () => get('/redirect') },
  }),
  'http.inFlightRequests': httpLayer((inner) => http.inFlightRequests(new http.InFlightRequestsCounter())(inner)),
  'http.mapRequestBody': httpLayer((inner) => http.mapRequestBody((body, req) => steer(req, () => body))(inner), {
    throws: throwing,
  }),
  'http.mapResponseBody': httpLayer((inner) => http.mapResponseBody((body) => body)(inner)),
  'http.normalizePath': httpLayer((inner) => http.normalizePath('trim')(inner), {
    rewrites: { req: () => get('/a/') },
  }),
  'http.propagateHeader': httpLayer((inner) => http.propagateHeader('x-id')(inner)),
  'http.requestBodyLimit': httpLayer((inner) => http.requestBodyLimit(4)(inner), {
    answers413: { req: () => new Request('http://app.test/', { method: 'POST', body: 'too long a body' }) },
  }),
  'http.propagateRequestId': httpLayer((inner) => http.propagateRequestId()(inner)),
  'http.setRequestId': httpLayer((inner) => http.setRequestId({ makeRequestId: hook(() => 'id') })(inner), {
    makeIdThrows: throwing,
  }),
  'http.sensitiveHeaders': httpLayer((inner) => http.sensitiveHeaders(['authorization'])(inner)),
  'http.sensitiveRequestHeaders': httpLayer((inner) => http.sensitiveRequestHeaders(['authorization'])(inner)),
  'http.sensitiveResponseHeaders': httpLayer((inner) => http.sensitiveResponseHeaders(['set-cookie'])(inner)),
  'http.setRequestHeader': httpLayer(
    (inner) =>
      http.setRequestHeader(
        'x-a',
        hook(() => 'a'),
      )(inner),
    { throws: throwing },
  ),
  'http.setResponseHeader': httpLayer((inner) => http.setResponseHeader('x-a', 'a')(inner)),
  'http.setStatus': httpLayer((inner) => http.setStatus(201)(inner)),
  'http.requestTimeout': httpLayer((inner) => http.requestTimeout(60_000)(inner)),
  'http.trace': httpLayer((inner) => http.trace()(inner)),
  'http.validateRequest': httpLayer(
    (inner) =>
      http.validateRequest(
        hook((req) => (req.headers.get('x-path') === 'deny' ? new Response(null, { status: 403 }) : undefined)),
      )(inner),
    { answers403: { req: () => get('/', { 'x-path': 'deny' }) }, throws: throwing, rejects: rejecting },
  ),
  'http.validateRequest.acceptHeader': httpLayer(
    (inner) => http.validateRequest(http.acceptHeader('application/json'))(inner),
    {
      answers406: { req: () => get('/', { accept: 'text/html' }) },
    },
  ),

  'lambda.httpAdapter': {
    build: (inner) => lambda.httpAdapter()(inner),
    valid: httpEvent,
    answer: httpAnswer,
    paths: { answers400: { req: badHttpEvent }, innerRejects: { req: httpEvent, backend: 'reject' } },
  },
  'lambda.httpStreamAdapter': {
    build: (inner) => lambda.httpStreamAdapter()(inner),
    valid: httpEvent,
    answer: httpAnswer,
    paths: { answers400: { req: badHttpEvent }, innerRejects: { req: httpEvent, backend: 'reject' } },
  },
  'lambda.panicToFunctionError': {
    build: (inner) => lambda.panicToFunctionError()(inner),
    valid: () => 'event',
    answer: () => 'result',
    paths: {
      innerRejects: { req: () => 'event', backend: 'reject' },
      innerThrows: { req: () => 'event', backend: 'throw' },
    },
  },
  'lambda.postToRuntimeApi': {
    build: (inner) =>
      lambda.postToRuntimeApi(serviceFn(() => ({ status: 202, headers: {}, body: new Uint8Array() })))(inner),
    valid: () => invocation('{}'),
    answer: () => ({
      method: 'POST',
      path: '/2018-06-01/runtime/invocation/req-1/response',
      headers: {},
      body: '{}',
      requestId: 'req-1',
    }),
    paths: { innerRejects: { req: () => invocation('{}'), backend: 'reject' } },
  },
  'lambda.toRuntimeApiRequest': {
    build: (inner) => lambda.toRuntimeApiRequest()(inner),
    valid: () => invocation('{}'),
    answer: () => ({ ok: true }),
    paths: {
      answersUnmarshalError: { req: () => invocation('{not json') },
      rejectsWithoutRequestId: { req: () => ({ ...invocation('{}'), headers: {} }) },
      innerRejects: { req: () => invocation('{}'), backend: 'reject' },
    },
  },
  'lambda.eventBridge': {
    build: (inner) => lambda.eventBridge(inner, { detailTypes: ['Good'] }),
    valid: () => eventBridgeEvent('Good'),
    answer: () => 'done',
    paths: {
      rejectsDetailType: { req: () => eventBridgeEvent('Bad') },
      innerRejects: { req: () => eventBridgeEvent('Good'), backend: 'reject' },
    },
  },
  'lambda.sqsBatch': batchLayer((inner) => lambda.sqsBatch(inner), sqs),
  'lambda.kinesisBatch': batchLayer((inner) => lambda.kinesisBatch(inner), kinesis),
  'lambda.dynamodbBatch': batchLayer((inner) => lambda.dynamodbBatch(inner), dynamodb),

  'fp.liftEither': eitherLayer(
    (inner) => fp.liftEither(inner),
    () => 1,
  ),
  'fp.unliftEither': eitherLayer(
    (inner) => fp.unliftEither(inner),
    () => E.right(1),
  ),
  'fp.mapLeft': eitherLayer(
    (inner) => fp.mapLeft(String)(inner),
    () => E.left(1),
  ),
  'fp.mapRight': eitherLayer(
    (inner) => fp.mapRight(String)(inner),
    () => E.right(1),
  ),
  'fp.orElse': eitherLayer(
    (inner) => fp.orElse(() => TE.right(2))(inner),
    () => E.left(1),
  ),

  'otel.otelHttp': httpLayer((inner) => otel.otelHttp({ requestHook: voidHook })(inner), {
    requestHookThrows: throwing,
  }),
  'otel.otelClient': httpLayer((inner) => otel.otelClient({ requestHook: voidHook })(inner), {
    requestHookThrows: throwing,
  }),
  'otel.otelLambda': {
    build: (inner) =>
      otel.otelLambda<{ kind: string }>({
        flush: false,
        spanName: (event) => {
          if (event.kind === 'throw') throw new Error('thrown by spanName')
          return 'fn'
        },
      })(inner),
    valid: () => otelEvent(),
    answer: () => 'done',
    paths: {
      spanNameThrows: { req: () => otelEvent('throw') },
      innerRejects: { req: () => otelEvent(), backend: 'reject' },
      innerThrows: { req: () => otelEvent(), backend: 'throw' },
    },
  },
}

const classOfALayer = 'the class of services one of the layers above builds'
const entryPoint = 'an entry point: runs a service with oneshot, not a layer'
const leaf = 'builds a service from a function or a value: no inner service'
const helper = 'a helper function or value, not a layer'
const error = 'an error class'

/** Every other exported function, with what it is. */
const notLayers: Record<string, string> = {
  ...Object.fromEntries(
    [
      'http.basicAuth',
      'http.basicCredentials',
      'http.bearerAuth',
      'http.formatFailure',
      'http.serverErrorsAsFailures',
      'http.statusInRange',
      'http.allOf',
      'http.defaultPredicate',
      'http.notForContentType',
      'http.sizeAbove',
      'http.copyExtensions',
      'http.Extensions',
      'http.extensions',
      'http.key',
      'http.shareExtensions',
      'http.withRequest',
      'http.finalUrl',
      'http.InFlightRequestsCounter',
      'http.appendTrailingSlash',
      'http.trimTrailingSlash',
      'http.makeRequestUuid',
      'http.html',
      'http.json',
      'http.text',
      'http.isSensitiveHeader',
      'http.redactHeaders',
      'http.acceptHeader',
      'http.hasHeaderValue',
      'lambda.fromAwsContext',
      'lambda.functionEnvironment',
      'lambda.InvocationContext',
      'lambda.toAwsContext',
      'lambda.dynamodbImages',
      'lambda.unmarshall',
      'lambda.unmarshallValue',
      'lambda.decodeS3Key',
      'lambda.eventBridgeDetail',
      'lambda.kinesisData',
      'lambda.kinesisJson',
      'lambda.kinesisText',
      'lambda.s3Object',
      'lambda.s3Objects',
      'lambda.snsFromSqs',
      'lambda.snsMessage',
      'lambda.snsMessages',
      'lambda.eventSource',
      'lambda.lambdaContext',
      'lambda.lambdaHttpEvent',
      'lambda.lambdaHttpInfo',
      'lambda.pathParameters',
      'lambda.requestContext',
      'lambda.sourceIp',
      'lambda.stageVariables',
      'lambda.isStreamingResponse',
      'lambda.streamingResponse',
      'fp.retryWhen',
      'fp.retryWhenLeft',
      'http.get',
      'http.post',
      'http.put',
      'http.patch',
      'http.del',
      'http.head',
      'http.options',
      'http.on',
      'http.any',
      'http.pathParams',
      'http.originalUrl',
      'http.MethodRouter',
      'otel.currentSpan',
    ].map((name) => [name, helper]),
  ),
  ...Object.fromEntries(
    [
      'http.Compression',
      'http.Cors',
      'http.RequestDecompression',
      'http.ResponseDecompression',
      'http.FollowRedirect',
    ].map((name) => [name, classOfALayer]),
  ),
  ...Object.fromEntries(
    [
      'http.CorsConfigError',
      'http.ContentDecodingError',
      'http.RedirectStatusError',
      'http.LengthLimitError',
      'lambda.DeadlineExceededError',
      'lambda.BatchFailedError',
      'lambda.InvalidEventError',
      'lambda.RuntimeApiError',
      'lambda.FunctionError',
      'http.InvalidRouteError',
      'http.RouteConflictError',
    ].map((name) => [name, error]),
  ),
  ...Object.fromEntries(
    [
      'http.fromFetch',
      'http.Redirect',
      'http.ServeDir',
      'http.serveDir',
      'http.serveFile',
      'lambda.fromHandler',
      'lambda.RuntimeApiClient',
      'lambda.runtimeApiClient',
      'fp.fromTaskEither',
    ].map((name) => [name, leaf]),
  ),
  ...Object.fromEntries(
    [
      'http.toFetch',
      'http.serve',
      'lambda.lambdaHandler',
      'lambda.httpHandler',
      'lambda.runHttp',
      'lambda.streamHttpHandler',
      'lambda.run',
      'fp.toTaskEither',
    ].map((name) => [name, entryPoint]),
  ),
  'http.router':
    'builds a router from routes: always ready, each route runs with oneshot (its nest() wrapper is checked by the scan)',
  'http.Router': 'the class router() builds',
  'otel.observeCore': 'registers the core observer hook, not a layer',
  'lambda.runtimeStack': 'composes postToRuntimeApi, toRuntimeApiRequest and panicToFunctionError, each a layer above',
}

const packages = { http, lambda, fp, otel } as const

function exportedFunctions(): string[] {
  const names: string[] = []
  for (const [pkg, mod] of Object.entries(packages)) {
    for (const [name, value] of Object.entries(mod)) if (typeof value === 'function') names.push(`${pkg}.${name}`)
  }
  return names.sort()
}

// ---- The harness ---------------------------------------------------------------------------

/** The inner service: answers with `answer`, or rejects or throws as the path says; `gate` holds calls. */
function backend(c: LayerCase, mode: () => Backend, gate?: () => Promise<void> | undefined): AnyService {
  return {
    ready: () => undefined,
    call(req: unknown) {
      const m = mode()
      if (m === 'throw') throw new Error('inner service threw')
      if (m === 'reject') return Promise.reject(new Error('inner service rejected'))
      const held = gate?.()
      if (held) return held.then(() => c.answer(req))
      return Promise.resolve(c.answer(req))
    },
  }
}

/** `'ready'` once `svc` is ready, `'stuck'` if it is not after some turns of the event loop (no timer). */
async function readiness(svc: AnyService): Promise<'ready' | 'stuck'> {
  const pending = svc.ready()
  if (pending === undefined) return 'ready'
  let settled = false
  Promise.resolve(pending).then(() => {
    settled = true
  })
  for (let i = 0; i < 50 && !settled; i++) await new Promise((resolve) => setImmediate(resolve))
  return settled ? 'ready' : 'stuck'
}

/** Settles `promise` either way; the result's kind is not the point here. */
async function drain(result: unknown): Promise<void> {
  if (result instanceof Response) await result.body?.cancel()
  const body = (result as { body?: unknown } | null)?.body
  if (body !== undefined && typeof (body as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function') {
    for await (const _ of body as AsyncIterable<unknown>) {
      // read to the end
    }
  }
}

describe('every exported layer keeps reservations and forwards ready(signal)', () => {
  it('classifies every exported function of http, lambda, fp and otel (add a new layer to `layers`)', () => {
    const listed = new Set([
      ...Object.keys(layers).map((k) => k.split('.').slice(0, 2).join('.')),
      ...Object.keys(notLayers),
    ])
    const missing = exportedFunctions().filter((name) => !listed.has(name))
    expect(missing, 'exported functions that are neither in `layers` nor in `notLayers`').toEqual([])
    const stale = [...listed].filter((name) => !exportedFunctions().includes(name))
    expect(stale, 'names in the table that are no longer exported').toEqual([])
  })

  it('every class with a layerName and an inner service in http, lambda, fp and otel extends PassThrough', () => {
    const offenders: string[] = []
    for (const pkg of Object.keys(packages)) {
      const walk = (dir: string): void => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name)
          if (statSync(path).isDirectory()) walk(path)
          else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !path.includes('/testing/')) {
            const source = readFileSync(path, 'utf8')
            for (const m of source.matchAll(/class (\w+)[^{]*\{([\s\S]*?)\n\}/g)) {
              const [whole, cls, body] = m as unknown as [string, string, string]
              if (!/layerName/.test(body) || !/\binner(: |\))/.test(body)) continue // leaf services have no inner service
              if (/extends PassThrough\b/.test(whole) || cls === 'BatchService') continue
              offenders.push(`${path.slice(repo.length)}: ${cls}`)
            }
          }
        }
      }
      walk(join(repo, 'packages', pkg, 'src'))
    }
    expect(offenders, 'layers that do not extend PassThrough from @turret/core').toEqual([])
  })

  for (const [name, c] of Object.entries(layers)) {
    describe(name, () => {
      it.runIf(c.notPassThrough === undefined)('is a PassThrough', () => {
        expect(c.build(serviceFn(() => undefined))).toBeInstanceOf(PassThrough)
      })

      for (const [pathName, path] of Object.entries(c.paths)) {
        it(`${pathName}: then a valid request is still served over concurrencyLimit(1)`, async () => {
          let mode: Backend = path.backend ?? 'ok'
          const svc = c.build(concurrencyLimit(1)(backend(c, () => mode)))
          await oneshot(svc, path.req()).then(drain, () => {})
          mode = 'ok'
          expect(await readiness(svc), 'the inner reservation leaked').toBe('ready')
          const res = await svc.call(c.valid())
          await drain(res)
        })
      }

      it.runIf(c.notPassThrough === undefined)('an aborted ready(signal) wait gives its place back', async () => {
        let open!: () => void
        let entered!: () => void
        const inside = new Promise<void>((resolve) => (entered = resolve))
        let holding = true
        const gate = () => {
          if (!holding) return undefined
          holding = false // only the first call is held
          entered()
          return new Promise<void>((resolve) => (open = resolve))
        }
        const svc = c.build(concurrencyLimit(1)(backend(c, () => 'ok', gate)))
        const first = oneshot(svc, c.valid())
        await inside
        const ac = new AbortController()
        const waiting = svc.ready(ac.signal)
        expect(waiting, 'ready() should wait while the only permit is in use').toBeDefined()
        let outcome = 'pending'
        Promise.resolve(waiting).then(
          () => (outcome = 'resolved'),
          () => (outcome = 'rejected'),
        )
        ac.abort(new Error('the client left'))
        for (let i = 0; i < 20 && outcome === 'pending'; i++) await new Promise((resolve) => setImmediate(resolve))
        expect(outcome, 'the abort did not reach the inner wait: ready(signal) was not forwarded').toBe('rejected')
        open()
        await drain(await first)
        expect(await readiness(svc), 'the aborted wait kept its place').toBe('ready')
        await drain(await svc.call(c.valid()))
      })
    })
  }
})

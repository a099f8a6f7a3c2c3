/**
 * R1 fuzzing: fast-check generates Lambda HTTP events of every source (REST v1, HTTP API v2, Function
 * URL, ALB, WebSocket) from the event factories, then mutates them — dropped fields, wrong types,
 * random and hostile strings, invalid base64, bad header names and values, huge and odd paths,
 * `__proto__` keys — and feeds them to `httpHandler(service)(event, context)`. No throw escapes,
 * every result is well formed for its source, and it carries the service's answer or a 4xx.
 */
import { Buffer } from 'node:buffer'
import { serviceFn } from '@turret/core'
import { type HttpEventSource, httpHandler, type LambdaHttpResult, toAwsContext } from '@turret/lambda'
import { detectSource } from '@turret/lambda/internal'
import {
  albEvent,
  apigwV1Event,
  apigwV2Event,
  functionUrlEvent,
  type HttpEventInit,
  mockContext,
  websocketEvent,
} from '@turret/lambda/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

// ---------------------------------------------------------------------------------------------
// The service: reads every part of the request (a broken Request would throw here, and that
// throw would escape the adapter), then answers one of a rotating set of responses.
// ---------------------------------------------------------------------------------------------

interface Answer {
  readonly status: number
  readonly body: Uint8Array
  readonly cookies: number
}

const ANSWERS: (() => { res: Response; answer: Answer })[] = [
  () => text(200, 'hello'),
  () => {
    const body = JSON.stringify({ ok: true, unicode: 'ünïcødé ✓' })
    const headers = new Headers({ 'content-type': 'application/json' })
    headers.append('set-cookie', 'a=1; Path=/')
    headers.append('set-cookie', 'b=2; HttpOnly')
    return { res: new Response(body, { status: 201, headers }), answer: answer(201, body, 2) }
  },
  () => ({ res: new Response(null, { status: 204 }), answer: answer(204, '') }),
  () => ({ res: new Response(null, { status: 304 }), answer: answer(304, '') }),
  () => text(404, '<h1>not found</h1>', 'text/html'),
  () => {
    const bytes = new Uint8Array([0, 1, 2, 0xff, 0xfe, 0x80, 10, 13])
    const res = new Response(bytes, { status: 500, headers: { 'content-type': 'application/octet-stream' } })
    return { res, answer: { status: 500, body: bytes, cookies: 0 } }
  },
  () => {
    const res = new Response('teapot', { status: 418, statusText: 'Short And Stout' })
    return { res, answer: answer(418, 'teapot') }
  },
  () => text(599, 'odd status'),
  () => {
    const bytes = new Uint8Array(3000).map((_, i) => (i * 7) & 0xff)
    const res = new Response(bytes, { status: 200, headers: { 'content-encoding': 'gzip', 'x-weird': 'ok' } })
    return { res, answer: { status: 200, body: bytes, cookies: 0 } }
  },
]

function answer(status: number, body: string, cookies = 0): Answer {
  return { status, body: new TextEncoder().encode(body), cookies }
}

function text(status: number, body: string, type = 'text/plain; charset=utf-8') {
  return { res: new Response(body, { status, headers: { 'content-type': type } }), answer: answer(status, body) }
}

let turn = 0
let last: Answer | undefined
let method = ''

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

const service = serviceFn(async (req: Request) => {
  // Every part a real app might touch; a malformed Request throws here, and the throw escapes.
  const url = new URL(req.url)
  void url.searchParams.getAll('q')
  method = req.method
  if (!TOKEN.test(method)) throw new Error(`the service got an invalid method ${JSON.stringify(method)}`)
  for (const [name, value] of req.headers) {
    if (!TOKEN.test(name) || /[\0\r\n]/.test(value)) throw new Error(`the service got a bad header ${name}`)
  }
  void req.clone() // builds the real undici Request (validates method, URL, headers)
  void req.headers.get('host')
  void req.headers.get('cookie')
  void req.headers.getSetCookie()
  void req.signal.aborted
  await req.arrayBuffer()
  const made = (ANSWERS[turn++ % ANSWERS.length] as (typeof ANSWERS)[number])()
  last = made.answer
  return made.res
})

const handle = httpHandler(service)

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const NASTY_STRINGS = [
  '',
  ' ',
  '\t',
  'a\r\nx-injected: yes',
  'nul\u0000byte',
  '\u0000',
  '%',
  '%zz',
  '%c0%ae%c0%ae',
  '\\..\\..\\',
  '//',
  '/../../etc/passwd',
  '/%2e%2e/%2e%2e/',
  '?#',
  'http://evil.test/',
  '//evil.test/x',
  '\u{1F600}',
  '\uD800',
  'ĀāĂ',
  '__proto__',
  'constructor',
  'toString',
  '[object Object]',
  'x'.repeat(70_000),
  '/'.repeat(5_000),
  `/${'a/'.repeat(5_000)}`,
  '====',
  'not base64!',
  'QUJD=',
  'A',
  '-1',
  '1e400',
  'NaN',
]
const nastyString = fc.constantFrom(...NASTY_STRINGS)
const someString = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), nastyString, fc.string({ unit: 'binary' }))

const HEADER_NAMES = [
  'host',
  'Host',
  'HOST',
  'x-forwarded-proto',
  'content-length',
  'Content-Length',
  'transfer-encoding',
  'cookie',
  'set-cookie',
  'content-type',
  'content-encoding',
  'accept',
  '__proto__',
  'constructor',
  '',
  ' ',
  'a b',
  'a:b',
  'ä',
  'x\r\ny',
  'x\u0000',
  '(bad)',
]
const headerName = fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), fc.string())

/** Any JSON-ish value, from harmless to hostile. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  someString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(someString, { maxLength: 3 }),
  fc.array(fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), someString), { maxLength: 3 }),
  fc.dictionary(headerName, someString, { maxKeys: 3 }),
  fc.dictionary(fc.string(), fc.array(someString, { maxLength: 2 }), { maxKeys: 3 }),
  fc.object({ maxDepth: 2 }),
)

const methodArb = fc.oneof(
  fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'get', 'post'),
  fc.stringMatching(/^[A-Z]{1,10}$/),
)
const pathArb = fc.oneof(
  fc.constantFrom('/', '/items', '/items/1', '/a%20b', '/ünï', '/a/b/c/', '/x?y', '/x#y', '/dev/x'),
  fc.webPath(),
  fc.string().map((s) => `/${s}`),
)
const mapArb = fc.dictionary(
  fc.stringMatching(/^[a-zA-Z0-9_-]{1,12}$/),
  fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 3 })),
  { maxKeys: 4 },
)
const headersArb = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
  fc.oneof(
    fc.stringMatching(/^[ -~]{0,30}$/),
    fc.array(fc.stringMatching(/^[ -~]{0,20}$/), { minLength: 1, maxLength: 3 }),
  ),
  { maxKeys: 5 },
)
const initArb: fc.Arbitrary<HttpEventInit> = fc.record(
  {
    method: methodArb,
    path: pathArb,
    query: mapArb,
    headers: headersArb,
    cookies: fc.array(fc.stringMatching(/^[a-z]{1,8}=[a-z0-9]{0,8}$/), { maxLength: 3 }),
    body: fc.oneof(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 })),
    multiValue: fc.boolean(),
    stage: fc.constantFrom('test', 'prod', '$default', 'dev'),
  },
  { requiredKeys: [] },
)

type Source = 'v1' | 'v2' | 'url' | 'alb' | 'ws'
const FACTORIES: Record<Source, (init: HttpEventInit) => unknown> = {
  v1: apigwV1Event,
  v2: apigwV2Event,
  url: functionUrlEvent,
  alb: albEvent,
  ws: (init) =>
    websocketEvent({
      ...init,
      eventType: (['CONNECT', 'MESSAGE', 'DISCONNECT'] as const)[(init.path?.length ?? 0) % 3],
    }),
}

type Mutation =
  | { readonly op: 'delete'; readonly at: number }
  | { readonly op: 'set'; readonly at: number; readonly value: unknown }
  | { readonly op: 'add'; readonly at: number; readonly name: string; readonly value: unknown }
  | { readonly op: 'base64'; readonly body: string }
  | { readonly op: 'path'; readonly value: string }
  | { readonly op: 'proto'; readonly at: number; readonly value: unknown }

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: anyValue }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), name: headerName, value: anyValue }),
  fc.record({ op: fc.constant('base64' as const), body: someString }),
  fc.record({ op: fc.constant('path' as const), value: someString }),
  fc.record({ op: fc.constant('proto' as const), at: fc.nat(), value: anyValue }),
)

type Json = Record<string, unknown>

/** Every path to a value inside the event (objects and arrays), root excluded. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  if (typeof value !== 'object' || value === null) return out
  for (const key of Object.keys(value)) {
    const p = [...prefix, Array.isArray(value) ? Number(key) : key]
    out.push(p)
    paths((value as Json)[key], p, out)
  }
  return out
}

/** Every object (not array) inside the event, root included: where keys can be added. */
function containers(value: unknown, out: Json[] = []): Json[] {
  if (typeof value !== 'object' || value === null) return out
  if (!Array.isArray(value)) out.push(value as Json)
  for (const v of Object.values(value)) containers(v, out)
  return out
}

function parentOf(root: Json, path: (string | number)[]): [Json, string | number] | undefined {
  let node: unknown = root
  for (const k of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Json)[k as string]
  }
  if (typeof node !== 'object' || node === null) return undefined
  return [node as Json, path[path.length - 1] as string | number]
}

/** Applies mutations to a deep copy (JSON round trip, as Lambda delivers events). */
function mutate(event: unknown, mutations: readonly Mutation[]): unknown {
  const root = JSON.parse(JSON.stringify(event)) as Json
  for (const m of mutations) {
    if (m.op === 'base64') {
      root.isBase64Encoded = true
      root.body = m.body
      continue
    }
    if (m.op === 'path') {
      if ('rawPath' in root) root.rawPath = m.value
      else root.path = m.value
      continue
    }
    if (m.op === 'add' || m.op === 'proto') {
      const all = containers(root)
      const target = all[m.at % all.length] as Json
      // An own "__proto__" key, as JSON.parse makes it: defineProperty, not the prototype setter.
      const name = m.op === 'proto' ? '__proto__' : m.name
      Object.defineProperty(target, name, { value: m.value, enumerable: true, writable: true, configurable: true })
      continue
    }
    const all = paths(root)
    if (all.length === 0) continue
    const found = parentOf(root, all[m.at % all.length] as (string | number)[])
    if (!found) continue
    const [parent, key] = found
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1)
      else delete parent[key as string]
    } else parent[key as string] = m.value
  }
  return root
}

// ---------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------

const isStringMap = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
const isStringListMap = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => Array.isArray(x) && x.every((y) => typeof y === 'string'))

/** Checks one result; returns a description of what is wrong, or undefined. */
function malformed(
  result: unknown,
  source: HttpEventSource | undefined,
  answered: Answer | undefined,
): string | undefined {
  if (typeof result !== 'object' || result === null) return 'not an object'
  const r = result as Json
  if (JSON.stringify(JSON.parse(JSON.stringify(r))) !== JSON.stringify(r)) return 'not plain JSON'
  const status = r.statusCode
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599)
    return `statusCode ${status}`
  if (typeof r.body !== 'string') return 'body is not a string'
  if (typeof r.isBase64Encoded !== 'boolean') return 'isBase64Encoded is not a boolean'
  if (r.headers !== undefined && !isStringMap(r.headers)) return 'headers is not a string map'
  if (r.multiValueHeaders !== undefined && !isStringListMap(r.multiValueHeaders)) return 'bad multiValueHeaders'
  if (r.cookies !== undefined && !(Array.isArray(r.cookies) && r.cookies.every((c) => typeof c === 'string')))
    return 'bad cookies'
  if (r.headers === undefined && r.multiValueHeaders === undefined) return 'no headers at all'
  if (source === 'apigw-v2' || source === 'function-url') {
    if (r.multiValueHeaders !== undefined) return 'v2 result with multiValueHeaders'
    if (r.statusDescription !== undefined) return 'v2 result with statusDescription'
  } else if (r.cookies !== undefined) return `${source} result with cookies`
  if (source === 'alb') {
    if (typeof r.statusDescription !== 'string' || !r.statusDescription.startsWith(String(status)))
      return `ALB statusDescription ${String(r.statusDescription)}`
  }
  if (answered === undefined) {
    if (status < 400 || status > 499) return `service not called, yet status ${status}`
    return undefined
  }
  if (status !== answered.status) return `service answered ${answered.status}, result says ${status}`
  if (method !== 'HEAD') {
    const bytes = r.isBase64Encoded ? Buffer.from(r.body as string, 'base64') : Buffer.from(r.body as string, 'utf8')
    if (!bytes.equals(Buffer.from(answered.body))) return 'body differs from the service answer'
  }
  return undefined
}

const context = toAwsContext(mockContext())

async function check(event: unknown): Promise<void> {
  last = undefined
  method = ''
  const source = detectSource(event)
  let result: LambdaHttpResult
  try {
    result = await handle(event as Parameters<typeof handle>[0], context)
  } catch (error) {
    throw new Error(`a throw escaped the adapter (source ${source}): ${String(error)}`)
  }
  const problem = malformed(result, source, last)
  if (problem !== undefined)
    throw new Error(`malformed ${source} result: ${problem}: ${JSON.stringify(result).slice(0, 300)}`)
}

const RUNS_PER_SOURCE = 2_000

describe('R1 fuzzing the Lambda HTTP adapter with malformed and mutated events', () => {
  let total = 0
  for (const source of Object.keys(FACTORIES) as Source[]) {
    it(`${source}: ${RUNS_PER_SOURCE} mutated events — no throw escapes, every result well formed`, async () => {
      await fc.assert(
        fc.asyncProperty(initArb, fc.array(mutationArb, { minLength: 0, maxLength: 4 }), async (init, mutations) => {
          total++
          await check(mutate(FACTORIES[source](init), mutations))
        }),
        { numRuns: RUNS_PER_SOURCE, seed: 0x7a11e7 + source.length },
      )
    }, 120_000)
  }

  it('arbitrary values as events (not even objects, or objects of anything) — 1,000 cases', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyValue, fc.anything(), fc.object({ maxDepth: 3 })), async (event) => {
        total++
        await check(event)
      }),
      { numRuns: 1_000, seed: 0xbad },
    )
  }, 60_000)

  it('ran at least 10,000 cases and polluted no prototype', () => {
    expect(total).toBeGreaterThanOrEqual(10_000)
    expect(({} as Json).polluted).toBeUndefined()
    expect(Object.keys(Object.prototype)).toEqual([])
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  })
})

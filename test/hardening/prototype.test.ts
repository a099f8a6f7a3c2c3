/**
 * R4 security: `__proto__`, `constructor` and other Object.prototype names as query keys, header
 * names, map keys and methods — in Lambda HTTP events through the adapter, and in real requests
 * through the dev server (which builds events from them). No prototype is polluted, and the values
 * arrive as ordinary parameters.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serviceFn } from '@turret/core'
import { type DevEventSource, type DevServer, dev } from '@turret/dev'
import { httpHandler, type LambdaHttpResult, pathParameters, stageVariables, toAwsContext } from '@turret/lambda'
import { mockContext, resultToResponse } from '@turret/lambda/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { dechunk, rawGet } from './helpers'

type Json = Record<string, unknown>

/** An own property, read without touching the `__proto__` accessor. */
function own(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? Object.getOwnPropertyDescriptor(value, name)?.value : undefined
}

function expectNoPollution(): void {
  expect(({} as Json).x).toBeUndefined()
  expect(({} as Json).polluted).toBeUndefined()
  expect(Object.keys(Object.prototype)).toEqual([])
  expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  expect(typeof ({} as Json).constructor).toBe('function')
}

afterEach(expectNoPollution)

interface Seen {
  method: string
  query: [string, string][]
  headers: [string, string][]
  pathParameters: Readonly<Record<string, string | undefined>>
  stageVariables: Readonly<Record<string, string | undefined>>
}

let seen: Seen | undefined
const echo = httpHandler(
  serviceFn((req: Request) => {
    seen = {
      method: req.method,
      query: [...new URL(req.url).searchParams],
      headers: [...req.headers],
      pathParameters: pathParameters(req),
      stageVariables: stageVariables(req),
    }
    const headers = new Headers({ 'content-type': 'text/plain' })
    headers.set('__proto__', 'response-proto')
    headers.set('constructor', 'response-constructor')
    return new Response('ok', { headers })
  }),
)

/** Events as Lambda delivers them: parsed from JSON, so `"__proto__"` is an own key. */
function parse(json: string): never {
  return JSON.parse(json) as never
}

const context = toAwsContext(mockContext())

async function call(event: unknown): Promise<{ result: LambdaHttpResult; seen: Seen }> {
  seen = undefined
  const result = await echo(event as never, context)
  expect(result.statusCode, JSON.stringify(result).slice(0, 300)).toBe(200)
  expect(seen).toBeDefined()
  return { result, seen: seen as unknown as Seen }
}

const PROTO_QUERY = [
  ['__proto__', 'x'],
  ['constructor', 'y'],
]

describe('R4 __proto__ keys in Lambda HTTP events (httpAdapter)', () => {
  it('REST v1: multi-value and single query maps with __proto__/constructor keys arrive as ordinary params', async () => {
    const event = parse(`{
      "resource": "/{proxy+}", "path": "/items", "httpMethod": "GET",
      "headers": {"Host": "api.example.com", "__proto__": "hp", "constructor": "hc"},
      "multiValueHeaders": {"Host": ["api.example.com"], "__proto__": ["hp", "hp2"], "constructor": ["hc"]},
      "queryStringParameters": {"__proto__": "x", "constructor": "y"},
      "multiValueQueryStringParameters": {"__proto__": ["x", "x2"], "constructor": ["y"]},
      "pathParameters": {"__proto__": "pp", "proxy": "items"},
      "stageVariables": {"__proto__": {"polluted": "yes"}, "constructor": "sv"},
      "requestContext": {"stage": "prod", "httpMethod": "GET", "__proto__": {"polluted": "yes"}},
      "body": null, "isBase64Encoded": false
    }`)
    const { seen: s, result } = await call(event)
    expect(s.query).toEqual([
      ['__proto__', 'x'],
      ['__proto__', 'x2'],
      ['constructor', 'y'],
    ])
    expect(s.headers).toContainEqual(['__proto__', 'hp, hp2'])
    expect(s.headers).toContainEqual(['constructor', 'hc'])
    expect(own(s.pathParameters, '__proto__')).toBe('pp')
    expect(own(s.stageVariables, 'constructor')).toBe('sv')
    // The response's headers named like prototype keys come back as ordinary entries.
    const res = resultToResponse(result)
    expect(res.headers.get('__proto__')).toBe('response-proto')
    expect(res.headers.get('constructor')).toBe('response-constructor')
  })

  it('REST v1 without multi-value maps, ALB and WebSocket: same', async () => {
    const v1 = parse(`{
      "path": "/", "httpMethod": "GET", "headers": {"__proto__": "hp"},
      "queryStringParameters": {"__proto__": "x", "constructor": "y"}, "requestContext": {"stage": "prod"}
    }`)
    expect((await call(v1)).seen.query).toEqual(PROTO_QUERY)

    const alb = parse(`{
      "requestContext": {"elb": {"targetGroupArn": "arn:x"}}, "httpMethod": "GET", "path": "/",
      "headers": {"host": "alb.example.com", "__proto__": "hp"},
      "queryStringParameters": {"__proto__": "x", "constructor": "y"}, "body": "", "isBase64Encoded": false
    }`)
    const albSeen = await call(alb)
    expect(albSeen.seen.query).toEqual(PROTO_QUERY)
    expect(albSeen.seen.headers).toContainEqual(['__proto__', 'hp'])

    const albMulti = parse(`{
      "requestContext": {"elb": {"targetGroupArn": "arn:x"}}, "httpMethod": "GET", "path": "/",
      "multiValueHeaders": {"host": ["alb.example.com"], "__proto__": ["hp"]},
      "multiValueQueryStringParameters": {"__proto__": ["x"], "constructor": ["y"]}, "body": "", "isBase64Encoded": false
    }`)
    const albMultiSeen = await call(albMulti)
    expect(albMultiSeen.seen.query).toEqual(PROTO_QUERY)
    expect(resultToResponse(albMultiSeen.result).headers.get('__proto__')).toBe('response-proto')

    const ws = parse(`{
      "requestContext": {"routeKey": "$connect", "eventType": "CONNECT", "connectionId": "c1", "stage": "prod"},
      "headers": {"Host": "ws.example.com", "__proto__": "hp"},
      "multiValueHeaders": {"Host": ["ws.example.com"], "__proto__": ["hp"]},
      "queryStringParameters": {"__proto__": "x", "constructor": "y"},
      "multiValueQueryStringParameters": {"__proto__": ["x"], "constructor": ["y"]}, "isBase64Encoded": false
    }`)
    expect((await call(ws)).seen.query).toEqual(PROTO_QUERY)
  })

  it('HTTP API v2 and Function URLs: rawQueryString and the query map, headers, cookies', async () => {
    for (const domain of ['abc.execute-api.us-east-1.amazonaws.com', 'abc.lambda-url.us-east-1.on.aws']) {
      const withRaw = parse(`{
        "version": "2.0", "rawPath": "/", "rawQueryString": "__proto__=x&constructor=y",
        "headers": {"host": "${domain}", "__proto__": "hp", "constructor": "hc"},
        "cookies": ["__proto__=c"],
        "queryStringParameters": {"__proto__": "x", "constructor": "y"},
        "requestContext": {"domainName": "${domain}", "http": {"method": "GET", "path": "/"}, "stage": "$default"},
        "isBase64Encoded": false
      }`)
      const a = await call(withRaw)
      expect(a.seen.query).toEqual(PROTO_QUERY)
      expect(a.seen.headers).toContainEqual(['__proto__', 'hp'])
      expect(a.seen.headers).toContainEqual(['cookie', '__proto__=c'])
      const res = resultToResponse(a.result)
      expect(res.headers.get('__proto__')).toBe('response-proto')
      expect(res.headers.get('constructor')).toBe('response-constructor')

      // Without rawQueryString the adapter builds the query from the map.
      const mapOnly = parse(`{
        "version": "2.0", "rawPath": "/", "headers": {"host": "${domain}"},
        "queryStringParameters": {"__proto__": "x", "constructor": "y"},
        "requestContext": {"domainName": "${domain}", "http": {"method": "GET", "path": "/"}},
        "isBase64Encoded": false
      }`)
      expect((await call(mapOnly)).seen.query).toEqual(PROTO_QUERY)
    }
  })

  it('methods named like Object.prototype members stay plain method names', async () => {
    for (const method of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const event = parse(
        `{"version": "2.0", "rawPath": "/", "headers": {"host": "a.example.com"}, "requestContext": {"http": {"method": "${method}", "path": "/"}}}`,
      )
      expect((await call(event)).seen.method).toBe(method)
    }
  })
})

// ---------------------------------------------------------------------------------------------
// The dev server builds events from real requests
// ---------------------------------------------------------------------------------------------

const fixture = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'echo-event.mjs')
const servers = new Map<DevEventSource, DevServer>()
const SOURCES: DevEventSource[] = ['apigw-v1', 'apigw-v2', 'alb', 'function-url']

describe('R4 __proto__ keys through the dev server (request → event)', () => {
  beforeAll(async () => {
    const started = await Promise.all(
      SOURCES.map((eventSource) =>
        dev(fixture, { eventSource, port: 0, watch: false, log: () => {}, onOutput: () => {}, timeoutMs: 20_000 }),
      ),
    )
    for (const [i, s] of SOURCES.entries()) servers.set(s, started[i] as DevServer)
  }, 60_000)
  afterAll(async () => {
    await Promise.all([...servers.values()].map((s) => s.close()))
  })

  for (const source of SOURCES) {
    it(`${source}: ?__proto__=x&constructor=y and a __proto__ header arrive as ordinary entries`, async () => {
      const server = servers.get(source) as DevServer
      // A raw request: fetch itself drops a header named __proto__.
      const res = await rawGet(
        server.port,
        '/items?__proto__=x&constructor=y&constructor=y2',
        [
          ['__proto__', 'hp'],
          ['constructor', 'hc'],
        ],
        25_000,
      )
      const text = res.head.toLowerCase().includes('transfer-encoding: chunked') ? dechunk(res.body) : res.body
      expect(res.status, text.slice(0, 300)).toBe(200)
      const body = JSON.parse(text) as Json
      expect(body.prototypeIntact).toBe(true)
      if (source === 'apigw-v2' || source === 'function-url') {
        expect(body.rawQueryString).toBe('__proto__=x&constructor=y&constructor=y2')
        expect(own(body.query, '__proto__')).toBe('x')
        expect(own(body.query, 'constructor')).toBe('y,y2')
      } else if (source === 'apigw-v1') {
        expect(own(body.multiQuery, '__proto__')).toEqual(['x'])
        expect(own(body.multiQuery, 'constructor')).toEqual(['y', 'y2'])
        expect(own(body.query, '__proto__')).toBe('x')
      } else {
        expect(own(body.query, '__proto__')).toBe('x')
        expect(own(body.query, 'constructor')).toBe('y2')
      }
      const headerMap = (body.headers ?? {}) as Json
      const headerValue = own(headerMap, '__proto__') ?? own(headerMap, '__proto__'.toUpperCase())
      expect(headerValue).toBe('hp')
    }, 30_000)
  }
})

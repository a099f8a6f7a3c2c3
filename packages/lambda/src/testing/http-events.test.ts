import { describe, expect, it } from 'vitest'
import { decodeHttpResult, decodeStreamedHttpResult, resultToResponse } from './index'

describe('decodeHttpResult: a result as each event source reads it', () => {
  it('HTTP API and Function URLs take any JSON as a 200 application/json body; REST and ALB need a statusCode', () => {
    for (const source of ['apigw-v2', 'function-url'] as const) {
      const decoded = decodeHttpResult({ hello: 'world' }, source)
      expect(decoded?.status).toBe(200)
      expect(decoded?.headers).toEqual([['content-type', 'application/json']])
      expect(decoded?.body.toString()).toBe('{"hello":"world"}')
      expect(decodeHttpResult('plain', source)?.body.toString()).toBe('plain')
    }
    for (const source of ['apigw-v1', 'alb'] as const)
      expect(decodeHttpResult({ hello: 'world' }, source)).toBeUndefined()
  })

  it('an invalid statusCode is unusable for every source', () => {
    for (const statusCode of [1000, 99, 'abc', 200.5])
      expect(decodeHttpResult({ statusCode }, 'apigw-v2'), String(statusCode)).toBeUndefined()
  })

  it('cookies count for v2 shapes only; multiValueHeaders win over headers for REST and ALB only', () => {
    const result = {
      statusCode: 200,
      headers: { 'X-A': '1' },
      multiValueHeaders: { 'x-a': ['2', '3'] },
      cookies: ['c=1'],
      body: { json: true },
    }
    expect(decodeHttpResult(result, 'apigw-v2')?.headers).toEqual([
      ['x-a', '1'],
      ['set-cookie', 'c=1'],
    ])
    expect(decodeHttpResult(result, 'apigw-v1')?.headers).toEqual([
      ['x-a', '2'],
      ['x-a', '3'],
    ])
    expect(decodeHttpResult(result, 'alb')?.body.toString()).toBe('{"json":true}')
  })

  it('base64 bodies are decoded; without a source every field is read', async () => {
    const bytes = Buffer.from([0, 255, 1])
    const decoded = decodeHttpResult({ statusCode: 200, body: bytes.toString('base64'), isBase64Encoded: true })
    expect(decoded?.body).toEqual(bytes)
    const res = resultToResponse({ statusCode: 200, multiValueHeaders: { a: ['1'] }, cookies: ['c=1'] } as never)
    expect([res.headers.get('a'), res.headers.getSetCookie()]).toEqual(['1', ['c=1']])
    expect(() => resultToResponse({ nope: true } as never, 'alb')).toThrow(TypeError)
  })
})

describe('decodeStreamedHttpResult', () => {
  it('splits the prelude from the body at the 8 NUL bytes', () => {
    const prelude = { statusCode: 418, headers: { 'Content-Type': 'text/plain' }, cookies: ['a=1', 'b=2'] }
    const wire = Buffer.concat([Buffer.from(JSON.stringify(prelude)), Buffer.alloc(8), Buffer.from('body\0bytes')])
    const decoded = decodeStreamedHttpResult(wire)
    expect(decoded?.status).toBe(418)
    expect(decoded?.headers).toEqual([
      ['content-type', 'text/plain'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ])
    expect(decoded?.body.toString()).toBe('body\0bytes')
  })

  it('no separator, or a prelude that is not a JSON object, is undefined; no statusCode means 200', () => {
    expect(decodeStreamedHttpResult(Buffer.from('{"statusCode":200}'))).toBeUndefined()
    expect(decodeStreamedHttpResult(Buffer.concat([Buffer.from('[1]'), Buffer.alloc(8)]))).toBeUndefined()
    expect(decodeStreamedHttpResult(Buffer.concat([Buffer.from('{}'), Buffer.alloc(8)]))?.status).toBe(200)
  })
})

import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { acceptHeader, hasHeaderValue, validateRequest } from './index'

const ok = serviceFn(() => new Response('ok'))
const json = validateRequest(acceptHeader('application/json'))(ok)

async function status(svc: typeof ok, headers: [string, string][]): Promise<number> {
  const h = new Headers()
  for (const [k, v] of headers) h.append(k, v)
  return (await oneshot(svc, new Request('http://x/', { headers: h }))).status
}

describe('validateRequest acceptHeader', () => {
  it.each([['application/json'], ['application/*'], ['*/*']])('accepts %s', async (accept) => {
    expect(await status(json, [['accept', accept]])).toBe(200)
  })

  it('no Accept header is allowed', async () => {
    expect(await status(json, [])).toBe(200)
  })

  it.each([['invalid'], ['application/strings'], ['text/strings']])('406 for %s', async (accept) => {
    expect(await status(json, [['accept', accept]])).toBe(406)
  })

  it('multiple header values and list values', async () => {
    expect(
      await status(json, [
        ['accept', 'text/strings'],
        ['accept', 'invalid, application/json'],
      ]),
    ).toBe(200)
    expect(await status(json, [['accept', 'text/html, application/json;q=0.9']])).toBe(200)
    expect(await status(json, [['accept', 'text/html, text/plain']])).toBe(406)
  })

  it('quoted parameters containing commas', async () => {
    expect(await status(json, [['accept', 'text/strings; foo="bar, application/json", application/json']])).toBe(200)
    expect(await status(json, [['accept', 'text/strings; foo="bar, application/json"']])).toBe(406)
  })
})

describe('validateRequest hasHeaderValue', () => {
  const svc = validateRequest(hasHeaderValue('x-custom', 'foo'))(ok)

  it('valid → 200; wrong value, wrong case, missing → 403', async () => {
    expect(await status(svc, [['x-custom', 'foo']])).toBe(200)
    expect(await status(svc, [['X-Custom', 'foo']])).toBe(200)
    expect(await status(svc, [['x-custom', 'bar']])).toBe(403)
    expect(await status(svc, [['x-custom', 'FOO']])).toBe(403)
    expect(await status(svc, [])).toBe(403)
  })

  it('with multiple values, the first is compared', async () => {
    expect(
      await status(svc, [
        ['x-custom', 'foo'],
        ['x-custom', 'bar'],
      ]),
    ).toBe(200)
    expect(
      await status(svc, [
        ['x-custom', 'bar'],
        ['x-custom', 'foo'],
      ]),
    ).toBe(403)
  })

  it('an invalid header name throws', () => {
    expect(() => hasHeaderValue('bad header', 'x')).toThrow(TypeError)
  })
})

describe('validateRequest custom', () => {
  it('undefined lets through (the request may be changed); a response is answered; async works', async () => {
    let calls = 0
    const inner = serviceFn((req: Request) => {
      calls++
      return new Response(req.headers.get('x-checked'))
    })
    const svc = validateRequest(async (req) => {
      if (!req.headers.has('x-tenant')) return new Response('tenant required', { status: 400 })
      req.headers.set('x-checked', 'yes')
      return undefined
    })(inner)
    const bad = await oneshot(svc, new Request('http://x/'))
    expect(bad.status).toBe(400)
    expect(calls).toBe(0)
    const good = await oneshot(svc, new Request('http://x/', { headers: { 'x-tenant': 't' } }))
    expect(await good.text()).toBe('yes')
  })
})

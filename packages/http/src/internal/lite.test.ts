import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { globalsInstalled, installGlobals, LiteRequest, liteRequest, native, type RequestSource } from './index'
import { liteResponse } from './response'

/** A lightweight request and the runtime's own request for the same input. */
function pair(method: string, url: string, headers: [string, string][], body: string | null) {
  const source: RequestSource = {
    method,
    url,
    body,
    headers: () => new native.Headers(headers),
    signal: () => new AbortController().signal,
    stream: () => {
      throw new Error('in memory')
    },
  }
  const init: RequestInit = { method, headers }
  if (body !== null) init.body = body
  return { lite: liteRequest(source), real: new native.Request(url, init) }
}

const POST = () =>
  pair(
    'POST',
    'http://x.test/p?q=1',
    [
      ['x-a', '1'],
      ['content-type', 'text/plain'],
    ],
    'héllo',
  )

let server: ReturnType<typeof createServer>
let origin = ''
beforeAll(async () => {
  installGlobals()
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () =>
      res.end(JSON.stringify({ method: req.method, xa: req.headers['x-a'], body: Buffer.concat(chunks).toString() })),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('a lightweight Request behaves as the runtime`s own', () => {
  it('instanceof, properties and headers', () => {
    const { lite, real } = POST()
    expect(globalsInstalled()).toBe(true)
    for (const req of [lite, real]) {
      expect(req).toBeInstanceOf(Request)
      expect(req).toBeInstanceOf(native.Request)
    }
    for (const key of ['method', 'url', 'cache', 'credentials', 'mode', 'redirect', 'referrer', 'bodyUsed'] as const)
      expect(lite[key], key).toEqual(real[key])
    expect([...lite.headers]).toEqual([...real.headers].filter(([n]) => n !== 'content-length'))
    expect(Object.prototype.toString.call(lite)).toBe('[object Request]')
  })

  it('every body method, once; a second read rejects like the runtime', async () => {
    for (const read of ['text', 'json', 'arrayBuffer', 'bytes', 'blob', 'formData'] as const) {
      const { lite, real } = pair(
        'POST',
        'http://x.test/',
        [['content-type', 'application/x-www-form-urlencoded']],
        'a=1',
      )
      const outcome = async (req: Request) => {
        try {
          const value = await (req as unknown as Record<string, () => Promise<unknown>>)[read]?.()
          if (value instanceof Blob) return ['blob', value.type, await value.text()]
          if (value instanceof FormData) return ['form', [...value]]
          if (value instanceof ArrayBuffer || value instanceof Uint8Array) return ['bytes', [...new Uint8Array(value)]]
          return ['value', value]
        } catch (error) {
          return ['error', (error as Error).name]
        }
      }
      expect(await outcome(lite), read).toEqual(await outcome(real))
      expect(lite.bodyUsed, read).toBe(real.bodyUsed)
      expect(await outcome(lite), `${read} again`).toEqual(await outcome(real))
    }
  })

  it('clone(), body stream, and headers edits carried into a built request', async () => {
    const { lite } = POST()
    lite.headers.set('x-b', '2')
    const clone = lite.clone()
    expect(clone.headers.get('x-b')).toBe('2')
    expect(await clone.text()).toBe('héllo')
    expect(await new Response(lite.body).text()).toBe('héllo')
    expect(lite.bodyUsed).toBe(true)
  })

  it('new Request(lite), new Request(lite, init) and fetch(lite) send what the lightweight one holds', async () => {
    const make = () => pair('PUT', `${origin}/echo`, [['x-a', 'lite']], 'payload').lite
    const copied = new Request(make())
    expect([copied.method, copied.headers.get('x-a'), await copied.text()]).toEqual(['PUT', 'lite', 'payload'])
    const overridden = new Request(make(), { method: 'POST', body: 'other' })
    expect([overridden.method, await overridden.text()]).toEqual(['POST', 'other'])
    const edited = make()
    edited.headers.set('x-a', 'edited')
    expect(await (await fetch(edited)).json()).toEqual({ method: 'PUT', xa: 'edited', body: 'payload' })
    const used = make()
    await used.text()
    expect(() => new Request(used)).toThrow(TypeError)
  })

  it('reads nothing costly until asked', () => {
    const { lite } = POST()
    void lite.method
    void lite.url
    expect(LiteRequest.untouched(lite)).toBe(true)
    void lite.headers
    expect(LiteRequest.untouched(lite)).toBe(false)
  })
})

describe('turret`s global Response behaves as the runtime`s own', () => {
  const inits: [BodyInit | null, ResponseInit | undefined][] = [
    ['text', undefined],
    ['typed', { status: 202, statusText: 'Fine', headers: { 'content-type': 'text/x', 'x-a': ' 1 ' } }],
    [new Uint8Array([0, 1, 255]), { headers: [['x-b', '2']] }],
    [null, { status: 204 }],
    [new URLSearchParams('a=1'), undefined],
  ]

  it('status, headers and body for each kind of body', async () => {
    for (const [body, init] of inits) {
      const ours = new Response(body, init)
      const theirs = new native.Response(body, init)
      expect(ours).toBeInstanceOf(native.Response)
      expect(theirs).toBeInstanceOf(Response)
      for (const key of ['status', 'statusText', 'ok', 'type', 'url', 'redirected', 'bodyUsed'] as const)
        expect(ours[key], String(key)).toEqual(theirs[key])
      expect([...ours.headers]).toEqual([...theirs.headers])
      expect([...new Uint8Array(await ours.arrayBuffer())]).toEqual([...new Uint8Array(await theirs.arrayBuffer())])
      expect(ours.bodyUsed).toBe(theirs.bodyUsed)
    }
  })

  it('validates like the runtime: the same error types', () => {
    const bad: [BodyInit | null, ResponseInit][] = [
      ['x', { status: 199 }],
      ['x', { status: 204 }],
      ['x', { statusText: 'a\nb' }],
      ['x', { headers: { 'a b': '1' } }],
      ['x', { headers: { a: 'x\ny' } }],
    ]
    for (const [body, init] of bad) {
      const type = (fn: () => unknown) => {
        try {
          fn()
          return 'ok'
        } catch (error) {
          return (error as Error).name
        }
      }
      expect(type(() => new Response(body, init))).toBe(type(() => new native.Response(body, init)))
    }
  })

  it('Response.json, redirect, error; a subclass; a clone; fetch results stay instanceof Response', async () => {
    expect(await Response.json({ a: 1 }).json()).toEqual({ a: 1 })
    expect(Response.json(1).headers.get('content-type')).toBe('application/json')
    expect(Response.redirect('http://x.test/', 301).headers.get('location')).toBe('http://x.test/')
    expect(Response.error().type).toBe('error')
    class Mine extends Response {}
    const mine = new Mine('m')
    expect(mine).toBeInstanceOf(Mine)
    expect(await mine.text()).toBe('m')
    const res = new Response('c', { headers: { 'x-a': '1' } })
    const clone = res.clone()
    expect([await res.text(), await clone.text(), clone.headers.get('x-a')]).toEqual(['c', 'c', '1'])
    expect(await fetch(`${origin}/`)).toBeInstanceOf(Response)
    expect(liteResponse('x', undefined, [])).toBeInstanceOf(Response)
  })
})

describe('two copies of the module (ESM and CJS builds, two versions)', () => {
  it('recognise each other`s lightweight objects', async () => {
    // A second instance of the modules, as a dual-package install would load them.
    const copy = {
      // @ts-expect-error a query makes the bundler load the file again
      ...((await import('./response.ts?second-copy')) as typeof import('./response')),
      // @ts-expect-error see above
      ...((await import('./request.ts?second-copy')) as typeof import('./request')),
    }
    expect(copy.LiteResponse).not.toBe((await import('./index')).LiteResponse)
    const res = copy.liteResponse('from the other copy', undefined, [])
    const { LiteResponse } = await import('./index')
    expect(LiteResponse.pristine(res)?.body).toBe('from the other copy')
    expect(LiteResponse.source(res)).toBe('from the other copy')
    const { lite } = POST()
    const built = copy.LiteRequest.unwrap(lite)
    expect(built).not.toBe(lite)
    expect(Object.getPrototypeOf(built)).toBe(native.Request.prototype)
  })
})

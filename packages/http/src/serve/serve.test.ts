import { request as httpRequest } from 'node:http'
import { type Ready, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import type { HttpService } from '../types'
import { deferred, errors, raw, start, until } from './support.test-util'

describe('serve', () => {
  it('binds port 0, reports the address and answers over loopback', async () => {
    const server = await start(
      serviceFn(
        (req: Request) =>
          new Response(
            `${req.method} ${new URL(req.url).pathname}${new URL(req.url).search} ${req.headers.get('x-a')}`,
            {
              status: 201,
              headers: { 'x-b': 'yes' },
            },
          ),
      ),
    )
    expect(server.port).toBeGreaterThan(0)
    expect(server.hostname).toBe('127.0.0.1')
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
    const res = await fetch(`${server.url}/path?q=1`, { headers: { 'x-a': 'hello' } })
    expect(res.status).toBe(201)
    expect(res.headers.get('x-b')).toBe('yes')
    expect(await res.text()).toBe('GET /path?q=1 hello')
  })

  it('sends repeated request headers and several Set-Cookie headers', async () => {
    const server = await start(
      serviceFn((req: Request) => {
        const headers = new Headers()
        headers.append('set-cookie', 'a=1')
        headers.append('set-cookie', 'b=2')
        return new Response(req.headers.get('x-multi'), { headers })
      }),
    )
    const res = await new Promise<{ cookies: string[] | undefined; body: string }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/`, (r) => {
        let body = ''
        r.on('data', (c) => {
          body += c
        })
        r.on('end', () => resolve({ cookies: r.headers['set-cookie'], body }))
      })
      req.setHeader('x-multi', ['one', 'two'])
      req.on('error', reject)
      req.end()
    })
    expect(res.cookies).toEqual(['a=1', 'b=2'])
    expect(res.body).toBe('one, two')
  })

  it('gives a request without body (no Content-Length, no Transfer-Encoding) a null body', async () => {
    const server = await start(serviceFn((req: Request) => new Response(String(req.body === null))))
    expect(await (await fetch(`${server.url}/`, { method: 'POST' })).text()).toBe('true')
    expect(await (await fetch(`${server.url}/`, { method: 'POST', body: 'x' })).text()).toBe('false')
  })

  it('answers HEAD with the headers and no body', async () => {
    const server = await start(
      serviceFn((req: Request) => new Response('hello world', { headers: { 'x-method': req.method } })),
    )
    const res = await raw(`${server.url}/`, 'HEAD')
    expect(res.status).toBe(200)
    expect(res.headers['x-method']).toBe('HEAD')
    expect(res.body).toBe('')
    // And the connection is still usable for the next request.
    expect((await raw(`${server.url}/`, 'GET')).body).toBe('hello world')
  })

  it('answers 500 when the call rejects or throws, and keeps serving', async () => {
    let n = 0
    const server = await start({
      ready: () => undefined,
      call: (req: Request) => {
        n++
        if (req.url.endsWith('/throw')) throw new Error('sync boom')
        if (req.url.endsWith('/reject')) return Promise.reject(new Error('boom'))
        return Promise.resolve(new Response('fine'))
      },
    })
    errors.length = 0
    const rejected = await fetch(`${server.url}/reject`)
    expect(rejected.status).toBe(500)
    expect(await rejected.text()).toBe('Internal Server Error')
    expect((await fetch(`${server.url}/throw`)).status).toBe(500)
    expect(await (await fetch(`${server.url}/ok`)).text()).toBe('fine')
    expect(n).toBe(3)
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom', 'sync boom'])
  })

  it('answers 503 at once when a load-shedding service is over its limit', async () => {
    class OverloadedError extends Error {
      override name = 'OverloadedError'
      readonly code = 'ERR_OVERLOADED'
    }
    // A test-local loadShed over a service that takes one call at a time.
    const release = deferred()
    let busy = false
    const shed: HttpService = {
      ready: () => undefined,
      async call() {
        if (busy) throw new OverloadedError('overloaded')
        busy = true
        await release.promise
        busy = false
        return new Response('done')
      },
    }
    const server = await start(shed)
    const first = fetch(`${server.url}/a`)
    await until(() => busy)
    const second = await fetch(`${server.url}/b`)
    expect(second.status).toBe(503)
    release.resolve()
    expect(await (await first).text()).toBe('done')
  })

  it('waits for readiness before calling (backpressure to the socket)', async () => {
    const gate = deferred()
    let calls = 0
    const svc: HttpService = {
      ready: (): Ready => (calls === 0 ? gate.promise : undefined),
      call: async () => {
        calls++
        return new Response('called')
      },
    }
    const server = await start(svc)
    const pending = fetch(`${server.url}/`)
    await new Promise((r) => setTimeout(r, 20))
    expect(calls).toBe(0)
    gate.resolve()
    expect(await (await pending).text()).toBe('called')
    expect(calls).toBe(1)
  })

  it('answers 503 when readiness fails', async () => {
    const server = await start({
      ready: () => Promise.reject(new Error('inner failed')),
      call: async () => new Response('never'),
    })
    expect((await fetch(`${server.url}/`)).status).toBe(503)
  })

  it('hands the service a real-enough Request: instanceof, body methods, clone, new Request(req), fetch(req)', async () => {
    const upstream = await start(
      serviceFn(
        async (req: Request) => new Response(`upstream ${req.method} ${req.headers.get('x-a')} ${await req.text()}`),
      ),
    )
    const server = await start(
      serviceFn(async (req: Request) => {
        const path = new URL(req.url).pathname
        if (path === '/json') {
          const copy = req.clone()
          const body = (await req.json()) as { n: number }
          return Response.json({ n: body.n, instance: req instanceof Request, copy: await copy.text() })
        }
        if (path === '/rebuild') {
          const rebuilt = new Request(req, { headers: { 'x-a': 'rebuilt' } })
          return new Response(`${rebuilt.method} ${rebuilt.url} ${rebuilt.headers.get('x-a')} ${await rebuilt.text()}`)
        }
        if (path === '/mutate') {
          req.headers.set('x-before', '1')
          await req.arrayBuffer() // builds the real request
          req.headers.set('x-after', '2')
          return new Response(`${req.headers.get('x-before')} ${req.headers.get('x-after')} ${req.bodyUsed}`)
        }
        // A proxy: forward the very same Request object with fetch().
        const target = new URL(`${upstream.url}/up`)
        req.headers.set('x-a', 'proxied')
        return fetch(new Request(target, req))
      }),
    )
    const json = await fetch(`${server.url}/json`, { method: 'POST', body: '{"n":7}' })
    expect(await json.json()).toEqual({ n: 7, instance: true, copy: '{"n":7}' })
    const rebuilt = await fetch(`${server.url}/rebuild`, { method: 'PUT', body: 'data' })
    expect(await rebuilt.text()).toBe(`PUT ${server.url}/rebuild rebuilt data`)
    const mutate = await fetch(`${server.url}/mutate`, { method: 'POST', body: 'x' })
    expect(await mutate.text()).toBe('1 2 true')
    const proxied = await fetch(`${server.url}/proxy`, { method: 'POST', body: 'payload' })
    expect(await proxied.text()).toBe('upstream POST proxied payload')
  })

  it('normalizes unusual URLs like the WHATWG parser, and answers 400 for a bad Host', async () => {
    const server = await start(serviceFn((req: Request) => new Response(req.url)))
    const get = (path: string, host?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: server.port, path, headers: host ? { host } : {} },
          (res) => {
            let body = ''
            res.on('data', (c) => {
              body += c
            })
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
          },
        )
        req.on('error', reject)
        req.end()
      })
    expect((await get('/a/b/../c?x=1')).body).toBe(`http://127.0.0.1:${server.port}/a/c?x=1`)
    expect((await get('/file.txt')).body).toBe(`http://127.0.0.1:${server.port}/file.txt`)
    expect((await get('/x', 'Example.COM')).body).toBe('http://example.com/x')
    expect((await get('/x', 'bad host')).status).toBe(400)
  })
})

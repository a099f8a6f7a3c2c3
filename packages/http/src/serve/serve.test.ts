import { request as httpRequest } from 'node:http'
import { type Ready, serviceFn } from '@turret/core'
import { afterEach, describe, expect, it } from 'vitest'
import { LiteRequest, LiteResponse } from '../internal/index'
import { html, json, text } from '../respond/index'
import type { HttpService } from '../types'
import { type Server, serve } from './index'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const errors: unknown[] = []
async function start(svc: HttpService): Promise<Server> {
  const server = await serve(svc, { port: 0, hostname: '127.0.0.1', onError: (e) => errors.push(e) })
  servers.push(server)
  return server
}

function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/** A raw node:http request, for what fetch hides (HEAD bodies, keep-alive). */
function raw(url: string, method: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => {
        body += c
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Waits until `fn()` is true, polling on macrotasks (I/O has to happen); fails after ~2 s. */
async function until(fn: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !fn(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(fn()).toBe(true)
}

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

  it('streams the request body into the service as it arrives', async () => {
    const gotFirst = deferred<string>()
    const server = await start(
      serviceFn(async (req: Request) => {
        const reader = (req.body as ReadableStream<Uint8Array>).getReader()
        const decoder = new TextDecoder()
        const first = await reader.read()
        gotFirst.resolve(decoder.decode(first.value))
        let rest = ''
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          rest += decoder.decode(value)
        }
        return new Response(`first=${decoder.decode(first.value)} rest=${rest}`)
      }),
    )
    let push!: ReadableStreamDefaultController<Uint8Array>
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        push = c
      },
    })
    push.enqueue(new TextEncoder().encode('one'))
    const pending = fetch(`${server.url}/upload`, { method: 'POST', body, duplex: 'half' } as RequestInit)
    // The service sees the first chunk while the client has not finished sending.
    expect(await gotFirst.promise).toBe('one')
    push.enqueue(new TextEncoder().encode('two'))
    push.close()
    const res = await pending
    expect(await res.text()).toBe('first=one rest=two')
  })

  it('gives a request without body (no Content-Length, no Transfer-Encoding) a null body', async () => {
    const server = await start(serviceFn((req: Request) => new Response(String(req.body === null))))
    expect(await (await fetch(`${server.url}/`, { method: 'POST' })).text()).toBe('true')
    expect(await (await fetch(`${server.url}/`, { method: 'POST', body: 'x' })).text()).toBe('false')
  })

  it('streams the response body to the client chunk by chunk', async () => {
    let push!: ReadableStreamDefaultController<Uint8Array>
    const server = await start(
      serviceFn(
        () =>
          new Response(
            new ReadableStream<Uint8Array>({
              start(c) {
                push = c
                c.enqueue(new TextEncoder().encode('first'))
              },
            }),
          ),
      ),
    )
    const res = await fetch(`${server.url}/stream`)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    // The client gets the first chunk before the service has produced the second.
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first')
    push.enqueue(new TextEncoder().encode('second'))
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('second')
    push.close()
    expect((await reader.read()).done).toBe(true)
  })

  it('applies backpressure: a client that does not read stops the response stream from being pulled', async () => {
    let pulled = 0
    const chunk = new Uint8Array(64 * 1024)
    const server = await start(
      serviceFn(
        () =>
          new Response(
            new ReadableStream<Uint8Array>(
              {
                pull(c) {
                  pulled += chunk.byteLength
                  c.enqueue(chunk)
                },
              },
              { highWaterMark: 1 },
            ),
          ),
      ),
    )
    const req = httpRequest(`${server.url}/big`)
    const response = deferred<import('node:http').IncomingMessage>()
    req.on('response', (r) => {
      r.pause()
      response.resolve(r)
    })
    req.end()
    const res = await response.promise
    // Let socket buffers fill, then check the producer stalled far below an unbounded read.
    let last = -1
    let stable = 0
    for (let i = 0; i < 200 && stable < 10; i++) {
      await new Promise((r) => setTimeout(r, 10))
      stable = pulled === last ? stable + 1 : 0
      last = pulled
    }
    expect(stable).toBe(10)
    expect(pulled).toBeLessThan(32 * 1024 * 1024)
    expect(pulled).toBeGreaterThan(0)
    res.destroy()
  })

  it('aborts the request signal when the client disconnects', async () => {
    const aborted = deferred<boolean>()
    const received = deferred()
    const server = await start(
      serviceFn(async (req: Request) => {
        req.signal.addEventListener('abort', () => aborted.resolve(req.signal.aborted))
        received.resolve()
        return new Promise<Response>(() => {})
      }),
    )
    const client = httpRequest(`${server.url}/hang`)
    const clientError = new Promise<unknown>((resolve) => client.on('error', resolve))
    client.end()
    await received.promise
    client.destroy()
    expect(await aborted.promise).toBe(true)
    expect(await clientError).toBeInstanceOf(Error)
  })

  it('does not abort the signal of a request that completed', async () => {
    let signal: AbortSignal | undefined
    const server = await start(
      serviceFn((req: Request) => {
        signal = req.signal
        return new Response('ok')
      }),
    )
    expect(await (await fetch(`${server.url}/`)).text()).toBe('ok')
    expect(signal?.aborted).toBe(false)
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

  it('closes gracefully: in-flight requests finish, new connections are refused', async () => {
    const release = deferred()
    const received = deferred()
    const server = await start(
      serviceFn(async (req: Request) => {
        if (!req.url.endsWith('/slow')) return new Response('quick')
        received.resolve()
        await release.promise
        return new Response('finished')
      }),
    )
    // An idle keep-alive connection (fetch keeps one open) must not hold close() open.
    expect(await (await fetch(`${server.url}/`)).text()).toBe('quick')
    const inFlight = fetch(`${server.url}/slow`)
    await received.promise
    let closed = false
    const closing = server.close().then(() => {
      closed = true
    })
    await expect(fetch(`${server.url}/new`)).rejects.toThrow()
    expect(closed).toBe(false)
    release.resolve()
    const res = await inFlight
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('finished')
    await closing
    expect(closed).toBe(true)
  })

  it('closes when the signal aborts', async () => {
    const controller = new AbortController()
    const server = await serve(
      serviceFn(() => new Response('x')),
      {
        port: 0,
        hostname: '127.0.0.1',
        signal: controller.signal,
      },
    )
    expect(await (await fetch(server.url)).text()).toBe('x')
    controller.abort()
    await server.close()
    expect(server.server.listening).toBe(false)
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

  it('a response body that fails mid-stream drops that connection only; the server keeps serving', async () => {
    errors.length = 0
    const server = await start(
      serviceFn((req: Request) => {
        if (!req.url.endsWith('/broken')) return new Response('fine')
        let sent = false
        return new Response(
          new ReadableStream<Uint8Array>({
            pull(c) {
              if (!sent) {
                sent = true
                c.enqueue(new TextEncoder().encode('partial'))
              } else c.error(new Error('stream broke'))
            },
          }),
        )
      }),
    )
    // The client sees the connection drop (before or after the headers, depending on timing).
    const outcome = await fetch(`${server.url}/broken`)
      .then((res) => res.text())
      .then(
        () => 'complete',
        () => 'dropped',
      )
    expect(outcome).toBe('dropped')
    expect(errors.map((e) => (e as Error).message)).toContain('stream broke')
    expect((await raw(`${server.url}/ok`, 'GET')).body).toBe('fine')
  })

  it('cancels the response body stream when the client goes away mid-response', async () => {
    const cancelled = deferred<unknown>()
    const server = await start(
      serviceFn(
        () =>
          new Response(
            new ReadableStream<Uint8Array>({
              start(c) {
                c.enqueue(new TextEncoder().encode('first'))
              },
              cancel(reason) {
                cancelled.resolve(reason ?? 'cancelled')
              },
            }),
          ),
      ),
    )
    const req = httpRequest(`${server.url}/`)
    req.on('error', () => {})
    req.on('response', (res) => {
      res.once('data', () => req.destroy())
    })
    req.end()
    expect(await cancelled.promise).toBeDefined()
  })

  it('close({ force: true }) drops requests still in flight', async () => {
    const received = deferred()
    const server = await serve(
      serviceFn(async () => {
        received.resolve()
        return new Promise<Response>(() => {})
      }),
      { port: 0, hostname: '127.0.0.1', onError: () => {} },
    )
    const pending = fetch(`${server.url}/hang`).then(
      () => 'answered',
      () => 'dropped',
    )
    await received.promise
    await server.close({ force: true })
    expect(await pending).toBe('dropped')
  })

  it('passes the request signal to ready(): a client that leaves abandons the wait', async () => {
    const waiting = deferred()
    const abandoned = deferred<boolean>()
    let calls = 0
    const svc: HttpService = {
      ready: (signal?: AbortSignal): Ready =>
        new Promise<void>((_resolve, reject) => {
          waiting.resolve()
          signal?.addEventListener('abort', () => {
            abandoned.resolve(true)
            reject(signal.reason)
          })
        }),
      call: async () => {
        calls++
        return new Response('never')
      },
    }
    const server = await start(svc)
    errors.length = 0
    const client = httpRequest(`${server.url}/wait`)
    client.on('error', () => {})
    client.end()
    await waiting.promise
    client.destroy()
    expect(await abandoned.promise).toBe(true)
    expect(calls).toBe(0)
    expect(errors).toEqual([])
  })

  it('writes a text() response straight from its parts: status, headers, content-length, body; nothing built', async () => {
    const seen: { req: Request; res: Response }[] = []
    const server = await start(
      serviceFn((req: Request) => {
        const res = text(`héllo ${req.method} ${req.url.slice(req.url.lastIndexOf('/'))}`, {
          status: 201,
          statusText: 'Made It',
          headers: [
            ['x-a', '1'],
            ['set-cookie', 'a=1'],
            ['set-cookie', 'b=2'],
            ['connection', 'upgrade'],
          ],
        })
        seen.push({ req, res })
        return res
      }),
    )
    const res = await new Promise<{ status: number; message: string; headers: Record<string, unknown>; body: string }>(
      (resolve, reject) => {
        const req = httpRequest(`${server.url}/p?q=1`, (r) => {
          let body = ''
          r.setEncoding('utf8')
          r.on('data', (c: string) => {
            body += c
          })
          r.on('end', () =>
            resolve({ status: r.statusCode ?? 0, message: r.statusMessage ?? '', headers: r.headers, body }),
          )
        })
        req.on('error', reject)
        req.end()
      },
    )
    expect(res.status).toBe(201)
    expect(res.message).toBe('Made It')
    expect(res.body).toBe('héllo GET /p?q=1')
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength('héllo GET /p?q=1')))
    expect(res.headers['x-a']).toBe('1')
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2'])
    expect(res.headers.connection).toBe('keep-alive') // the service's connection header is not sent
    expect(res.headers['transfer-encoding']).toBeUndefined()
    // serve() read neither the response's headers nor its body, and built nothing for the request
    expect(seen).toHaveLength(1)
    expect(LiteResponse.pristine(seen[0]?.res as Response)).toBeDefined()
    expect(LiteRequest.untouched(seen[0]?.req as Request)).toBe(true)
  })

  it('answers HEAD to a text() response with its headers and no body', async () => {
    const server = await start(serviceFn(() => json({ hello: 'world' })))
    const head = await raw(`${server.url}/`, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.headers['content-type']).toBe('application/json')
    expect(head.headers['content-length']).toBe(String('{"hello":"world"}'.length))
    expect(head.body).toBe('')
    const getRes = await raw(`${server.url}/`, 'GET')
    expect(getRes.body).toBe('{"hello":"world"}')
  })

  it('writes a lazy response whose headers were edited, or whose body stream was made', async () => {
    let n = 0
    const server = await start(
      serviceFn(() => {
        const res = html(`<p>${++n}</p>`)
        res.headers.set('x-edited', String(n))
        if (n === 2) void res.body // the undici stream exists now
        return res
      }),
    )
    for (const expected of [1, 2]) {
      const res = await fetch(`${server.url}/`)
      expect(res.headers.get('x-edited')).toBe(String(expected))
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(res.headers.get('content-length')).toBe(String(`<p>${expected}</p>`.length))
      expect(await res.text()).toBe(`<p>${expected}</p>`)
    }
  })

  it('still writes ordinary Responses: string, bytes, stream and null bodies', async () => {
    const bodies: (() => Response)[] = [
      () => new Response('plain', { headers: { 'content-type': 'text/x-plain' } }),
      () => new Response(new Uint8Array([104, 105])),
      () =>
        new Response(
          new ReadableStream({
            start(c) {
              c.enqueue(new TextEncoder().encode('stre'))
              c.enqueue(new TextEncoder().encode('amed'))
              c.close()
            },
          }),
        ),
      () => new Response(null, { status: 204 }),
    ]
    let i = 0
    const server = await start(serviceFn(() => (bodies[i++] as () => Response)()))
    const a = await fetch(server.url)
    expect([a.headers.get('content-type'), a.headers.get('content-length'), await a.text()]).toEqual([
      'text/x-plain',
      '5',
      'plain',
    ])
    const b = await fetch(server.url)
    expect([b.headers.get('content-length'), await b.text()]).toEqual(['2', 'hi'])
    const c = await fetch(server.url)
    expect([c.headers.get('transfer-encoding'), await c.text()]).toEqual(['chunked', 'streamed'])
    const d = await fetch(server.url)
    expect([d.status, await d.text()]).toEqual([204, ''])
  })

  it('close() closes a keep-alive connection whose response was still streaming, as soon as it is sent', async () => {
    const encode = (t: string) => new TextEncoder().encode(t)
    let push: ReadableStreamDefaultController<Uint8Array> | undefined
    const server = await start(
      serviceFn(
        () =>
          new Response(
            new ReadableStream<Uint8Array>({
              start(c) {
                push = c
                c.enqueue(encode('a'))
              },
            }),
          ),
      ),
    )
    const res = await fetch(server.url)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('a')
    let closed = false
    const closing = server.close().then(() => {
      closed = true
    })
    push?.enqueue(encode('b'))
    push?.close()
    let rest = ''
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value)
    expect(rest).toBe('b')
    // without the hook the idle keep-alive connection would hold close() for keepAliveTimeout (5 s)
    await until(() => closed)
    await closing
  })
})

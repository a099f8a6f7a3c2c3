import { request as httpRequest } from 'node:http'
import { serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { LiteRequest, LiteResponse } from '../internal/index'
import { html, json, text } from '../respond/index'
import { raw, start } from './support.test-util'

describe('serve: writing lightweight and ordinary responses', () => {
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
})

import { oneshot, serviceFn } from '@turret/core'
import { afterEach, describe, expect, it } from 'vitest'
import { type Server, serve } from '../serve/index'
import type { HttpService } from '../types'
import { LengthLimitError, requestBodyLimit } from './index'

let calls = 0
const reads: HttpService = serviceFn(async (req: Request) => {
  calls++
  const text = await req.text()
  return new Response(`read ${text.length}`)
})

function chunked(...sizes: number[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const n of sizes) c.enqueue(new Uint8Array(n).fill(97))
      c.close()
    },
  })
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://x/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit)

describe('requestBodyLimit', () => {
  it('Content-Length over the limit: 413 at once, inner not called', async () => {
    calls = 0
    const res = await oneshot(requestBodyLimit(10)(reads), post('a'.repeat(11), { 'content-length': '11' }))
    expect(res.status).toBe(413)
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await res.text()).toBe('length limit exceeded')
    expect(calls).toBe(0)
  })

  it('bodies within the limit pass', async () => {
    expect(await (await oneshot(requestBodyLimit(10)(reads), post('a'.repeat(10)))).text()).toBe('read 10')
    expect(await (await oneshot(requestBodyLimit(10)(reads), post(chunked(4, 6)))).text()).toBe('read 10')
    expect(await (await oneshot(requestBodyLimit(10)(reads), new Request('http://x/'))).text()).toBe('read 0')
  })

  it('no Content-Length, streamed past the limit: the read fails and the answer is 413', async () => {
    let seen: unknown
    const inner = serviceFn(async (req: Request) => {
      try {
        await req.text()
      } catch (e) {
        seen = e
        throw e
      }
      return new Response('unreachable')
    })
    const res = await oneshot(requestBodyLimit(10)(inner), post(chunked(6, 6)))
    expect(res.status).toBe(413)
    expect(seen).toBeInstanceOf(LengthLimitError)
  })

  it('a lying Content-Length (smaller than the body) is enforced', async () => {
    const res = await oneshot(requestBodyLimit(100)(reads), post(chunked(5, 5), { 'content-length': '5' }))
    expect(res.status).toBe(413)
  })

  it('an inner error handler that answers 500 after the limit tripped becomes 413', async () => {
    const framework = serviceFn(async (req: Request) => {
      try {
        await req.arrayBuffer()
        return new Response('ok')
      } catch {
        return new Response('Internal Server Error', { status: 500 })
      }
    })
    expect((await oneshot(requestBodyLimit(3)(framework), post(chunked(2, 2)))).status).toBe(413)
  })

  it('a handler that does not read the body is not affected', async () => {
    const ignores = serviceFn(() => new Response('ignored'))
    expect(await (await oneshot(requestBodyLimit(1)(ignores), post(chunked(10)))).text()).toBe('ignored')
  })

  it('rejects an invalid limit', () => {
    expect(() => requestBodyLimit(-1)).toThrow(RangeError)
  })
})

describe('requestBodyLimit over serve()', () => {
  let server: Server | undefined
  afterEach(async () => {
    await server?.close()
  })

  it('413 for honest-length and chunked bodies over the limit', async () => {
    server = await serve(requestBodyLimit(8)(reads), { port: 0, hostname: '127.0.0.1', onError: () => {} })
    expect((await fetch(server.url, { method: 'POST', body: 'a'.repeat(9) })).status).toBe(413)
    const stream = chunked(5, 5)
    const res = await fetch(server.url, { method: 'POST', body: stream, duplex: 'half' } as RequestInit)
    expect(res.status).toBe(413)
    expect(await (await fetch(server.url, { method: 'POST', body: 'a'.repeat(8) })).text()).toBe('read 8')
  })
})

import { randomBytes } from 'node:crypto'
import * as zlib from 'node:zlib'
import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { availableEncodings, zstdAvailable } from '../compression/encoding'
import { compression } from '../compression/index'
import { extensions, key } from '../extensions/index'
import { LengthLimitError } from '../request-body-limit/index'
import { ContentDecodingError, decompression, decompressResponse } from './index'

// Compressible but not trivial: text with random hex.
const original = Buffer.from(
  Array.from({ length: 400 }, (_, i) => `line ${i} ${randomBytes(8).toString('hex')}\n`).join(''),
)

function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0
  return new ReadableStream({
    async pull(c) {
      await new Promise((r) => setTimeout(r, 0))
      if (at >= bytes.length) return c.close()
      c.enqueue(bytes.slice(at, at + size))
      at += size
    },
  })
}

const echo = serviceFn(async (req: Request) => {
  const body = await req.arrayBuffer()
  return new Response(body, {
    headers: { 'x-content-encoding': req.headers.get('content-encoding') ?? 'none', 'x-len': String(body.byteLength) },
  })
})

describe('compression → decompression round trip', () => {
  for (const enc of availableEncodings()) {
    for (const mode of ['buffered', 'streamed'] as const) {
      it(`${enc}, ${mode}: original bytes back`, async () => {
        const source = serviceFn(
          () => new Response(mode === 'buffered' ? original : chunked(original, 1000), { status: 200 }),
        )
        const client = decompressResponse()(compression()(source))
        const res = await oneshot(client, new Request('http://x/', { headers: { 'accept-encoding': enc } }))
        expect(res.headers.has('content-encoding')).toBe(false)
        expect(Buffer.from(await res.arrayBuffer()).equals(original)).toBe(true)

        // And the compressed bytes, sent as a request body, are decoded on the server side.
        const compressed = await oneshot(
          compression()(source),
          new Request('http://x/', { headers: { 'accept-encoding': enc } }),
        )
        expect(compressed.headers.get('content-encoding')).toBe(enc)
        const wire = new Uint8Array(await compressed.arrayBuffer())
        const body = mode === 'buffered' ? wire : chunked(wire, 97)
        const up = await oneshot(
          decompression()(echo),
          new Request('http://x/', {
            method: 'POST',
            body,
            headers: { 'content-encoding': enc, 'content-length': String(wire.length) },
            duplex: 'half',
          } as RequestInit),
        )
        expect(up.status).toBe(200)
        expect(up.headers.get('x-content-encoding')).toBe('none')
        expect(Buffer.from(await up.arrayBuffer()).equals(original)).toBe(true)
      })
    }
  }
})

describe('decompression (request side)', () => {
  it('passes unencoded and identity bodies through', async () => {
    const plain = await oneshot(decompression()(echo), new Request('http://x/', { method: 'POST', body: 'abc' }))
    expect(await plain.text()).toBe('abc')
    const id = await oneshot(
      decompression()(echo),
      new Request('http://x/', { method: 'POST', body: 'abc', headers: { 'content-encoding': 'identity' } }),
    )
    expect(await id.text()).toBe('abc')
  })

  it('answers 415 with Accept-Encoding for an unsupported coding without calling the inner service', async () => {
    let called = 0
    const inner = serviceFn((_req: Request) => {
      called++
      return new Response('x')
    })
    const res = await oneshot(
      decompression({ br: false, zstd: false })(inner),
      new Request('http://x/', { method: 'POST', body: 'abc', headers: { 'content-encoding': 'br' } }),
    )
    expect(res.status).toBe(415)
    expect(res.headers.get('accept-encoding')).toBe('gzip,deflate')
    expect(await res.text()).toBe('')
    expect(called).toBe(0)
    const none = await oneshot(
      decompression({ br: false, zstd: false, gzip: false, deflate: false })(inner),
      new Request('http://x/', { method: 'POST', body: 'abc', headers: { 'content-encoding': 'gzip' } }),
    )
    expect(none.headers.get('accept-encoding')).toBe('identity')
  })

  it('passes an unsupported coding through when enabled (body still compressed, header kept)', async () => {
    const gz = zlib.gzipSync('payload')
    const res = await oneshot(
      decompression({ gzip: false, passThroughUnaccepted: true })(echo),
      new Request('http://x/', { method: 'POST', body: gz, headers: { 'content-encoding': 'gzip' } }),
    )
    expect(res.headers.get('x-content-encoding')).toBe('gzip')
    expect(Buffer.from(await res.arrayBuffer()).equals(gz)).toBe(true)
  })

  it('decodes stacked codings in reverse order and keeps extensions', async () => {
    const k = key<string>('k')
    const body = zlib.brotliCompressSync(zlib.gzipSync('two layers'))
    const req = new Request('http://x/', { method: 'POST', body, headers: { 'content-encoding': 'gzip, br' } })
    extensions(req).set(k, 'kept')
    const seen = serviceFn(async (r: Request) => new Response(`${await r.text()}|${extensions(r).get(k)}`))
    expect(await (await oneshot(decompression()(seen), req)).text()).toBe('two layers|kept')
  })

  it('a corrupt body errors the stream the inner service reads', async () => {
    const req = new Request('http://x/', {
      method: 'POST',
      body: 'not gzip at all',
      headers: { 'content-encoding': 'gzip' },
    })
    await expect(oneshot(decompression()(echo), req)).rejects.toThrow()
  })
})

describe('decompressResponse (client side)', () => {
  it('adds Accept-Encoding when absent and keeps one that is set', async () => {
    const seen: (string | null)[] = []
    const inner = serviceFn((req: Request) => {
      seen.push(req.headers.get('accept-encoding'))
      return new Response('ok')
    })
    await oneshot(decompressResponse()(inner), new Request('http://x/'))
    await oneshot(decompressResponse()(inner), new Request('http://x/', { headers: { 'accept-encoding': 'gzip' } }))
    await oneshot(
      decompressResponse({ gzip: false, deflate: false, br: false, zstd: false })(inner),
      new Request('http://x/'),
    )
    expect(seen).toEqual([availableEncodings().join(','), 'gzip', null])
  })

  it('decodes an enabled coding, removes the headers, passes others through', async () => {
    const gz = zlib.gzipSync('hello')
    const inner = serviceFn(
      (req: Request) =>
        new Response(req.url.endsWith('/gz') ? gz : 'plain', {
          headers: req.url.endsWith('/gz')
            ? { 'content-encoding': 'gzip', 'content-length': String(gz.length) }
            : { 'content-encoding': 'unknown' },
        }),
    )
    const res = await oneshot(decompressResponse()(inner), new Request('http://x/gz'))
    expect(res.headers.has('content-encoding')).toBe(false)
    expect(res.headers.has('content-length')).toBe(false)
    expect(await res.text()).toBe('hello')
    const other = await oneshot(decompressResponse()(inner), new Request('http://x/other'))
    expect(other.headers.get('content-encoding')).toBe('unknown')
    expect(await other.text()).toBe('plain')
    const off = await oneshot(decompressResponse({ gzip: false })(inner), new Request('http://x/gz'))
    expect(off.headers.get('content-encoding')).toBe('gzip')
  })

  it('decodes concatenated gzip members and an empty body', async () => {
    const multi = Buffer.concat([zlib.gzipSync('one '), zlib.gzipSync('two')])
    const empty = zlib.gzipSync('')
    const inner = serviceFn(
      (req: Request) =>
        new Response(req.url.endsWith('/multi') ? multi : empty, { headers: { 'content-encoding': 'gzip' } }),
    )
    expect(await (await oneshot(decompressResponse()(inner), new Request('http://x/multi'))).text()).toBe('one two')
    expect(await (await oneshot(decompressResponse()(inner), new Request('http://x/empty'))).text()).toBe('')
  })

  it('brotli rejects extra data after the end of the stream without waiting for the end of the body', async () => {
    const good = zlib.brotliCompressSync('hello')
    const chunks = [good, Buffer.from('extra'), Buffer.from('never needed')]
    const body = new ReadableStream<Uint8Array>({
      pull(c): Promise<void> | undefined {
        const next = chunks.shift()
        // Never ends: were the decoder to wait for the end of the body, this test would time out.
        if (next === undefined) return new Promise(() => {})
        c.enqueue(next)
        return undefined
      },
    })
    const inner = serviceFn(() => new Response(body, { headers: { 'content-encoding': 'br' } }))
    const res = await oneshot(decompressResponse()(inner), new Request('http://x/'))
    const error = await res.text().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ContentDecodingError)
    expect((error as ContentDecodingError).code).toBe('ERR_CONTENT_DECODING')
  })

  it.skipIf(!zstdAvailable)('decodes concatenated zstd frames', async () => {
    const z = zlib as unknown as { zstdCompressSync(b: string): Buffer }
    const multi = Buffer.concat([z.zstdCompressSync('one '), z.zstdCompressSync('two')])
    const inner = serviceFn(() => new Response(multi, { headers: { 'content-encoding': 'zstd' } }))
    expect(await (await oneshot(decompressResponse()(inner), new Request('http://x/'))).text()).toBe('one two')
    // Frames split across chunks at every offset, then garbage after the last frame.
    for (let cut = 1; cut < multi.length; cut += 3) {
      const split = serviceFn(
        () =>
          new Response(chunked(multi, cut), {
            headers: { 'content-encoding': 'zstd' },
          }),
      )
      expect(await (await oneshot(decompressResponse()(split), new Request('http://x/'))).text()).toBe('one two')
    }
    const junk = serviceFn(
      () =>
        new Response(Buffer.concat([multi, Buffer.from('junk')]), {
          headers: { 'content-encoding': 'zstd' },
        }),
    )
    const res = await oneshot(decompressResponse()(junk), new Request('http://x/'))
    await expect(res.text()).rejects.toBeInstanceOf(ContentDecodingError)
  })

  it('deflate with trailing data is rejected', async () => {
    const body = Buffer.concat([zlib.deflateSync('data'), Buffer.from('trailing')])
    const inner = serviceFn(() => new Response(body, { headers: { 'content-encoding': 'deflate' } }))
    const res = await oneshot(decompressResponse()(inner), new Request('http://x/'))
    await expect(res.text()).rejects.toBeInstanceOf(ContentDecodingError)
  })
})

describe('maxDecodedBytes and pulling', () => {
  const zeros = zlib.gzipSync(Buffer.alloc(64 * 1024))
  const post = () =>
    new Request('http://x/', {
      method: 'POST',
      body: zeros,
      headers: { 'content-encoding': 'gzip' },
      duplex: 'half',
    } as RequestInit)

  it('a body decoding past the cap fails the read with LengthLimitError and is answered 413', async () => {
    let seen: unknown
    const reader = serviceFn(async (req: Request) => {
      try {
        await req.arrayBuffer()
      } catch (error) {
        seen = error
        throw error
      }
      return new Response('read')
    })
    const res = await oneshot(decompression({ maxDecodedBytes: 1000 })(reader), post())
    expect(res.status).toBe(413)
    expect(await res.text()).toBe('decoded body over 1000 bytes')
    expect(seen).toBeInstanceOf(LengthLimitError)
    // Under the cap, or with the cap off, the whole body is read.
    for (const maxDecodedBytes of [64 * 1024, Number.POSITIVE_INFINITY]) {
      const ok = await oneshot(decompression({ maxDecodedBytes })(echo), post())
      expect(ok.headers.get('x-len')).toBe(String(64 * 1024))
    }
    expect(() => decompression({ maxDecodedBytes: -1 })).toThrow(RangeError)
  })

  it('caps a decoded response too (decompressResponse)', async () => {
    const inner = serviceFn(() => new Response(zeros, { headers: { 'content-encoding': 'gzip' } }))
    const res = await oneshot(decompressResponse({ maxDecodedBytes: 1000 })(inner), new Request('http://x/'))
    await expect(res.arrayBuffer()).rejects.toBeInstanceOf(LengthLimitError)
  })

  it('decodes nothing until the body is read: a service that ignores it never pulls the source', async () => {
    let pulls = 0
    const source = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          pulls++
          c.enqueue(zeros)
          c.close()
        },
      },
      { highWaterMark: 0 }, // pulled only when read
    )
    const ignoring = serviceFn(async () => new Response('ignored'))
    const req = new Request('http://x/', {
      method: 'POST',
      body: source,
      headers: { 'content-encoding': 'gzip' },
      duplex: 'half',
    } as RequestInit)
    const res = await oneshot(decompression()(ignoring), req)
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
    expect(await res.text()).toBe('ignored')
    expect(pulls).toBe(0)
  })
})

import { promisify } from 'node:util'
import * as zlib from 'node:zlib'
import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { extensions, key } from '../extensions/index'
import { serve } from '../serve/index'
import { negotiate, parseQ, zstdAvailable } from './encoding'
import { allOf, compression, defaultPredicate } from './index'

const big = 'hello compression '.repeat(100)
const all = zstdAvailable ? (['zstd', 'br', 'gzip', 'deflate'] as const) : (['br', 'gzip', 'deflate'] as const)

function app(init: ResponseInit = {}, body: BodyInit | null = big) {
  return serviceFn((_req: Request) => new Response(body, init))
}
function get(ae?: string): Request {
  return new Request('http://x/', ae === undefined ? {} : { headers: { 'accept-encoding': ae } })
}
const decoders: Record<string, (b: Buffer) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
}

describe('Accept-Encoding negotiation (content_encoding.rs)', () => {
  const s = ['br', 'gzip', 'deflate'] as const
  const cases: [string, string | undefined][] = [
    ['gzip,br', 'br'],
    ['gzip,x-gzip', 'gzip'],
    ['deflate,x-gzip', 'gzip'],
    ['gzip;q=0.5,br', 'br'],
    ['gzip;q=0.8,br;q=0.5', 'gzip'],
    ['gzip;q=0.6,deflate;q=0.8,br;q=0.5', 'deflate'],
    ['gzip;q=0', 'identity'],
    ['gZiP', 'gzip'],
    [' gzip\t; q=0.5 ,\tbr ;\tq=0.8\t', 'br'],
    ['gzip;q =0.5', 'identity'],
    ['gzip;q=-0.1', 'identity'],
    ['gzip;q=00.5', 'identity'],
    ['gzip;q=0.5000', 'identity'],
    ['gzip;q=.5', 'identity'],
    ['gzip;q=1.01', 'identity'],
    ['gzip;Q=0.5', 'gzip'],
    ['*', 'br'],
    ['*;q=0.5,gzip;q=1', 'gzip'],
    ['*;q=0,identity', 'identity'],
    ['*;q=0', undefined],
    ['identity;q=0', undefined],
    ['identity;q=0,gzip', 'gzip'],
    ['unknown', 'identity'],
    ['', 'identity'],
  ]
  it.each(cases)('%j → %s', (header, expected) => {
    expect(negotiate(header, s)).toBe(expected)
  })
  it('no header → identity; wildcard with partial server support picks the best supported', () => {
    expect(negotiate(null, s)).toBe('identity')
    expect(negotiate('*', ['gzip'])).toBe('gzip')
    expect(negotiate('*;q=0,br', ['gzip'])).toBe(undefined)
    expect(negotiate('*', ['zstd', 'br'])).toBe('zstd')
  })
  it('parses q values strictly', () => {
    expect(parseQ('q=1')).toBe(1000)
    expect(parseQ('q=1.000')).toBe(1000)
    expect(parseQ('q=0.125')).toBe(125)
    expect(parseQ('q=0.')).toBe(0)
    expect(parseQ('q=1.001')).toBe(undefined)
    expect(parseQ('x=1')).toBe(undefined)
  })
})

describe('compression', () => {
  it.each(all.filter((e) => e !== 'zstd'))('%s round-trips and sets the headers', async (enc) => {
    const svc = compression()(app({ headers: { 'content-length': String(big.length), 'accept-ranges': 'bytes' } }))
    const res = await oneshot(svc, get(enc))
    expect(res.headers.get('content-encoding')).toBe(enc)
    expect(res.headers.get('vary')).toBe('accept-encoding')
    expect(res.headers.has('content-length')).toBe(false)
    expect(res.headers.has('accept-ranges')).toBe(false)
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.length).toBeLessThan(big.length)
    expect((await (decoders[enc] as (b: Buffer) => Promise<Buffer>)(bytes)).toString()).toBe(big)
  })

  it('x-gzip works as gzip', async () => {
    const res = await oneshot(compression()(app()), get('x-gzip'))
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(zlib.gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(big)
  })

  it('never recompresses', async () => {
    const svc = compression()(app({ headers: { 'content-encoding': 'br' } }, 'already'))
    const res = await oneshot(svc, get('gzip'))
    expect(res.headers.get('content-encoding')).toBe('br')
    expect(await res.text()).toBe('already')
  })

  it('does not compress ranges and keeps Accept-Ranges', async () => {
    const svc = compression()(
      app({ status: 206, headers: { 'content-range': 'bytes 0-599/1800', 'accept-ranges': 'bytes' } }),
    )
    const res = await oneshot(svc, get('gzip'))
    expect(res.headers.has('content-encoding')).toBe(false)
    expect(res.headers.get('accept-ranges')).toBe('bytes')
    expect(await res.text()).toBe(big)
  })

  it('does not compress images but compresses svg and grpc-web, not grpc or sse', async () => {
    const enc = async (ct: string) =>
      (await oneshot(compression()(app({ headers: { 'content-type': ct } })), get('gzip'))).headers.get(
        'content-encoding',
      )
    expect(await enc('image/png')).toBe(null)
    expect(await enc('image/svg+xml')).toBe('gzip')
    expect(await enc('application/grpc-web+proto')).toBe('gzip')
    expect(await enc('application/grpc')).toBe(null)
    expect(await enc('text/event-stream')).toBe(null)
    expect(await enc('text/html')).toBe('gzip')
  })

  it('leaves bodies under 32 bytes alone (size from Content-Length or a complete body)', async () => {
    const small = await oneshot(compression()(app({}, 'x'.repeat(31))), get('gzip'))
    expect(small.headers.has('content-encoding')).toBe(false)
    expect(small.headers.has('vary')).toBe(false)
    expect(await small.text()).toBe('x'.repeat(31))
    const exactly = await oneshot(compression()(app({}, 'x'.repeat(32))), get('gzip'))
    expect(exactly.headers.get('content-encoding')).toBe('gzip')
    const cl = await oneshot(compression()(app({ headers: { 'content-length': '10' } }, 'x'.repeat(10))), get('gzip'))
    expect(cl.headers.has('content-encoding')).toBe(false)
  })

  it('uses a custom predicate (replacing the default) that alternates', async () => {
    let n = 0
    const svc = compression({ predicate: allOf(defaultPredicate, () => n++ % 2 === 0) })(app())
    expect((await oneshot(svc, get('gzip'))).headers.get('content-encoding')).toBe('gzip')
    expect((await oneshot(svc, get('gzip'))).headers.get('content-encoding')).toBe(null)
  })

  it('only enabled codings are negotiated', async () => {
    const onlyDeflate = compression({ gzip: false, br: false, zstd: false })(app())
    expect((await oneshot(onlyDeflate, get('gzip, deflate, br'))).headers.get('content-encoding')).toBe('deflate')
    const onlyBr = compression({ gzip: false, deflate: false, zstd: false })(app())
    expect((await oneshot(onlyBr, get('gzip, deflate, br'))).headers.get('content-encoding')).toBe('br')
  })

  it('quality matches brotli at the same level', async () => {
    const res = await oneshot(compression({ quality: 'best', gzip: false })(app()), get('br'))
    const expected = zlib.brotliCompressSync(big, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } })
    expect(Buffer.from(await res.arrayBuffer()).equals(expected)).toBe(true)
  })

  it('identity keeps the body and adds Vary', async () => {
    const res = await oneshot(compression()(app()), get())
    expect(res.headers.has('content-encoding')).toBe(false)
    expect(res.headers.get('vary')).toBe('accept-encoding')
    expect(await res.text()).toBe(big)
  })

  it('keeps the inner Vary and does not duplicate accept-encoding', async () => {
    const res = await oneshot(compression()(app({ headers: { vary: 'origin' } })), get('gzip'))
    expect(res.headers.get('vary')).toBe('origin, accept-encoding')
    const twice = await oneshot(compression()(compression()(app())), get('identity'))
    expect(twice.headers.get('vary')).toBe('accept-encoding')
  })

  it('406 when nothing is acceptable (wildcard q=0, identity q=0), body kept', async () => {
    for (const ae of ['*;q=0', 'identity;q=0']) {
      const res = await oneshot(compression()(app()), get(ae))
      expect(res.status).toBe(406)
      expect(res.headers.get('vary')).toBe('accept-encoding')
      expect(await res.text()).toBe(big)
    }
    const gz = await oneshot(compression()(app()), get('*;q=0, gzip'))
    expect(gz.headers.get('content-encoding')).toBe('gzip')
  })

  it('compresses a streamed body as it streams', async () => {
    let push!: (s: string) => void
    let end!: () => void
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        push = (s) => c.enqueue(new TextEncoder().encode(s))
        end = () => c.close()
      },
    })
    push('first chunk of a long stream, long enough to be worth compressing')
    const res = await oneshot(compression()(app({}, body)), get('gzip'))
    expect(res.headers.get('content-encoding')).toBe('gzip')
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const got: Uint8Array[] = []
    // The first compressed bytes arrive before the stream ends.
    const inflater = zlib.createGunzip()
    const partial: Buffer[] = []
    inflater.on('data', (d: Buffer) => partial.push(d))
    // Without a flush these reads would wait for the end of the stream (and the test would time out).
    while (!Buffer.concat(partial).toString().includes('first chunk')) {
      const r = await reader.read()
      got.push(r.value as Uint8Array)
      await new Promise<void>((res) => inflater.write(r.value, () => inflater.flush(() => res())))
    }
    push(' second')
    end()
    for (;;) {
      const r = await reader.read()
      if (r.done) break
      got.push(r.value)
    }
    expect(zlib.gunzipSync(Buffer.concat(got)).toString()).toBe(
      'first chunk of a long stream, long enough to be worth compressing second',
    )
  })

  it('passes null bodies and 204/304 through', async () => {
    const res = await oneshot(compression()(app({ status: 204 }, null)), get('gzip'))
    expect(res.status).toBe(204)
    expect(res.headers.has('content-encoding')).toBe(false)
  })

  it('a compressed response keeps the inner response extensions', async () => {
    const k = key<string>('k')
    const svc = serviceFn(() => {
      const res = new Response(big)
      extensions(res).set(k, 'kept')
      return res
    })
    const res = await oneshot(compression()(svc), get('gzip'))
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(extensions(res).get(k)).toBe('kept')
  })

  it('forwards readiness and names the layer', () => {
    const inner = app()
    const svc = compression()(inner)
    expect(svc.layerName).toBe('compression')
    expect(svc.inner).toBe(inner)
    expect(svc.ready()).toBe(undefined)
  })

  it('over serve(): a real fetch client decodes what the layer sent', async () => {
    const server = await serve(compression()(app({ headers: { 'content-type': 'text/plain' } })), {
      port: 0,
      hostname: '127.0.0.1',
    })
    try {
      for (const enc of ['gzip', 'br', 'deflate']) {
        const res = await fetch(`http://127.0.0.1:${server.port}/`, { headers: { 'accept-encoding': enc } })
        expect(res.headers.get('content-encoding')).toBe(enc)
        expect(res.headers.get('vary')).toBe('accept-encoding')
        expect(await res.text()).toBe(big)
      }
    } finally {
      await server.close()
    }
  })

  it.skipIf(!zstdAvailable)('zstd at best quality stays web-safe (window ≤ 8 MiB)', async () => {
    const zeros = new Uint8Array(18 * 1024 * 1024)
    const res = await oneshot(compression({ quality: 'best' })(app({}, zeros)), get('zstd'))
    expect(res.headers.get('content-encoding')).toBe('zstd')
    const z = zlib as unknown as { zstdDecompressSync(b: Buffer, o: object): Buffer }
    const c = zlib.constants as unknown as Record<string, number>
    const params = { [c.ZSTD_d_windowLogMax as number]: 23 }
    const out = z.zstdDecompressSync(Buffer.from(await res.arrayBuffer()), { params })
    expect(out.length).toBe(zeros.length)
  })
})

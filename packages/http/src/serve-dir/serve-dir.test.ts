// Size: every topic reads one fixture directory (built in beforeAll, a secret just outside its root); split, each file would build it.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as zlib from 'node:zlib'
import { oneshot, serviceFn } from '@turret/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redirect } from '../redirect/index'
import { serve } from '../serve/index'
import { serveDir, serveFile } from './index'
import { safePathComponents } from './path'

const SECRET = 'TOP-SECRET-7f3a9c'
let base: string
let root: string
const readme = '# Hello\n\nThis is the readme of the served directory, long enough for ranges.\n'
const MTIME = new Date('2026-01-02T03:04:05Z')

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'turret-serve-dir-'))
  root = join(base, 'public')
  mkdirSync(root)
  writeFileSync(join(base, 'secret.txt'), SECRET)
  writeFileSync(join(base, 'public-secret.txt'), SECRET) // shares the root's name as a prefix
  writeFileSync(join(root, 'README.md'), readme)
  writeFileSync(join(root, 'index.html'), '<h1>root index</h1>')
  writeFileSync(join(root, 'empty.txt'), '')
  writeFileSync(join(root, 'data.json'), '{"a":1}')
  writeFileSync(join(root, 'page.html'), 'page')
  writeFileSync(join(root, '日本語 file.txt'), 'cjk')
  mkdirSync(join(root, 'src'))
  writeFileSync(join(root, 'src', 'index.html'), '<h1>src index</h1>')
  mkdirSync(join(root, 'emptydir'))
  writeFileSync(join(root, 'app.js'), 'console.log("uncompressed")')
  writeFileSync(join(root, 'app.js.gz'), zlib.gzipSync('console.log("gzip")'))
  writeFileSync(join(root, 'app.js.br'), zlib.brotliCompressSync('console.log("br")'))
  writeFileSync(join(root, 'app.js.zz'), zlib.deflateSync('console.log("deflate")'))
  writeFileSync(join(root, 'only-br.txt'), 'plain')
  writeFileSync(join(root, 'only-br.txt.br'), zlib.brotliCompressSync('brotli only'))
  writeFileSync(join(root, 'gz-only.txt.gz'), zlib.gzipSync('gz only'))
  utimesSync(join(root, 'README.md'), MTIME, MTIME)
})
afterAll(() => rmSync(base, { recursive: true, force: true }))

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Request {
  return new Request(`http://localhost${path}`, { method, headers })
}
const dir = (o = {}) => serveDir(root, o)

describe('serveDir: basics', () => {
  it('serves a file with content type, length, validators and Accept-Ranges', async () => {
    const res = await oneshot(dir(), get('/README.md'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    expect(res.headers.get('content-length')).toBe(String(readme.length))
    expect(res.headers.get('accept-ranges')).toBe('bytes')
    expect(res.headers.get('last-modified')).toBe(MTIME.toUTCString())
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/)
    expect(res.headers.has('vary')).toBe(false)
    expect(await res.text()).toBe(readme)
  })

  it('unknown extensions are application/octet-stream; json from the table', async () => {
    writeFileSync(join(root, 'blob.xyz'), 'b')
    expect((await oneshot(dir(), get('/blob.xyz'))).headers.get('content-type')).toBe('application/octet-stream')
    expect((await oneshot(dir(), get('/data.json'))).headers.get('content-type')).toBe('application/json')
  })

  it('HEAD has the same headers and no body', async () => {
    const res = await oneshot(dir(), get('/README.md', {}, 'HEAD'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe(String(readme.length))
    expect(res.body).toBe(null)
  })

  it('serves index.html for / and directories with a slash; 307 adds the slash', async () => {
    expect(await (await oneshot(dir(), get('/'))).text()).toBe('<h1>root index</h1>')
    expect(await (await oneshot(dir(), get('/src/'))).text()).toBe('<h1>src index</h1>')
    const cases: [string, string, string][] = [
      ['/foo', '/src', '/foo/src/'],
      ['/foo/', '/src', '/foo//src/'],
      ['', '/src', '/src/'],
      ['/foo', '/src?key=value', '/foo/src/?key=value'],
      ['/foo', '/s%72c', '/foo/s%72c/'],
      // Never a protocol-relative Location (an open redirect to the host "src").
      ['', '//src', '/src/'],
    ]
    for (const [prefix, path, location] of cases) {
      const res = await oneshot(dir({ redirectPathPrefix: prefix }), get(path))
      expect(res.status).toBe(307)
      expect(res.headers.get('location')).toBe(location)
    }
  })

  it('404s: missing file, file with trailing slash, empty dir without index, index disabled', async () => {
    expect((await oneshot(dir(), get('/nope.txt'))).status).toBe(404)
    expect((await oneshot(dir(), get('/index.html/'))).status).toBe(404)
    expect((await oneshot(dir(), get('/emptydir/'))).status).toBe(404)
    expect((await oneshot(dir({ appendIndexHtmlOnDirectories: false }), get('/src/'))).status).toBe(404)
  })

  it('a FIFO (not a regular file) is 404 and does not hang', async () => {
    execFileSync('mkfifo', [join(root, 'pipe.txt')])
    expect((await oneshot(dir(), get('/pipe.txt'))).status).toBe(404)
  })

  it('percent-encoded CJK and space names', async () => {
    const res = await oneshot(dir(), get(`/${encodeURIComponent('日本語 file.txt')}`))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('cjk')
  })

  it('html as default extension only for a missing extensionless path', async () => {
    expect(await (await oneshot(dir({ htmlAsDefaultExtension: true }), get('/page'))).text()).toBe('page')
    expect((await oneshot(dir(), get('/page'))).status).toBe(404)
  })

  it('405 with Allow for other methods, or the fallback when asked', async () => {
    const res = await oneshot(dir(), get('/README.md', {}, 'POST'))
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET,HEAD')
    const fb = serviceFn((_r: Request) => new Response('fallback', { status: 200 }))
    expect((await oneshot(dir({ fallback: fb }), get('/README.md', {}, 'PUT'))).status).toBe(405)
    const on = await oneshot(dir({ fallback: fb, callFallbackOnMethodNotAllowed: true }), get('/x', {}, 'PUT'))
    expect(await on.text()).toBe('fallback')
  })

  it('fallback keeps its status; notFoundService forces 404', async () => {
    const fb = serviceFn((r: Request) => new Response(`fb ${new URL(r.url).pathname}`, { status: 200 }))
    const a = await oneshot(dir({ fallback: fb }), get('/missing'))
    expect(a.status).toBe(200)
    expect(await a.text()).toBe('fb /missing')
    const b = await oneshot(dir({ notFoundService: fb }), get('/missing'))
    expect(b.status).toBe(404)
    expect(await b.text()).toBe('fb /missing')
    const c = await oneshot(dir({ fallback: redirect.temporary('/') }), get('/weird_%c3%28_path'))
    expect(c.status).toBe(307)
    expect(c.headers.get('location')).toBe('/')
  })
})

describe('serveDir: precompressed', () => {
  it('serves the best acceptable configured variant with Content-Encoding and Vary', async () => {
    const all = dir({ precompressed: ['gzip', 'br', 'deflate'] })
    const br = await oneshot(all, get('/app.js', { 'accept-encoding': 'gzip, br' }))
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(br.headers.get('vary')).toBe('accept-encoding')
    expect(zlib.brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe('console.log("br")')
    const none = await oneshot(all, get('/app.js'))
    expect(none.headers.has('content-encoding')).toBe(false)
    expect(none.headers.get('vary')).toBe('accept-encoding')
    expect(await none.text()).toBe('console.log("uncompressed")')
    const ident = await oneshot(all, get('/app.js', { 'accept-encoding': 'identity' }))
    expect(await ident.text()).toBe('console.log("uncompressed")')
  })

  it('only configured variants are eligible', async () => {
    const d = await oneshot(dir({ precompressed: ['deflate'] }), get('/app.js', { 'accept-encoding': 'deflate,br' }))
    expect(d.headers.get('content-encoding')).toBe('deflate')
    expect(zlib.inflateSync(Buffer.from(await d.arrayBuffer())).toString()).toBe('console.log("deflate")')
    const g = await oneshot(dir({ precompressed: ['gzip'] }), get('/app.js', { 'accept-encoding': 'br' }))
    expect(g.headers.has('content-encoding')).toBe(false)
  })

  it('falls back to the next variant, then to the file', async () => {
    const res = await oneshot(
      dir({ precompressed: ['gzip', 'br'] }),
      get('/only-br.txt', { 'accept-encoding': 'gzip,br,deflate' }),
    )
    expect(res.headers.get('content-encoding')).toBe('br')
    const gzOnly = await oneshot(
      dir({ precompressed: ['gzip', 'br'] }),
      get('/only-br.txt', { 'accept-encoding': 'gzip' }),
    )
    expect(gzOnly.headers.has('content-encoding')).toBe(false)
    expect(await gzOnly.text()).toBe('plain')
  })

  it('a file that exists only as .gz is 404 unless gzip is accepted', async () => {
    const d = dir({ precompressed: ['gzip'] })
    expect((await oneshot(d, get('/gz-only.txt'))).status).toBe(404)
    const ok = await oneshot(d, get('/gz-only.txt', { 'accept-encoding': 'gzip' }))
    expect(ok.status).toBe(200)
    expect(zlib.gunzipSync(Buffer.from(await ok.arrayBuffer())).toString()).toBe('gz only')
  })
})

describe('serveDir: ranges', () => {
  it('single range → 206 with Content-Range; end clamped; suffix ranges', async () => {
    const r = await oneshot(dir(), get('/README.md', { range: 'bytes=2-6' }))
    expect(r.status).toBe(206)
    expect(r.headers.get('content-range')).toBe(`bytes 2-6/${readme.length}`)
    expect(r.headers.get('content-length')).toBe('5')
    expect(await r.text()).toBe(readme.slice(2, 7))
    const clamped = await oneshot(dir(), get('/README.md', { range: 'bytes=10-99999' }))
    expect(clamped.status).toBe(206)
    expect(await clamped.text()).toBe(readme.slice(10))
    const suffix = await oneshot(dir(), get('/README.md', { range: 'bytes=-5' }))
    expect(await suffix.text()).toBe(readme.slice(-5))
  })

  it('empty file with bytes=0- → 206 bytes 0-0/0, length 0', async () => {
    const r = await oneshot(dir(), get('/empty.txt', { range: 'bytes=0-' }))
    expect(r.status).toBe(206)
    expect(r.headers.get('content-range')).toBe('bytes 0-0/0')
    expect(r.headers.get('content-length')).toBe('0')
    expect(await r.text()).toBe('')
  })

  it('unparsable or unsatisfiable → 416 bytes */size; multipart → 416 with a message', async () => {
    for (const range of ['bytes=abc', 'bytes=99999-', 'bytes=-0']) {
      const r = await oneshot(dir(), get('/README.md', { range }))
      expect(r.status, range).toBe(416)
      expect(r.headers.get('content-range')).toBe(`bytes */${readme.length}`)
    }
    for (const range of ['bytes=0-1,3-4', 'bytes=0-5,2-8']) {
      const r = await oneshot(dir(), get('/README.md', { range }))
      expect(r.status).toBe(416)
      expect(await r.text()).toBe('Cannot serve multipart range requests')
    }
  })

  it('an unknown range unit or an invalid range (last before first) is ignored: 200 with the whole file (RFC 9110 §14.2)', async () => {
    for (const range of ['items=0-1', 'bytes=5-2']) {
      const r = await oneshot(dir(), get('/README.md', { range }))
      expect(r.status, range).toBe(200)
      expect(r.headers.get('content-range'), range).toBeNull()
      expect(await r.text(), range).toBe(readme)
    }
  })

  it('If-Range with a different validator serves the whole file', async () => {
    const r = await oneshot(dir(), get('/README.md', { range: 'bytes=0-1', 'if-range': '"other"' }))
    expect(r.status).toBe(200)
    const etag = (await oneshot(dir(), get('/README.md'))).headers.get('etag') as string
    expect((await oneshot(dir(), get('/README.md', { range: 'bytes=0-1', 'if-range': etag }))).status).toBe(206)
  })
})

describe('serveDir: conditional requests (RFC 9110 order)', () => {
  let etag: string
  beforeAll(async () => {
    etag = (await oneshot(dir(), get('/README.md'))).headers.get('etag') as string
  })
  const before = new Date(MTIME.getTime() - 60_000).toUTCString()
  const after = new Date(MTIME.getTime() + 60_000).toUTCString()
  const status = async (h: Record<string, string>) => (await oneshot(dir(), get('/README.md', h))).status

  it('If-Match: strong match or * passes, mismatch or weak → 412', async () => {
    expect(await status({ 'if-match': etag })).toBe(200)
    expect(await status({ 'if-match': `"x", ${etag}` })).toBe(200)
    expect(await status({ 'if-match': '*' })).toBe(200)
    expect(await status({ 'if-match': '"nope"' })).toBe(412)
    expect(await status({ 'if-match': `W/${etag}` })).toBe(412)
  })

  it('If-Unmodified-Since → 412 when modified after; ignored when If-Match is present', async () => {
    expect(await status({ 'if-unmodified-since': before })).toBe(412)
    expect(await status({ 'if-unmodified-since': after })).toBe(200)
    expect(await status({ 'if-match': etag, 'if-unmodified-since': before })).toBe(200)
  })

  it('If-None-Match (weak compare, lists, *) → 304 with ETag and Last-Modified', async () => {
    const res = await oneshot(dir(), get('/README.md', { 'if-none-match': `W/${etag}` }))
    expect(res.status).toBe(304)
    expect(res.headers.get('etag')).toBe(etag)
    expect(res.headers.get('last-modified')).toBe(MTIME.toUTCString())
    expect(await status({ 'if-none-match': `"a", ${etag}` })).toBe(304)
    expect(await status({ 'if-none-match': '*' })).toBe(304)
    expect(await status({ 'if-none-match': '"a"' })).toBe(200)
  })

  it('If-Modified-Since → 304 unless modified; ignored when If-None-Match is present', async () => {
    expect(await status({ 'if-modified-since': after })).toBe(304)
    expect(await status({ 'if-modified-since': MTIME.toUTCString() })).toBe(304)
    expect(await status({ 'if-modified-since': before })).toBe(200)
    expect(await status({ 'if-none-match': '"a"', 'if-modified-since': after })).toBe(200)
  })

  it('412 wins over 304 (If-Match is evaluated first)', async () => {
    expect(await status({ 'if-match': '"nope"', 'if-none-match': etag })).toBe(412)
  })
})

// Hostile paths, as sent on the wire (the raw request target).
const CORPUS = [
  '/../secret.txt',
  '/../../secret.txt',
  '/..%2fsecret.txt',
  '/..%2Fsecret.txt',
  '/%2e%2e/secret.txt',
  '/%2e%2e%2fsecret.txt',
  '/%2E%2E%2Fsecret.txt',
  '/.%2e/secret.txt',
  '/%2e./secret.txt',
  '/src/../../secret.txt',
  '/src/%2e%2e/%2e%2e/secret.txt',
  '/src/..%2f..%2fsecret.txt',
  '/..%5csecret.txt',
  '/..%5C..%5Csecret.txt',
  '/%5c..%5csecret.txt',
  '/..\\secret.txt',
  '/src\\..\\..\\secret.txt',
  '/%252e%252e/secret.txt',
  '/..%252fsecret.txt',
  '/%c0%ae%c0%ae/secret.txt',
  '/%c0%ae%c0%ae%c0%afsecret.txt',
  '/%e0%80%ae%e0%80%ae/secret.txt',
  '/..%00/secret.txt',
  '/secret.txt%00.html',
  '/%00',
  '/README.md%00',
  '/C:/windows/win.ini',
  '/c:%5cwindows%5cwin.ini',
  '/anypath/c%3A/secret.txt',
  '/anypath/C:..%2f..%2fsecret.txt',
  '/%2f..%2fsecret.txt',
  '//../secret.txt',
  '/%2Ftmp%2Fsecret.txt',
  '/....//secret.txt',
  '/..;/secret.txt',
  '/.%00./secret.txt',
  '/%ff%fe/secret.txt',
  '/public-secret.txt/../../public-secret.txt',
  '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
  '/../../../../../../etc/passwd',
  '/%2e%2e%5c%2e%2e%5csecret.txt',
  '/%',
  '/%zz',
]

describe('serveDir: traversal corpus', () => {
  it('has at least 30 hostile paths', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30)
  })

  it('rejects the unsafe components directly', () => {
    for (const p of ['/..%2fx', '/a/%2e%2e%2fx', '/%00', '/a%5cb', '/C:/x', '/a/c%3A/b', '/%c0%ae', '/%']) {
      expect(safePathComponents(p), p).toBe(undefined)
    }
    expect(safePathComponents('/a/./b//c')).toEqual(['a', 'b', 'c'])
  })

  it('each path over a real server is 404 or 400 and never leaks a file outside the root', async () => {
    const absolute = `/%2F${encodeURIComponent(join(base, 'secret.txt'))}`
    const server = await serve(dir(), { port: 0, hostname: '127.0.0.1', onError: () => {} })
    try {
      for (const path of [...CORPUS, absolute]) {
        const { status, body } = await rawGet(server.port, path)
        expect([400, 404], `${path} → ${status}`).toContain(status)
        expect(body, path).not.toContain(SECRET)
      }
    } finally {
      await server.close()
    }
  })

  it('each path through oneshot (URL-normalised) never leaks either', async () => {
    for (const path of CORPUS) {
      let res: Response
      try {
        res = await oneshot(dir(), get(path))
      } catch {
        continue // not even a valid URL
      }
      expect([400, 404], `${path} → ${res.status}`).toContain(res.status)
      expect(await res.text()).not.toContain(SECRET)
    }
  })
})

function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET', insecureHTTPParser: true }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('serveFile', () => {
  it('serves one file whatever the path, with ranges and HEAD', async () => {
    const f = serveFile(join(root, 'README.md'))
    const res = await oneshot(f, get('/anything/at/all'))
    expect(await res.text()).toBe(readme)
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    expect(await (await oneshot(f, get('/', { range: 'bytes=0-0' }))).text()).toBe('#')
    expect((await oneshot(f, get('/', {}, 'HEAD'))).body).toBe(null)
    expect((await oneshot(f, get('/', {}, 'DELETE'))).status).toBe(405)
  })

  it('content type override, precompressed sibling, missing file → 404', async () => {
    const f = serveFile(join(root, 'app.js'), { contentType: 'application/x-custom', precompressed: ['gzip'] })
    const res = await oneshot(f, get('/', { 'accept-encoding': 'gzip' }))
    expect(res.headers.get('content-type')).toBe('application/x-custom')
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect((await oneshot(serveFile(join(root, 'missing')), get('/'))).status).toBe(404)
  })
})

describe('serveDir over serve(): streams a large file', () => {
  it('sends a multi-chunk file intact', async () => {
    const big = Buffer.alloc(300_000, 'abcdefghijklmnopqrstuvwxyz')
    writeFileSync(join(root, 'big.bin'), big)
    const server = await serve(serveDir(root, { chunkSize: 16_384 }), { port: 0, hostname: '127.0.0.1' })
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/big.bin`)
      expect(res.status).toBe(200)
      expect(Buffer.from(await res.arrayBuffer()).equals(big)).toBe(true)
    } finally {
      await server.close()
    }
  })
})

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type DevEventSource, type DevServer, dev } from './index'

vi.setConfig({ testTimeout: 20_000 })

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url))
const servers: DevServer[] = []
const logs: string[] = []
const quiet = { onOutput: () => {}, watch: false, port: 0 } as const

async function start(module: string, eventSource: DevEventSource): Promise<DevServer> {
  const server = await dev(join(fixtures, module), { ...quiet, eventSource, log: (line) => logs.push(line) })
  servers.push(server)
  return server
}

let v2: DevServer
const others = {} as Record<'v1' | 'alb' | 'url', DevServer>

beforeAll(async () => {
  ;[v2, others.v1, others.alb, others.url] = await Promise.all([
    start('turret-app.ts', 'apigw-v2'),
    start('turret-app.ts', 'apigw-v1'),
    start('turret-app.ts', 'alb'),
    start('turret-app.ts', 'function-url'),
  ])
  // Cold starts (a node + tsx child per server) happen here, not inside the tests' time budget.
  await Promise.all([v2, ...Object.values(others)].map((s) => fetch(`${s.url}/warm-up`).then((r) => r.arrayBuffer())))
}, 90_000)
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
})

const binary = new Uint8Array(256).map((_, i) => i)

describe('turret dev: a turret app behind API Gateway v2 events', () => {
  it('answers real HTTP requests and logs one line per request', async () => {
    const res = await fetch(`${v2.url}/hello?name=ada`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain')
    expect(await res.text()).toBe('hello ada')
    expect(logs).toContainEqual(expect.stringMatching(/^GET \/hello\?name=ada 200 \d+ms$/))
  })

  it('carries request cookies in and sets several cookies out', async () => {
    const res = await fetch(`${v2.url}/cookies`, { headers: { cookie: 'a=1; b=2' } })
    expect(res.status).toBe(201)
    expect(res.headers.getSetCookie()).toEqual(['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/'])
    expect(await res.json()).toEqual({ cookie: 'a=1; b=2' })
  })

  it('round-trips a binary request body and serves a binary response byte for byte', async () => {
    const echo = await fetch(`${v2.url}/echo`, {
      method: 'POST',
      body: binary,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(echo.status).toBe(200)
    expect(new Uint8Array(await echo.arrayBuffer())).toEqual(binary)
    const png = await fetch(`${v2.url}/binary`)
    expect(png.headers.get('content-type')).toBe('image/png')
    expect([...new Uint8Array(await png.arrayBuffer())]).toEqual([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255])
  })

  it('a text body, methods and query strings reach the app', async () => {
    const res = await fetch(`${v2.url}/missing?x=1&x=2`, { method: 'DELETE' })
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ method: 'DELETE', path: '/missing', query: '?x=1&x=2' })
    const text = await fetch(`${v2.url}/echo`, {
      method: 'PUT',
      body: 'héllo',
      headers: { 'content-type': 'text/plain' },
    })
    expect(await text.text()).toBe('héllo')
  })

  it('a failing function answers 5xx, and the server keeps serving', async () => {
    const res = await fetch(`${v2.url}/fail`)
    expect(res.status).toBeGreaterThanOrEqual(500)
    expect((await fetch(`${v2.url}/hello`)).status).toBe(200)
  })
})

describe.each(['v1', 'alb', 'url'] as const)('turret dev --event-source %s', (source) => {
  it('answers with status, cookies and binary bodies intact', async () => {
    const server = others[source]
    const hello = await fetch(`${server.url}/hello?name=${source}`)
    expect(await hello.text()).toBe(`hello ${source}`)
    const cookies = await fetch(`${server.url}/cookies`, { headers: { cookie: 'a=1' } })
    expect(cookies.status).toBe(201)
    expect(cookies.headers.getSetCookie()).toEqual(['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/'])
    expect(await cookies.json()).toEqual({ cookie: 'a=1' })
    const echo = await fetch(`${server.url}/echo`, {
      method: 'POST',
      body: binary,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(new Uint8Array(await echo.arrayBuffer())).toEqual(binary)
  })
})

describe('turret dev: results that are not valid HTTP (issue #17)', () => {
  it("a header value with CR/LF or a status of 1000 gives API Gateway's error answer and a log line; the next request is served", async () => {
    const v1 = await start('bad-results.mjs', 'apigw-v1')
    const http = await start('bad-results.mjs', 'apigw-v2')
    const seen = logs.length
    const reflected = await fetch(`${v1.url}/reflect?v=${encodeURIComponent('a\r\nSet-Cookie: evil=1')}`)
    expect(reflected.status).toBe(502)
    expect(reflected.headers.get('set-cookie')).toBeNull()
    expect((await fetch(`${v1.url}/status`)).status).toBe(502)
    // HTTP API (v2) answers a malformed function response 500, as for any other failure.
    expect((await fetch(`${http.url}/reflect?v=${encodeURIComponent('a\nb')}`)).status).toBe(500)
    expect(logs.slice(seen).some((line) => line.includes('not valid HTTP'))).toBe(true)
    const next = await fetch(`${v1.url}/ok`)
    expect([next.status, await next.text()]).toEqual([200, 'fine'])
  })

  it('a streamed prelude with status 1000 or a CR/LF header gives 502 and a log line; the next request is served', async () => {
    const server = await dev(join(fixtures, 'bad-results.mjs'), {
      ...quiet,
      eventSource: 'function-url',
      exportName: 'streamed',
      log: (line) => logs.push(line),
    })
    servers.push(server)
    const seen = logs.length
    const status = await fetch(`${server.url}/status`)
    expect(status.status).toBe(502)
    await status.arrayBuffer()
    const header = await fetch(`${server.url}/header`)
    expect(header.status).toBe(502)
    expect(header.headers.get('x-injected')).toBeNull()
    await header.arrayBuffer()
    expect(logs.slice(seen).filter((line) => line.includes('not valid HTTP'))).toHaveLength(2)
    const next = await fetch(`${server.url}/ok`)
    expect([next.status, await next.text()]).toEqual([200, 'streamed body'])
  })

  it('a malformed percent-encoded path is answered 400, and the next request is served', async () => {
    const res = await fetch(`${v2.url}/bad%E0%A4%A`)
    expect(res.status).toBe(400)
    expect((await fetch(`${v2.url}/hello`)).status).toBe(200)
  })
})

describe('turret dev: streaming and reload', () => {
  it('serves a streamed response (awslambda.streamifyResponse + HttpResponseStream prelude)', async () => {
    const server = await start('stream-app.mjs', 'function-url')
    const res = await fetch(`${server.url}/streamed`)
    expect(res.status).toBe(202)
    expect(res.headers.get('x-streamed')).toBe('yes')
    expect(res.headers.getSetCookie()).toEqual(['s=1; Path=/', 't=2'])
    // Streamed through as it arrives: chunked, no Content-Length.
    expect(res.headers.get('content-length')).toBeNull()
    expect(res.headers.get('transfer-encoding')).toBe('chunked')
    expect(await res.text()).toBe('chunk one, path /streamed')
    // An error after the head was sent (error trailers) cuts the connection, as a Function URL does.
    const failed = await fetch(`${server.url}/explode`)
    expect(failed.status).toBe(202)
    await expect(failed.text()).rejects.toThrow()
    expect((await fetch(`${server.url}/again`)).status).toBe(202)
  }, 30_000)

  it('restarts the function when the module changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'turret-dev-'))
    const file = join(dir, 'app.mjs')
    const version = (n: number) => `export const handler = async () => ({ statusCode: 200, body: 'version ${n}' })\n`
    writeFileSync(file, version(1))
    const lines: string[] = []
    const server = await dev(file, { port: 0, onOutput: () => {}, log: (l) => lines.push(l) })
    servers.push(server)
    try {
      expect(await (await fetch(server.url)).text()).toBe('version 1')
      writeFileSync(file, version(2))
      for (let i = 0; i < 100 && !lines.some((l) => l.startsWith('reloading')); i++)
        await new Promise((r) => setTimeout(r, 20))
      expect(lines).toContainEqual(expect.stringMatching(/^reloading \(app\.mjs changed\)$/))
      let body = ''
      for (let i = 0; i < 20 && body !== 'version 2'; i++) body = await (await fetch(server.url)).text()
      expect(body).toBe('version 2')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)
})

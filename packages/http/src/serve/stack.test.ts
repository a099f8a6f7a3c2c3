import { concurrencyLimit, describeStack, loadShed, ServiceBuilder, serviceFn } from '@turret/core'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { catchPanic } from '../catch-panic/index'
import { extensions } from '../extensions/index'
import { fromFetch } from '../fetch/index'
import { normalizePath } from '../normalize-path/index'
import { requestBodyLimit } from '../request-body-limit/index'
import { propagateRequestId, requestIdKey, setRequestId } from '../request-id/index'
import { sensitiveHeaders } from '../sensitive-headers/index'
import { setResponseHeader } from '../set-header/index'
import { requestTimeout } from '../timeout/index'
import { trace } from '../trace/index'
import { type Server, serve } from './index'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

describe('serve with core layers', () => {
  it('a real loadShed over concurrencyLimit(1) answers 503 at once while the slot is taken', async () => {
    const release = deferred()
    const entered = deferred()
    const svc = new ServiceBuilder<Request, Response>()
      .layer(loadShed())
      .layer(concurrencyLimit(1))
      .service(
        serviceFn(async () => {
          entered.resolve()
          await release.promise
          return new Response('slow done')
        }),
      )
    const server = await serve(svc, { port: 0, hostname: '127.0.0.1', onError: () => {} })
    servers.push(server)
    const first = fetch(`${server.url}/a`)
    await entered.promise
    const shed = await fetch(`${server.url}/b`)
    expect(shed.status).toBe(503)
    release.resolve()
    expect(await (await first).text()).toBe('slow done')
    // Capacity is back: the next request goes through.
    expect((await fetch(`${server.url}/c`)).status).toBe(200)
  })
})

describe('a Hono app behind a stack of turret HTTP layers, served over loopback', () => {
  it('request ids, trace with redaction, path normalization, body limit, timeout, catchPanic', async () => {
    const app = new Hono()
    app.get('/users/:id', (c) =>
      c.json({ id: c.req.param('id'), requestId: extensions(c.req.raw).get(requestIdKey) ?? null }),
    )
    app.post('/upload', async (c) => c.text(`got ${(await c.req.arrayBuffer()).byteLength}`))
    const logs: string[] = []
    const logger = {
      debug: (m: string, f: Record<string, unknown>) => logs.push(`${m} ${JSON.stringify(f)}`),
      error: (m: string, f: Record<string, unknown>) => logs.push(`${m} ${JSON.stringify(f)}`),
    }
    let n = 0
    const svc = new ServiceBuilder<Request, Response>()
      .layer(catchPanic())
      .layer(sensitiveHeaders(['authorization']))
      .layer(setRequestId({ makeRequestId: () => `id-${n++}` }))
      .layer(trace({ logger, includeHeaders: true }))
      .layer(propagateRequestId())
      .layer(setResponseHeader('x-powered-by', 'turret'))
      .layer(requestTimeout(5_000))
      .layer(normalizePath('trim'))
      .layer(requestBodyLimit(16))
      .service(fromFetch(app))
    expect(describeStack(svc)).toEqual([
      'catchPanic',
      'sensitiveHeaders',
      'setRequestId',
      'trace',
      'propagateRequestId',
      'setResponseHeader',
      'requestTimeout',
      'normalizePath',
      'requestBodyLimit',
      'fromFetch',
    ])
    const server = await serve(svc, { port: 0, hostname: '127.0.0.1', onError: () => {} })
    servers.push(server)

    const res = await fetch(`${server.url}/users/42/`, { headers: { authorization: 'Bearer hunter2' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toBe('id-0')
    expect(res.headers.get('x-powered-by')).toBe('turret')
    expect(await res.json()).toEqual({ id: '42', requestId: 'id-0' })

    const kept = await fetch(`${server.url}/users/7`, { headers: { 'x-request-id': 'client-id' } })
    expect(kept.headers.get('x-request-id')).toBe('client-id')
    await kept.text()

    expect(await (await fetch(`${server.url}/upload`, { method: 'POST', body: 'small' })).text()).toBe('got 5')
    expect((await fetch(`${server.url}/upload`, { method: 'POST', body: 'x'.repeat(17) })).status).toBe(413)

    const text = logs.join('\n')
    expect(text).toContain('started processing request')
    expect(text).toContain('"authorization":"[redacted]"')
    expect(text).not.toContain('hunter2')
  })
})

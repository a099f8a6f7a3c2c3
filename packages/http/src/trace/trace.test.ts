import { oneshot, serviceFn } from '@turret/core'
import { TestClock } from '@turret/core/testing'
import { describe, expect, it } from 'vitest'
import { type Failure, formatFailure, statusInRange } from '../classify/index'
import { sensitiveHeaders } from '../sensitive-headers/index'
import type { HttpService } from '../types'
import { trace } from './index'

function recorder() {
  const events = { request: 0, response: 0, chunks: [] as string[], eos: 0, failures: [] as string[] }
  const options = {
    onRequest: () => {
      events.request++
    },
    onResponse: () => {
      events.response++
    },
    onBodyChunk: (chunk: Uint8Array) => {
      events.chunks.push(new TextDecoder().decode(chunk))
    },
    onEos: () => {
      events.eos++
    },
    onFailure: (f: Failure) => {
      events.failures.push(formatFailure(f))
    },
  }
  return { events, options }
}

function streaming(...parts: string[]): Response {
  return new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of parts) c.enqueue(new TextEncoder().encode(p))
        c.close()
      },
    }),
  )
}

describe('trace', () => {
  it('unary request: no chunk before the body is read; then 1 chunk, 1 eos, 0 failures', async () => {
    const { events, options } = recorder()
    const res = await oneshot(trace(options)(serviceFn(() => new Response('hello'))), new Request('http://x/'))
    expect(events).toMatchObject({ request: 1, response: 1, chunks: [], eos: 0, failures: [] })
    expect(await res.text()).toBe('hello')
    expect(events).toMatchObject({ request: 1, response: 1, chunks: ['hello'], eos: 1, failures: [] })
  })

  it('streaming response: 3 chunks, 1 eos', async () => {
    const { events, options } = recorder()
    const res = await oneshot(trace(options)(serviceFn(() => streaming('a', 'b', 'c'))), new Request('http://x/'))
    expect(await res.text()).toBe('abc')
    expect(events.chunks).toEqual(['a', 'b', 'c'])
    expect(events.eos).toBe(1)
  })

  it('on_eos fires for a response without body, and never twice', async () => {
    const { events, options } = recorder()
    const res = await oneshot(
      trace(options)(serviceFn(() => new Response(null, { status: 204 }))),
      new Request('http://x/'),
    )
    expect(events.eos).toBe(1)
    expect(await res.text()).toBe('')
    expect(events.eos).toBe(1)
  })

  it('classifies 5xx as failures after on_response; keeps status and headers', async () => {
    const order: string[] = []
    const svc = trace({
      onResponse: (res) => order.push(`response ${res.status}`),
      onFailure: (f) => order.push(`failure ${formatFailure(f)}`),
    })(serviceFn(() => new Response('x', { status: 503, headers: { 'x-a': '1' } })))
    const res = await oneshot(svc, new Request('http://x/'))
    expect(order).toEqual(['response 503', 'failure Status code: 503'])
    expect(res.status).toBe(503)
    expect(res.headers.get('x-a')).toBe('1')
  })

  it('a custom classifier (statusInRange 400..599) makes 404 a failure', async () => {
    const { events, options } = recorder()
    const svc = trace({ ...options, classifier: statusInRange(400, 599) })(
      serviceFn(() => new Response(null, { status: 404 })),
    )
    await oneshot(svc, new Request('http://x/'))
    expect(events.failures).toEqual(['Status code: 404'])
  })

  it('a rejected call reports on_failure and rejects unchanged', async () => {
    const { events, options } = recorder()
    const error = new Error('down')
    const inner: HttpService = { ready: () => undefined, call: () => Promise.reject(error) }
    await expect(oneshot(trace(options)(inner), new Request('http://x/'))).rejects.toBe(error)
    expect(events.failures).toEqual(['Error: down'])
    expect(events.response).toBe(0)
  })

  it('a body stream that errors reports on_failure', async () => {
    const { events, options } = recorder()
    const svc = trace(options)(
      serviceFn(
        () =>
          new Response(
            new ReadableStream({
              pull(c) {
                c.error(new Error('body broke'))
              },
            }),
          ),
      ),
    )
    const res = await oneshot(svc, new Request('http://x/'))
    await expect(res.text()).rejects.toThrow('body broke')
    expect(events.failures).toEqual(['Error: body broke'])
    expect(events.eos).toBe(0)
  })

  it('measures latency and chunk intervals on the clock', async () => {
    const clock = new TestClock()
    const latencies: number[] = []
    let release!: () => void
    const svc = trace({ clock, onResponse: (_res, ms) => latencies.push(ms) })(
      serviceFn(
        () =>
          new Promise<Response>((resolve) => {
            release = () => resolve(new Response('x'))
          }),
      ),
    )
    const pending = oneshot(svc, new Request('http://x/'))
    await clock.advance(250)
    release()
    await pending
    expect(latencies).toEqual([250])
  })

  it('works with an OpenTelemetry-shaped tracer (fake, same shape as @opentelemetry/api)', async () => {
    interface FakeSpan {
      name: string
      attributes: Record<string, unknown>
      status: { code: number; message?: string }
      ended: boolean
      setAttribute(k: string, v: unknown): FakeSpan
      setStatus(s: { code: number; message?: string }): FakeSpan
      end(): void
    }
    const spans: FakeSpan[] = []
    const tracer = {
      startSpan(name: string, opts: { attributes: Record<string, unknown> }): FakeSpan {
        const span: FakeSpan = {
          name,
          attributes: { ...opts.attributes },
          status: { code: 0 },
          ended: false,
          setAttribute(k, v) {
            this.attributes[k] = v
            return this
          },
          setStatus(s) {
            this.status = s
            return this
          },
          end() {
            this.ended = true
          },
        }
        spans.push(span)
        return span
      },
    }
    const entered: string[] = []
    const SpanStatusCode = { ERROR: 2 } as const
    const svc = trace({
      makeSpan: (req) =>
        tracer.startSpan(`HTTP ${req.method}`, {
          attributes: { 'http.request.method': req.method, 'url.full': req.url },
        }),
      enter: (span, call) => {
        entered.push(span.name)
        return call()
      },
      onResponse: (res, _ms, span) => span.setAttribute('http.response.status_code', res.status),
      onFailure: (f, _ms, span) => span.setStatus({ code: SpanStatusCode.ERROR, message: formatFailure(f) }),
      onEos: (_t, _ms, span) => span.end(),
    })(serviceFn((req: Request) => new Response('body', { status: req.url.endsWith('/fail') ? 500 : 200 })))

    const ok = await oneshot(svc, new Request('http://x/ok'))
    expect(spans[0]?.ended).toBe(false) // the span lasts until the body is consumed
    await ok.text()
    const failed = await oneshot(svc, new Request('http://x/fail', { method: 'POST', body: 'b' }))
    await failed.text()
    expect(entered).toEqual(['HTTP GET', 'HTTP POST'])
    expect(spans.map((s) => ({ name: s.name, attributes: s.attributes, status: s.status, ended: s.ended }))).toEqual([
      {
        name: 'HTTP GET',
        attributes: { 'http.request.method': 'GET', 'url.full': 'http://x/ok', 'http.response.status_code': 200 },
        status: { code: 0 },
        ended: true,
      },
      {
        name: 'HTTP POST',
        attributes: { 'http.request.method': 'POST', 'url.full': 'http://x/fail', 'http.response.status_code': 500 },
        status: { code: 2, message: 'Status code: 500' },
        ended: true,
      },
    ])
  })

  it('default logger output redacts sensitive request and response headers', async () => {
    const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = []
    const logger = {
      debug: (message: string, fields: Record<string, unknown>) => lines.push({ level: 'debug', message, fields }),
      error: (message: string, fields: Record<string, unknown>) => lines.push({ level: 'error', message, fields }),
    }
    const svc = sensitiveHeaders(['authorization', 'set-cookie'])(
      trace({ logger, includeHeaders: true })(
        serviceFn(
          () => new Response('x', { status: 500, headers: { 'set-cookie': 'sid=secret', 'x-visible': 'shown' } }),
        ),
      ),
    )
    const res = await oneshot(
      svc,
      new Request('http://x/p', { headers: { authorization: 'Bearer secret-token', accept: 'text/plain' } }),
    )
    await res.text()
    const text = JSON.stringify(lines)
    expect(text).not.toContain('secret')
    expect(lines.map((l) => `${l.level} ${l.message}`)).toEqual([
      'debug started processing request',
      'debug finished processing request',
      'error response failed',
      'debug end of stream',
    ])
    expect(lines[0]?.fields).toEqual({
      name: 'request',
      method: 'GET',
      uri: 'http://x/p',
      headers: { authorization: '[redacted]', accept: 'text/plain' },
    })
    expect(lines[1]?.fields.response_headers).toEqual({
      'content-type': 'text/plain;charset=UTF-8',
      'set-cookie': '[redacted]',
      'x-visible': 'shown',
    })
    expect(lines[2]?.fields.classification).toBe('Status code: 500')
  })
})

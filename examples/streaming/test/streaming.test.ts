import { oneshot } from '@turret/core'
import { TestClock } from '@turret/core/testing'
import { startEmulator } from '@turret/dev'
import type { ResponseStream } from '@turret/lambda'
import { runHttp, toAwsContext } from '@turret/lambda'
import { fakeAwsLambda, functionUrlEvent, mockContext } from '@turret/lambda/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { app, makeApp, sseFrame } from '../src/app'

const NUL8 = Buffer.alloc(8)

function parseSse(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const lines = frame.split('\n')
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message'
      const data = JSON.parse(lines.find((l) => l.startsWith('data: '))?.slice(6) ?? 'null')
      return { event, data }
    })
}

describe('streaming: the SSE service, oneshot-style', () => {
  it('streams each tick when the clock says so, then a done event', async () => {
    const clock = new TestClock()
    const res = await oneshot(makeApp({ clock }), new Request('http://x/ticks?count=3&intervalMs=1000'))
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    if (res.body === null) throw new Error('expected a body')
    const reader = res.body.getReader()
    const decoder = new TextDecoder()
    const first = await reader.read()
    expect(decoder.decode(first.value)).toBe(sseFrame('tick', { n: 1, of: 3 }, 1))
    // The second tick waits for the interval: not there until the clock advances.
    const second = reader.read()
    let arrived = false
    void second.then(() => {
      arrived = true
    })
    await clock.advance(999)
    expect(arrived).toBe(false)
    await clock.advance(1)
    expect(decoder.decode((await second).value)).toBe(sseFrame('tick', { n: 2, of: 3 }, 2))
    const third = reader.read()
    await clock.advance(1000)
    expect(decoder.decode((await third).value)).toBe(sseFrame('tick', { n: 3, of: 3 }, 3))
    expect(decoder.decode((await reader.read()).value)).toBe(sseFrame('done', { count: 3 }))
    expect((await reader.read()).done).toBe(true)
  })

  it('refuses a bad count with 400 and serves the page at /', async () => {
    expect((await oneshot(app, new Request('http://x/ticks?count=1000'))).status).toBe(400)
    const page = await oneshot(app, new Request('http://x/'))
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain("new EventSource('ticks?count=5')")
  })
})

const awsContext = toAwsContext(mockContext({ requestId: 'req-1' }))

describe('streaming: the Function URL handler (managed runtime, streamHttpHandler)', () => {
  afterEach(() => {
    delete (globalThis as { awslambda?: unknown }).awslambda
    vi.resetModules()
  })

  it('writes the prelude, then one SSE event per write', async () => {
    const fake = fakeAwsLambda()
    ;(globalThis as { awslambda?: unknown }).awslambda = fake.aws
    const { handler } = await import('../src/handler')
    const h = handler as (event: unknown, stream: ResponseStream, context: typeof awsContext) => Promise<void>
    await h(
      functionUrlEvent({ path: '/ticks', query: { count: '3', intervalMs: '0' } }),
      {} as ResponseStream,
      awsContext,
    )
    expect(fake.ended).toBe(true)
    expect(fake.prelude).toMatchObject({
      statusCode: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    })
    expect(fake.writes.map((b) => b.toString())).toEqual([
      sseFrame('tick', { n: 1, of: 3 }, 1),
      sseFrame('tick', { n: 2, of: 3 }, 2),
      sseFrame('tick', { n: 3, of: 3 }, 3),
      sseFrame('done', { count: 3 }),
    ])
  })
})

describe('streaming: runHttp streaming mode against the Lambda emulator', () => {
  it('streams the HTTP integration prelude, 8 NUL bytes and the SSE body', async () => {
    const emu = await startEmulator({ functionName: 'sse', timeoutMs: 10_000, onOutput: () => {} })
    const controller = new AbortController()
    const done = runHttp(app, { stream: true, env: emu.env, signal: controller.signal, exit: () => {} })
    try {
      const out = await emu.invoke(functionUrlEvent({ path: '/ticks', query: { count: '2', intervalMs: '0' } }))
      expect(out.functionError).toBeUndefined()
      expect(out.streamed).toBe(true)
      const bytes = Buffer.from(out.text(), 'utf8')
      const at = bytes.indexOf(NUL8)
      expect(at).toBeGreaterThan(0)
      expect(JSON.parse(bytes.subarray(0, at).toString())).toMatchObject({
        statusCode: 200,
        headers: { 'content-type': 'text/event-stream' },
      })
      expect(parseSse(bytes.subarray(at + 8).toString())).toEqual([
        { event: 'tick', data: { n: 1, of: 2 } },
        { event: 'tick', data: { n: 2, of: 2 } },
        { event: 'done', data: { count: 2 } },
      ])
    } finally {
      controller.abort()
      await done
      await emu.close()
    }
  }, 30_000)
})

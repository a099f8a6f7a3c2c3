import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { extensions, key } from '../extensions/index'
import { mapRequestBody } from './index'

describe('mapRequestBody', () => {
  it('wraps the body stream; extensions and headers are kept', async () => {
    const k = key<string>('k')
    const upper = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        c.enqueue(new TextEncoder().encode(new TextDecoder().decode(chunk).toUpperCase()))
      },
    })
    const svc = mapRequestBody((body) => body?.pipeThrough(upper) ?? null)(
      serviceFn(
        async (req: Request) => new Response(`${await req.text()} ${req.headers.get('x-h')} ${extensions(req).get(k)}`),
      ),
    )
    const req = new Request('http://x/', { method: 'POST', body: 'hello', headers: { 'x-h': 'h' } })
    extensions(req).set(k, 'ext')
    expect(await (await oneshot(svc, req)).text()).toBe('HELLO h ext')
  })

  it('replaces the body outright', async () => {
    const svc = mapRequestBody(() => 'replaced')(serviceFn(async (req: Request) => new Response(await req.text())))
    expect(await (await oneshot(svc, new Request('http://x/', { method: 'PUT', body: 'orig' }))).text()).toBe(
      'replaced',
    )
  })
})

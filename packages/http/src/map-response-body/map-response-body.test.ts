import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { mapResponseBody } from './index'

describe('mapResponseBody', () => {
  it('maps the body, keeping status and headers', async () => {
    const svc = mapResponseBody((body) =>
      body === null
        ? null
        : body.pipeThrough(
            new TransformStream<Uint8Array, Uint8Array>({
              transform(chunk, c) {
                c.enqueue(new TextEncoder().encode(`[${new TextDecoder().decode(chunk)}]`))
              },
            }),
          ),
    )(serviceFn(() => new Response('x', { status: 201, headers: { 'x-a': '1' } })))
    const res = await oneshot(svc, new Request('http://x/'))
    expect(res.status).toBe(201)
    expect(res.headers.get('x-a')).toBe('1')
    expect(await res.text()).toBe('[x]')
  })

  it('sees a null body as null', async () => {
    let seen: unknown = 'unset'
    const svc = mapResponseBody((body) => {
      seen = body
      return body
    })(serviceFn(() => new Response(null, { status: 204 })))
    expect((await oneshot(svc, new Request('http://x/'))).status).toBe(204)
    expect(seen).toBeNull()
  })
})

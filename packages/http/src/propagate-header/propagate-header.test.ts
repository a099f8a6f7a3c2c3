import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { propagateHeader } from './index'

describe('propagateHeader', () => {
  const svc = propagateHeader('x-id')(serviceFn(() => new Response('b', { headers: { 'x-id': 'inner', 'x-o': '1' } })))

  it('copies the request value, overriding the inner one', async () => {
    const res = await oneshot(svc, new Request('http://x/', { headers: { 'x-id': 'abc' } }))
    expect(res.headers.get('x-id')).toBe('abc')
    expect(res.headers.get('x-o')).toBe('1')
  })

  it('absent on the request: the response is untouched', async () => {
    expect((await oneshot(svc, new Request('http://x/'))).headers.get('x-id')).toBe('inner')
  })
})

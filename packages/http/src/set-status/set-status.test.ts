import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { setStatus } from './index'

describe('setStatus', () => {
  it('overwrites the status, keeping headers and body', async () => {
    const svc = setStatus(404)(serviceFn(() => new Response('page', { headers: { 'x-a': '1' } })))
    const res = await oneshot(svc, new Request('http://x/'))
    expect(res.status).toBe(404)
    expect(res.headers.get('x-a')).toBe('1')
    expect(await res.text()).toBe('page')
  })

  it('a null-body status drops the body; invalid statuses throw', async () => {
    const res = await oneshot(setStatus(204)(serviceFn(() => new Response('x'))), new Request('http://x/'))
    expect(res.status).toBe(204)
    expect(res.body).toBeNull()
    expect(() => setStatus(99)).toThrow(RangeError)
  })
})

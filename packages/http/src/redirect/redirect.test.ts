import { oneshot, TurretError } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { RedirectStatusError, redirect } from './index'

describe('redirect', () => {
  it('temporary is 307, permanent is 308, whatever the request', async () => {
    const t = await oneshot(redirect.temporary('/login'), new Request('http://x/a', { method: 'POST', body: 'b' }))
    expect(t.status).toBe(307)
    expect(t.headers.get('location')).toBe('/login')
    const p = await oneshot(redirect.permanent(new URL('https://new.example/')), new Request('http://x/zzz'))
    expect(p.status).toBe(308)
    expect(p.headers.get('location')).toBe('https://new.example/')
    expect(await p.text()).toBe('')
  })

  it('withStatus takes any 3xx and rejects the rest', async () => {
    expect((await oneshot(redirect.withStatus(303, '/see'), new Request('http://x/'))).status).toBe(303)
    for (const bad of [200, 299, 400, 3.5]) {
      expect(() => redirect.withStatus(bad, '/')).toThrow(RedirectStatusError)
    }
    expect(() => redirect.withStatus(404, '/')).toThrow(TurretError)
  })
})

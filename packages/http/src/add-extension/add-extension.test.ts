import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { extensions, key } from '../extensions/index'
import { addExtension } from './index'

describe('addExtension', () => {
  it('basic: the handler reads the extension; an existing value is replaced', async () => {
    const state = key<{ n: number }>('state')
    const svc = addExtension(state, { n: 42 })(
      serviceFn((req: Request) => new Response(String(extensions(req).get(state)?.n))),
    )
    expect(await (await oneshot(svc, new Request('http://x/'))).text()).toBe('42')
    const req = new Request('http://x/')
    extensions(req).set(state, { n: 1 })
    expect(await (await oneshot(svc, req)).text()).toBe('42')
  })
})

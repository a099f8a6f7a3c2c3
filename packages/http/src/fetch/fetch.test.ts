import { describeStack, oneshot, type Ready } from '@turret/core'
import { describe, expect, it } from 'vitest'
import type { HttpService } from '../types'
import { fromFetch, toFetch } from './index'

describe('fromFetch', () => {
  it('wraps a sync or async handler as an always-ready service', async () => {
    const sync = fromFetch((req) => new Response(`sync ${req.method}`))
    const asyncSvc = fromFetch(async (req) => new Response(`async ${new URL(req.url).pathname}`))
    expect(sync.ready()).toBeUndefined()
    expect(await (await oneshot(sync, new Request('http://x/'))).text()).toBe('sync GET')
    expect(await (await oneshot(asyncSvc, new Request('http://x/p'))).text()).toBe('async /p')
  })

  it('turns a synchronous throw into a rejection', async () => {
    const svc = fromFetch(() => {
      throw new Error('boom')
    })
    const call = svc.call(new Request('http://x/'))
    await expect(call).rejects.toThrow('boom')
  })

  it('does not call a plain function with the service as `this`', async () => {
    let seen: unknown = 'unset'
    const svc = fromFetch(function (this: unknown) {
      seen = this
      return new Response('ok')
    })
    await oneshot(svc, new Request('http://x/'))
    expect(seen).toBeUndefined()
  })

  it('calls an object with a fetch method as a method (keeps `this`)', async () => {
    class App {
      greeting = 'hi'
      fetch(req: Request): Response {
        return new Response(`${this.greeting} ${new URL(req.url).pathname}`)
      }
    }
    const svc = fromFetch(new App())
    expect(await (await oneshot(svc, new Request('http://x/there'))).text()).toBe('hi /there')
    expect(describeStack(svc)).toEqual(['fromFetch'])
  })
})

describe('toFetch', () => {
  it('awaits readiness, then calls (oneshot)', async () => {
    const log: string[] = []
    let release!: () => void
    const gate = new Promise<void>((r) => {
      release = r
    })
    const svc: HttpService = {
      ready: (): Ready => {
        log.push('ready')
        return gate
      },
      call: async (req) => {
        log.push('call')
        return new Response(req.url)
      },
    }
    const handler = toFetch(svc)
    const pending = handler(new Request('http://x/a'))
    await Promise.resolve()
    expect(log).toEqual(['ready'])
    release()
    expect(await (await pending).text()).toBe('http://x/a')
    expect(log).toEqual(['ready', 'call'])
  })

  it('is safe to pass around unbound, and round-trips through fromFetch', async () => {
    const { fetch } = { fetch: toFetch(fromFetch(() => new Response('round'))) }
    expect(await (await fetch(new Request('http://x/'))).text()).toBe('round')
  })

  it('rejects when readiness fails', async () => {
    const handler = toFetch({
      ready: () => {
        throw new Error('failed')
      },
      call: async () => new Response('never'),
    })
    await expect(handler(new Request('http://x/'))).rejects.toThrow('failed')
  })
})

describe('toFetch signal', () => {
  it("passes the request's signal to ready()", async () => {
    let seen: AbortSignal | undefined
    const handler = toFetch({
      ready: (signal?: AbortSignal) => {
        seen = signal
        return undefined
      },
      call: async () => new Response('ok'),
    })
    const controller = new AbortController()
    await handler(new Request('http://x/', { signal: controller.signal }))
    controller.abort()
    expect(seen?.aborted).toBe(true)
  })
})

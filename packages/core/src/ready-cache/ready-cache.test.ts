import { describe, expect, it } from 'vitest'
import { flush, mockService } from '../testing'
import { ReadyCache, ReadyCacheFailedError, readyCache } from './index'

function mocks(n: number) {
  return Array.from({ length: n }, () => mockService<string, string>())
}

describe('ReadyCache (tower ready_cache/main.rs)', () => {
  it('poll_ready_inner_failure: one failed service is reported and removed', async () => {
    const [a, b] = mocks(2) as [ReturnType<typeof mocks>[0], ReturnType<typeof mocks>[0]]
    const cache = new ReadyCache<number, string, string>()
    a.handle.sendError(new Error('doom'))
    cache.push(0, a.service)
    cache.push(1, b.service)
    let error: unknown
    try {
      cache.pollPending()
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ReadyCacheFailedError)
    expect((error as ReadyCacheFailedError<number>).key).toBe(0)
    expect(((error as Error).cause as Error).message).toBe('doom')
    expect(cache.len).toBe(1)
    expect(cache.pollPending()).toBe(true)
  })

  it('poll_ready_not_ready: both pending', async () => {
    const [a, b] = mocks(2) as [ReturnType<typeof mocks>[0], ReturnType<typeof mocks>[0]]
    a.handle.allow(0)
    b.handle.allow(0)
    const cache = new ReadyCache<number, string, string>()
    cache.push(0, a.service)
    cache.push(1, b.service)
    expect(cache.pollPending()).toBe(false)
    expect([cache.readyLen, cache.pendingLen]).toEqual([0, 2])
  })

  it('poll_ready_promotes_inner: ready services are promoted', async () => {
    const [a, b] = mocks(2) as [ReturnType<typeof mocks>[0], ReturnType<typeof mocks>[0]]
    a.handle.allow(0)
    b.handle.allow(0)
    let changes = 0
    const cache = new ReadyCache<number, string, string>(() => changes++)
    cache.push(0, a.service)
    cache.push(1, b.service)
    a.handle.allow(1)
    b.handle.allow(1)
    await flush()
    expect(changes).toBe(2)
    expect(cache.pollPending()).toBe(true)
    expect([cache.readyLen, cache.pendingLen]).toEqual([2, 0])
  })

  it('evict_ready_then_error: an evicted ready service that fails is never reported', async () => {
    const [a] = mocks(1) as [ReturnType<typeof mocks>[0]]
    const cache = new ReadyCache<number, string, string>()
    cache.push(0, a.service)
    expect(cache.pollPending()).toBe(true)
    expect(cache.evict(0)).toBe(true)
    a.handle.sendError(new Error('doom'))
    await flush()
    expect(cache.pollPending()).toBe(true)
    expect(cache.len).toBe(0)
  })

  it('evict_pending_then_error', async () => {
    const [a] = mocks(1) as [ReturnType<typeof mocks>[0]]
    a.handle.allow(0)
    const cache = new ReadyCache<number, string, string>()
    cache.push(0, a.service)
    expect(cache.pollPending()).toBe(false)
    expect(cache.evict(0)).toBe(true)
    a.handle.sendError(new Error('doom'))
    await flush()
    expect(cache.pollPending()).toBe(true)
  })

  it('push_then_evict', async () => {
    const [a] = mocks(1) as [ReturnType<typeof mocks>[0]]
    a.handle.allow(0)
    const cache = new ReadyCache<number, string, string>()
    cache.push(0, a.service)
    expect(cache.evict(0)).toBe(true)
    a.handle.sendError(new Error('doom'))
    await flush()
    expect(cache.pollPending()).toBe(true)
    expect(cache.evict(0)).toBe(false)
  })

  it('error_after_promote: an error on an already-ready service is not reported by pollPending', async () => {
    const [a] = mocks(1) as [ReturnType<typeof mocks>[0]]
    const cache = new ReadyCache<number, string, string>()
    cache.push(0, a.service)
    expect(cache.pollPending()).toBe(true)
    a.handle.sendError(new Error('doom'))
    await flush()
    expect(cache.pollPending()).toBe(true)
    expect(cache.readyLen).toBe(1)
  })

  it('duplicate_key_by_index: pushing a key again replaces; evict removes the replacement', async () => {
    const [a, b, c] = mocks(3) as [
      ReturnType<typeof mocks>[0],
      ReturnType<typeof mocks>[0],
      ReturnType<typeof mocks>[0],
    ]
    const cache = new ReadyCache<number, string, string>()
    cache.push(0, a.service)
    cache.push(0, b.service)
    expect(cache.pollPending()).toBe(true)
    expect(cache.len).toBe(1)
    expect(cache.getReadyIndex(0)?.[1]).toBe(b.service)
    expect(cache.evict(0)).toBe(true)
    expect(cache.checkReady(0)).toBe(false)
    cache.push(0, c.service)
    expect(cache.pollPending()).toBe(true)
    const res = cache.callReady(0, 'hello')
    const req = await c.handle.nextRequest()
    expect(req.request).toBe('hello')
    req.respond('world')
    expect(await res).toBe('world')
  })

  it('cancelation_observed: 130 pushes of the same key settle without hanging', async () => {
    const cache = new ReadyCache<number, string, string>()
    const all = mocks(130)
    for (const m of all) {
      m.handle.allow(0)
      cache.push(0, m.service)
    }
    expect(cache.pendingLen).toBe(1)
    for (const m of all) m.handle.allow(1)
    await flush()
    expect(cache.pollPending()).toBe(true)
    expect(cache.readyLen).toBe(1)
    expect(cache.getReadyIndex(0)?.[1]).toBe(all[129]?.service)
  })

  it('a ready service goes back to pending after a call', async () => {
    const [a] = mocks(1) as [ReturnType<typeof mocks>[0]]
    a.handle.allow(1)
    const cache = new ReadyCache<number, string, string>()
    cache.push(0, a.service)
    const res = cache.callReadyIndex(0, 'x')
    expect([cache.readyLen, cache.pendingLen]).toEqual([0, 1])
    ;(await a.handle.nextRequest()).respond('y')
    expect(await res).toBe('y')
  })
})

describe('readyCache()', () => {
  it('makes a ReadyCache that reports changes through onChange', async () => {
    const [a] = mocks(1) as [ReturnType<typeof mocks>[0]]
    a.handle.allow(0)
    let changes = 0
    const cache = readyCache<number, string, string>(() => changes++)
    expect(cache).toBeInstanceOf(ReadyCache)
    cache.push(7, a.service)
    expect([cache.readyLen, cache.pendingLen]).toEqual([0, 1])
    a.handle.allow(1)
    await flush()
    expect(changes).toBe(1)
    expect(cache.pollPending()).toBe(true)
    expect(cache.checkReady(7)).toBe(true)
  })
})

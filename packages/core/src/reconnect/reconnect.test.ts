import { describe, expect, it, vi } from 'vitest'
import { NotReadyError } from '../errors'
import { oneshot, type Service, serviceFn } from '../service'
import { flush, mockService } from '../testing'
import { reconnect } from './index'

describe('reconnect (tower reconnect: no tower tests; behaviour of reconnect.rs)', () => {
  it('connects lazily to the target on the first ready()', async () => {
    const make = vi.fn((target: string) => serviceFn((req: string) => `${target}:${req}`))
    const svc = reconnect(make, 'db')
    expect(make).not.toHaveBeenCalled()
    expect(svc.state).toBe('idle')
    expect(await oneshot(svc, 'q')).toBe('db:q')
    expect(make).toHaveBeenCalledTimes(1)
    expect(make).toHaveBeenCalledWith('db')
    expect(svc.state).toBe('connected')
    expect(await oneshot(svc, 'r')).toBe('db:r')
    expect(make).toHaveBeenCalledTimes(1)
  })

  it('a failed connection makes the next call fail with its error, then connects afresh', async () => {
    let n = 0
    const svc = reconnect(async () => {
      n++
      if (n === 1) throw new Error('connection refused')
      return serviceFn((req: number) => req * 2)
    }, 'target')
    await svc.ready() // ready, although the connection failed
    await expect(svc.call(1)).rejects.toThrow('connection refused')
    expect(svc.state).toBe('idle')
    expect(await oneshot(svc, 2)).toBe(4)
    expect(n).toBe(2)
  })

  it('drops a service whose readiness fails and reconnects at once', async () => {
    const mocks: ReturnType<typeof mockService<string, string>>[] = []
    const svc = reconnect((): Service<string, string> => {
      const m = mockService<string, string>()
      mocks.push(m)
      return m.service
    }, 'x')
    const first = oneshot(svc, 'a')
    await flush()
    ;(await mocks[0]?.handle.nextRequest())?.respond('A')
    expect(await first).toBe('A')
    mocks[0]?.handle.sendError(new Error('connection reset'))
    const second = oneshot(svc, 'b')
    await flush()
    expect(mocks).toHaveLength(2)
    ;(await mocks[1]?.handle.nextRequest())?.respond('B')
    expect(await second).toBe('B')
  })

  it('waits for a pending inner readiness; refuses calls before connecting', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = reconnect(() => service, 't')
    await expect(svc.call('x')).rejects.toBeInstanceOf(NotReadyError)
    let ready = false
    Promise.resolve(svc.ready()).then(() => {
      ready = true
    })
    await flush()
    expect(ready).toBe(false)
    handle.allow(1)
    await flush()
    expect(ready).toBe(true)
  })
})

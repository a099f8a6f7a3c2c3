import { describe, expect, it } from 'vitest'
import { sleep } from '../clock'
import { ClosedError, NotReadyError } from '../errors'
import { oneshot } from '../service'
import { flush, TestClock } from './clock'
import { mockService } from './mock'

describe('mockService (tower-test semantics)', () => {
  it('single_request_ready: no request before a call; ready; the handle answers', async () => {
    const { service, handle } = mockService<string, string>()
    expect(handle.pollRequest()).toBeUndefined()
    expect(service.ready()).toBeUndefined()
    const res = service.call('hello')
    const req = await handle.nextRequest()
    expect(req.request).toBe('hello')
    expect(handle.outstanding).toBe(1)
    req.respond('world')
    expect(await res).toBe('world')
    expect(handle.outstanding).toBe(0)
  })

  it('backpressure: allow(0) makes ready() pend and a call anyway is rejected', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    expect(handle.waiting).toBe(0)
    const pending = service.ready()
    expect(pending).toBeInstanceOf(Promise)
    expect(handle.waiting).toBe(1) // the test can see that the caller waits
    await expect(service.call('x')).rejects.toBeInstanceOf(NotReadyError)
    handle.allow(1)
    await pending
    expect(handle.waiting).toBe(0)
  })

  it('allow(n) admits exactly n calls, then readiness pends until allowed again', async () => {
    const { service, handle } = mockService<number, number>()
    handle.allow(2)
    const done: number[] = []
    for (const n of [1, 2, 3]) void oneshot(service, n).then((v) => done.push(v))
    const a = await handle.nextRequest()
    const b = await handle.nextRequest()
    await flush()
    expect(handle.pollRequest()).toBeUndefined()
    handle.allow(1)
    const c = await handle.nextRequest()
    expect([a.request, b.request, c.request]).toEqual([1, 2, 3])
    a.respond(10)
    b.respond(20)
    c.respond(30)
    await flush()
    expect(done).toEqual([10, 20, 30])
  })

  it('sendError fails the next readiness once, waking waiters with it', async () => {
    const { service, handle } = mockService<number, number>()
    handle.allow(0)
    const waiting = service.ready()
    handle.sendError(new Error('boom'))
    await expect(waiting).rejects.toThrow('boom')
    handle.allow(1)
    expect(service.ready()).toBeUndefined()
  })

  it('fail(error) rejects the call; answering twice is an error', async () => {
    const { service, handle } = mockService<number, number>()
    const res = oneshot(service, 1)
    const req = await handle.nextRequest()
    req.fail(new Error('nope'))
    await expect(res).rejects.toThrow('nope')
    expect(() => req.respond(1)).toThrow('answered twice')
  })

  it('close() fails readiness with ClosedError, including pending waiters', async () => {
    const { service, handle } = mockService<number, number>()
    handle.allow(0)
    const waiting = service.ready()
    handle.close()
    await expect(waiting).rejects.toBeInstanceOf(ClosedError)
    expect(() => service.ready()).toThrow(ClosedError)
  })

  it('newService shares state but each service has its own reservations', async () => {
    const { service, handle } = mockService<number, number>()
    const other = handle.newService()
    expect(service.ready()).toBeUndefined()
    await expect(other.call(1)).rejects.toBeInstanceOf(NotReadyError)
    const res = other.ready() === undefined ? other.call(2) : Promise.reject(new Error('not ready'))
    ;(await handle.nextRequest()).respond(4)
    expect(await res).toBe(4)
  })
})

describe('TestClock', () => {
  it('runs timers in time order only when advanced', async () => {
    const clock = new TestClock()
    const fired: string[] = []
    clock.setTimeout(() => fired.push('b'), 20)
    clock.setTimeout(() => fired.push('a'), 10)
    const cancelled = clock.setTimeout(() => fired.push('never'), 15)
    clock.clearTimeout(cancelled)
    expect(clock.pending).toBe(2)
    await clock.advance(9)
    expect(fired).toEqual([])
    await clock.advance(1)
    expect(fired).toEqual(['a'])
    expect(clock.now()).toBe(10)
    await clock.advance(100)
    expect(fired).toEqual(['a', 'b'])
    expect(clock.now()).toBe(110)
    expect(clock.pending).toBe(0)
  })

  it('lets promise chains schedule new timers within the same advance', async () => {
    const clock = new TestClock()
    const times: number[] = []
    void (async () => {
      await sleep(10, clock)
      times.push(clock.now())
      await sleep(10, clock)
      times.push(clock.now())
    })()
    await clock.advance(25)
    expect(times).toEqual([10, 20])
  })

  it('sleep rejects on abort and clears its timer', async () => {
    const clock = new TestClock()
    const ac = new AbortController()
    const p = sleep(100, clock, ac.signal)
    expect(clock.pending).toBe(1)
    ac.abort(new Error('stop'))
    await expect(p).rejects.toThrow('stop')
    expect(clock.pending).toBe(0)
  })
})

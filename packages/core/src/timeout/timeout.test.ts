import { describe, expect, it } from 'vitest'
import { TurretError } from '../errors'
import { describeStack, oneshot } from '../service'
import { mockService, TestClock } from '../testing'
import { TimeoutError, timeout } from './index'

describe('timeout', () => {
  it('passes a response that arrives in time and clears its timer', async () => {
    const clock = new TestClock()
    const { service, handle } = mockService<string, string>()
    const svc = timeout(100, { clock })(service)
    const res = oneshot(svc, 'hello')
    const req = await handle.nextRequest()
    expect(req.request).toBe('hello')
    expect(clock.pending).toBe(1)
    await clock.advance(99)
    req.respond('world')
    expect(await res).toBe('world')
    expect(clock.pending).toBe(0)
  })

  it('rejects with TimeoutError once the time is up', async () => {
    const clock = new TestClock()
    const { service, handle } = mockService<string, string>()
    const res = oneshot(timeout(100, { clock })(service), 'hello')
    const req = await handle.nextRequest()
    const caught = res.catch((e: unknown) => e)
    await clock.advance(100)
    const error = await caught
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error).toBeInstanceOf(TurretError)
    expect((error as TimeoutError).code).toBe('ERR_TIMEOUT')
    expect((error as TimeoutError).name).toBe('TimeoutError')
    expect(clock.pending).toBe(0)
    req.respond('late') // a late answer is ignored
  })

  it('passes inner errors through and clears the timer', async () => {
    const clock = new TestClock()
    const { service, handle } = mockService<string, string>()
    const res = oneshot(timeout(100, { clock })(service), 'hello')
    const boom = new Error('boom')
    ;(await handle.nextRequest()).fail(boom)
    await expect(res).rejects.toBe(boom)
    expect(clock.pending).toBe(0)
  })

  it('does not time-limit readiness and forwards it unchanged', async () => {
    const clock = new TestClock()
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const svc = timeout(10, { clock })(service)
    const ready = svc.ready()
    expect(ready).toBeInstanceOf(Promise)
    expect(clock.pending).toBe(0)
    await clock.advance(1_000)
    handle.allow(1)
    await ready
    const res = svc.call('x')
    ;(await handle.nextRequest()).respond('y')
    expect(await res).toBe('y')
    expect(describeStack(svc)).toEqual(['timeout', 'mock'])
  })

  it('validates its duration', () => {
    expect(() => timeout(-1)).toThrow(RangeError)
    expect(() => timeout(Number.NaN)).toThrow(RangeError)
  })
})

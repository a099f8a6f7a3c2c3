import { describe, expect, it } from 'vitest'
import { NotReadyError } from '../errors'
import { track } from '../internal/track'
import { oneshot, serviceFn } from '../service'
import { flush, mockService } from '../testing'
import { steer } from './index'

describe('steer (tower steer/main.rs)', () => {
  it('pick_correctly: the picker chooses the service', async () => {
    const services = [serviceFn((_: string) => 42), serviceFn((_: string) => 57)]
    const svc = steer(services, () => 1)
    expect(await oneshot(svc, 'hello')).toBe(57)
  })

  it('pending_all_ready: not ready while one service is not', async () => {
    const a = mockService<string, number>()
    const b = mockService<string, number>()
    b.handle.allow(0)
    const svc = steer([a.service, b.service], () => 0)
    const ready = track(svc.ready())
    await flush()
    expect(ready.done).toBe(false)
    b.handle.allow(1)
    await flush()
    expect(ready.ok).toBe(true)
    const res = svc.call('x')
    ;(await a.handle.nextRequest()).respond(1)
    expect(await res).toBe(1)
    // the reservation on b was kept: the next claim needs only a's readiness
    expect(a.handle.reserved + b.handle.reserved).toBe(1)
    expect(svc.ready()).toBeUndefined()
    expect(b.handle.reserved).toBe(1)
  })

  it('refuses a call without readiness and a picker out of range', async () => {
    const svc = steer([serviceFn((n: number) => n)], (n) => n)
    await expect(svc.call(0)).rejects.toBeInstanceOf(NotReadyError)
    expect(svc.ready()).toBeUndefined()
    await expect(svc.call(3)).rejects.toBeInstanceOf(RangeError)
    expect(await svc.call(0)).toBe(0)
  })

  it('a failed service fails readiness', () => {
    const a = mockService<string, number>()
    a.handle.sendError(new Error('down'))
    const svc = steer([serviceFn((_: string) => 1), a.service], () => 0)
    expect(() => svc.ready()).toThrow('down')
  })
})

describe('steer failure while waiting', () => {
  it('keeps the reservations that arrive after another service failed', async () => {
    const a = mockService<string, number>()
    const b = mockService<string, number>()
    a.handle.allow(0)
    b.handle.allow(0)
    const svc = steer([a.service, b.service], () => 0)
    const ready = track(svc.ready())
    b.handle.sendError(new Error('b down'))
    await flush()
    expect((ready.error as Error).message).toBe('b down')
    a.handle.allow(1)
    await flush()
    expect(a.handle.reserved).toBe(1)
    // The next claim reuses that reservation: only b must become ready.
    const again = track(svc.ready())
    b.handle.allow(1)
    await flush()
    expect(again.ok).toBe(true)
    expect(a.handle.reserved).toBe(1)
  })
})

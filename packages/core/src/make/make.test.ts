import { describe, expect, it } from 'vitest'
import { oneshot, serviceFn } from '../service'
import { makeServiceAsService, serviceAsMakeService, shared } from './index'

describe('make (tower make/make_service/shared.rs)', () => {
  const echo = serviceFn((req: string) => req)

  it('as_make_service: Shared hands out the one service', async () => {
    const make = shared(echo)
    const svc = await make(undefined)
    expect(svc).toBe(echo)
    expect(await oneshot(svc, 'foo')).toBe('foo')
  })

  it('as_make_service_into_service: a MakeService as a service of services, and back', async () => {
    const asService = makeServiceAsService(shared(echo))
    const svc = await oneshot(asService, undefined)
    expect(await oneshot(svc, 'foo')).toBe('foo')
    const back = serviceAsMakeService(asService)
    expect(await oneshot(await back(undefined), 'bar')).toBe('bar')
  })
})

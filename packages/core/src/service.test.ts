import { expect, describe as group, it } from 'vitest'
import { ServiceBuilder } from './builder'
import { NotReadyError, TurretError } from './errors'
import { describeStack, oneshot, type Ready, ready, type Service, serviceFn } from './service'
import { mockService } from './testing/mock'
import { mapRequest } from './util/map-request'
import { mapResponse } from './util/map-response'

/** A pass-through layer like most middleware: forwards readiness untouched. */
function passThrough<Req, Res>(inner: Service<Req, Res>): Service<Req, Res> {
  return { ready: () => inner.ready(), call: (req) => inner.call(req) }
}

group('serviceFn', () => {
  it('is always ready and returns values or promises (tower service_fn::simple)', async () => {
    const svc = serviceFn((n: number) => n + 1)
    expect(svc.ready()).toBeUndefined()
    expect(await svc.call(1)).toBe(2)
    expect(
      await oneshot(
        serviceFn(async (n: number) => n * 2),
        4,
      ),
    ).toBe(8)
  })

  it('turns a synchronous throw into a rejection', async () => {
    const svc = serviceFn((_: number): number => {
      throw new Error('boom')
    })
    const res = svc.call(1)
    expect(res).toBeInstanceOf(Promise)
    await expect(res).rejects.toThrow('boom')
  })
})

group('readiness', () => {
  it('ready now: ready() returns undefined and oneshot calls at once', async () => {
    const { service, handle } = mockService<string, string>()
    expect(service.ready()).toBeUndefined()
    const res = service.call('a')
    ;(await handle.nextRequest()).respond('A')
    expect(await res).toBe('A')
  })

  it('pending then settling: oneshot waits for readiness (tower service_driven_to_readiness)', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const pending = service.ready()
    expect(pending).toBeInstanceOf(Promise)
    const res = oneshot(service, 'hello')
    await Promise.resolve()
    expect(handle.pollRequest()).toBeUndefined()
    handle.allow(2)
    await pending
    const req = await handle.nextRequest()
    expect(req.request).toBe('hello')
    req.respond('world')
    expect(await res).toBe('world')
  })

  it('failing: a throw from ready() rejects oneshot and ready(svc)', async () => {
    const { service, handle } = mockService<string, string>()
    handle.sendError(new Error('dead'))
    await expect(oneshot(service, 'x')).rejects.toThrow('dead')
    const failing: Service<string, string> = {
      ready(): Ready {
        return Promise.reject(new Error('gone'))
      },
      call: () => Promise.resolve('never'),
    }
    await expect(ready(failing)).rejects.toThrow('gone')
    await expect(oneshot(failing, 'x')).rejects.toThrow('gone')
  })

  it('ready(svc) always returns a promise', async () => {
    const p = ready(serviceFn((x: number) => x))
    expect(p).toBeInstanceOf(Promise)
    await expect(p).resolves.toBeUndefined()
  })

  it('the hot path allocates nothing: a deep stack of pass-through layers over serviceFn is ready with undefined', () => {
    const builder = new ServiceBuilder()
      .layer(passThrough)
      .mapRequest((n: number) => n)
      .mapResponse((n: number) => n)
      .mapErr((e) => e)
      .layer(passThrough)
    const svc = builder.service(serviceFn((n: number) => n))
    expect(svc.ready()).toBeUndefined()
  })
})

group('reservations', () => {
  it('each successful ready() is one reservation, consumed by one call()', async () => {
    const { service, handle } = mockService<number, number>()
    handle.allow(2)
    expect(service.ready()).toBeUndefined()
    expect(service.ready()).toBeUndefined()
    expect(handle.reserved).toBe(2)
    // both allowed calls are reserved: a third ready() pends
    const third = service.ready()
    expect(third).toBeInstanceOf(Promise)
    void service.call(1)
    void service.call(2)
    expect(handle.reserved).toBe(0)
    await expect(service.call(3)).rejects.toBeInstanceOf(NotReadyError)
  })

  it('a call without a reservation is rejected with NotReadyError (tower-test backpressure)', async () => {
    const { service, handle } = mockService<number, number>()
    handle.allow(0)
    const err = await service.call(1).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(NotReadyError)
    expect(err).toBeInstanceOf(TurretError)
    expect(err).toMatchObject({ name: 'NotReadyError', code: 'ERR_NOT_READY' })
  })
})

group('describe', () => {
  it('lists the layers outermost first, then the service', () => {
    const svc = new ServiceBuilder()
      .mapRequest((s: string) => s.length)
      .mapResponse((n: number) => n > 1)
      .service(
        serviceFn(function lengthOf(n: number) {
          return n
        }),
      )
    expect(describeStack(svc)).toEqual(['mapRequest', 'mapResponse', 'serviceFn(lengthOf)'])
    expect(describeStack(mapResponse(String)(mapRequest((n: number) => n)(serviceFn((n: number) => n))))).toEqual([
      'mapResponse',
      'mapRequest',
      'serviceFn',
    ])
  })
})

group('cancellation through the signal', () => {
  it('oneshot and ready(svc, signal) pass the signal down through combinators', async () => {
    const seen: Array<AbortSignal | undefined> = []
    const inner: Service<number, number> = {
      ready(signal?: AbortSignal) {
        seen.push(signal)
        return new Promise<void>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)))
      },
      call: async (n) => n,
    }
    const svc = new ServiceBuilder()
      .mapRequest((n: number) => n)
      .mapErr((e) => e)
      .filter((n: number) => n > 0)
      .service(inner)
    const ac = new AbortController()
    const res = oneshot(svc, 1, { signal: ac.signal })
    ac.abort(new Error('gave up'))
    await expect(res).rejects.toThrow('gave up')
    const ac2 = new AbortController()
    const waiting = ready(svc, ac2.signal)
    ac2.abort(new Error('again'))
    await expect(waiting).rejects.toThrow('again')
    expect(seen).toEqual([ac.signal, ac2.signal])
  })
})

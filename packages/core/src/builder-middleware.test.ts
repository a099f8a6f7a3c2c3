import { expect, expectTypeOf, it } from 'vitest'
import { buffer } from './buffer/index'
import { ServiceBuilder } from './builder'
import { concurrencyLimit, rateLimit } from './limit/index'
import { loadShed, OverloadedError } from './load-shed/index'
import { type Policy, retry, retryPolicy } from './retry/index'
import { describeStack, oneshot, type Service, serviceFn } from './service'
import { mockService, TestClock } from './testing'
import { TimeoutError, timeout } from './timeout/index'

it('builder_service (tower builder.rs): buffer + concurrencyLimit + rateLimit + retry + mapResponse + mapRequest', async () => {
  const clock = new TestClock()
  const noRetry: Policy<unknown, unknown> = { cloneRequest: () => undefined, retry: () => undefined }
  const { service, handle } = mockService<boolean, string>()
  const svc = new ServiceBuilder()
    .layer(buffer(5))
    .layer(concurrencyLimit(5))
    .layer(rateLimit(5, 5_000, { clock }))
    .layer(retry(noRetry))
    .mapResponse((res: string) => res === 'world')
    .mapRequest((req: string) => req === 'hello')
    .service(service)
  expectTypeOf(svc).toEqualTypeOf<Service<string, boolean>>()
  expect(describeStack(svc)).toEqual([
    'buffer',
    'concurrencyLimit',
    'rateLimit',
    'retry',
    'mapResponse',
    'mapRequest',
    'mock',
  ])
  const res = oneshot(svc, 'hello')
  const req = await handle.nextRequest()
  expect(req.request).toBe(true)
  req.respond('world')
  expect(await res).toBe(true)
})

it('middleware added with .layer() keep the four type parameters', async () => {
  const clock = new TestClock()
  const builder = new ServiceBuilder<string, string>()
    .layer(loadShed())
    .layer(timeout(100, { clock }))
    .layer(concurrencyLimit(1))
  expectTypeOf(builder).toEqualTypeOf<ServiceBuilder<string, string, string, string>>()
  const { service, handle } = mockService<string, string>()
  const svc = builder.service(service)
  expect(describeStack(svc)).toEqual(['loadShed', 'timeout', 'concurrencyLimit', 'mock'])
  const slow = oneshot(svc, 'a')
  await handle.nextRequest()
  await expect(oneshot(svc, 'b')).rejects.toBeInstanceOf(OverloadedError) // the limit is full: shed
  const caught = slow.catch((e: unknown) => e)
  await clock.advance(100)
  expect(await caught).toBeInstanceOf(TimeoutError)
})

it('each service built gets its own concurrency limit', async () => {
  const builder = new ServiceBuilder().layer(concurrencyLimit(1))
  const a = mockService<number, number>()
  const b = mockService<number, number>()
  const sa = builder.service(a.service)
  const sb = builder.service(b.service)
  const ra = oneshot(sa, 1)
  const rb = oneshot(sb, 2)
  ;(await a.handle.nextRequest()).respond(10)
  ;(await b.handle.nextRequest()).respond(20)
  expect([await ra, await rb]).toEqual([10, 20])
})

it('types: .layer(retry(retryPolicy())) infers the policy from the stack, as a typed shorthand would', () => {
  const svc = new ServiceBuilder<string, number>()
    .layer(retry(retryPolicy({ attempts: 2 })))
    .layer(buffer(4))
    .service(serviceFn(async (s: string) => s.length))
  expectTypeOf(svc).toEqualTypeOf<Service<string, number>>()
  const open = new ServiceBuilder().layer(retry(retryPolicy())).serviceFn(async (s: string) => s.length)
  expectTypeOf(open).toEqualTypeOf<Service<string, number>>()
})

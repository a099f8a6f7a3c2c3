import { pipe } from 'fp-ts/function'
import { expect, expectTypeOf, it } from 'vitest'
import { ServiceBuilder, type StackTypeError } from './builder'
import type { Layer, Layered, Middleware, Service } from './service'
import { describeStack, oneshot, serviceFn } from './service'
import { mockService } from './testing/mock'
import { mapErr } from './util/map-err'
import { mapRequest } from './util/map-request'
import { mapResponse } from './util/map-response'

function tag(name: string): Middleware {
  const layer = <Req, Res>(inner: Service<Req, Res>): Service<Req, Res> & Layered => ({
    layerName: name,
    inner,
    ready: () => inner.ready(),
    call: (req: Req) => inner.call(req),
  })
  Object.defineProperty(layer, 'name', { value: name })
  return layer as Middleware
}

it('first layer added is outermost and sees the request first (tower builder_service, map part)', async () => {
  const seen: string[] = []
  const { service, handle } = mockService<boolean, string>()
  const svc = new ServiceBuilder()
    .mapRequest((req: string) => {
      seen.push(`outer:${req}`)
      return `${req}!`
    })
    .mapRequest((req: string) => {
      seen.push(`inner:${req}`)
      return req === 'hello!'
    })
    .mapResponse((res: number) => res === 5)
    .mapResponse((res: string) => res.length)
    .service(service)
  const res = oneshot(svc, 'hello')
  const req = await handle.nextRequest()
  expect(req.request).toBe(true)
  expect(seen).toEqual(['outer:hello', 'inner:hello!'])
  req.respond('world')
  expect(await res).toBe(true)
  expect(describeStack(svc)).toEqual(['mapRequest', 'mapRequest', 'mapResponse', 'mapResponse', 'mock'])
})

it('builders are immutable: a shared prefix is reusable', async () => {
  const base = new ServiceBuilder().mapRequest((n: number) => n + 1)
  const doubled = base.mapRequest((n: number) => n * 2).serviceFn((n: number) => n)
  const plain = base.serviceFn((n: number) => n)
  expect(await oneshot(doubled, 1)).toBe(4)
  expect(await oneshot(plain, 1)).toBe(2)
  expect(base.layers).toHaveLength(1)
})

it('toLayer turns the builder into one layer', async () => {
  const layer = new ServiceBuilder().layer(tag('a')).layer(tag('b')).toLayer()
  const svc = layer(serviceFn((n: number) => n))
  expect(describeStack(svc)).toEqual(['a', 'b', 'serviceFn'])
})

it('optionLayer adds a layer only when given one', () => {
  const on = new ServiceBuilder().optionLayer(tag('x')).serviceFn((n: number) => n)
  const off = new ServiceBuilder().optionLayer(undefined).serviceFn((n: number) => n)
  expect(describeStack(on)).toEqual(['x', 'serviceFn'])
  expect(describeStack(off)).toEqual(['serviceFn'])
})

it('fp-ts pipe composes layers with no adapter', async () => {
  const svc = pipe(
    serviceFn((n: number) => n * 10),
    mapRequest((s: string) => Number.parseInt(s, 10)),
    mapResponse((n: number) => `${n}`),
    mapErr((e) => new Error('wrapped', { cause: e })),
  )
  expectTypeOf(svc).toEqualTypeOf<Service<string, string>>()
  expect(await oneshot(svc, '4')).toBe('40')
  expect(describeStack(svc)).toEqual(['mapErr', 'mapResponse', 'mapRequest', 'serviceFn'])
})

it('types: a 10-layer stack keeps one short type', () => {
  const ten = new ServiceBuilder()
    .layer(tag('1'))
    .layer(tag('2'))
    .layer(tag('3'))
    .layer(tag('4'))
    .layer(tag('5'))
    .layer(tag('6'))
    .layer(tag('7'))
    .layer(tag('8'))
    .layer(tag('9'))
    .layer(tag('10'))
  expectTypeOf(ten).toEqualTypeOf<ServiceBuilder<unknown, unknown, unknown, unknown>>()
  const svc = ten.serviceFn(async (req: Request) => new Response(req.body))
  expectTypeOf(svc).toEqualTypeOf<Service<Request, Response>>()
  expect(describeStack(svc)).toHaveLength(11)

  const typed = new ServiceBuilder<Request, Response>()
    .layer(tag('1'))
    .layer(tag('2'))
    .layer(tag('3'))
    .layer(tag('4'))
    .layer(tag('5'))
    .layer(tag('6'))
    .layer(tag('7'))
    .layer(tag('8'))
    .layer(tag('9'))
    .layer(tag('10'))
  expectTypeOf(typed).toEqualTypeOf<ServiceBuilder<Request, Response, Request, Response>>()
})

it('types: a stack whose request type changes twice', async () => {
  const builder = new ServiceBuilder()
    .layer(tag('outer'))
    .mapRequest((raw: string) => raw.trim())
    .mapRequest((trimmed) => trimmed.length) // contextually typed: string
    .mapRequest((len) => ({ len })) // number
    .mapResponse((res: { ok: boolean }) => res.ok)
  expectTypeOf(builder).toEqualTypeOf<ServiceBuilder<string, boolean, { len: number }, { ok: boolean }>>()
  const svc = builder.serviceFn(({ len }) => ({ ok: len > 2 }))
  expectTypeOf(svc).toEqualTypeOf<Service<string, boolean>>()
  expect(await oneshot(svc, '  abc ')).toBe(true)
  expect(await oneshot(svc, ' ab ')).toBe(false)
})

it('types: a concrete layer fixes the outer types; a mismatching layer is a readable type error', () => {
  const toNumber: Layer<Service<number, number>, Service<string, string>> = (inner) => ({
    ready: () => inner.ready(),
    call: (s) => inner.call(Number(s)).then(String),
  })
  const b = new ServiceBuilder().layer(toNumber)
  expectTypeOf(b).toEqualTypeOf<ServiceBuilder<string, string, number, number>>()
  expectTypeOf(b.serviceFn((n: number) => n)).toEqualTypeOf<Service<string, string>>()

  const wantsBoolean: Layer<Service<boolean, number>, Service<boolean, number>> = (inner) => inner
  // @ts-expect-error the layer takes booleans but the stack sends numbers
  b.layer(wantsBoolean)
  type Check = Parameters<typeof b.layer<boolean, number, boolean, number>>[0]
  expectTypeOf<Check>().toMatchTypeOf<
    StackTypeError<'this layer takes a request type the layers above it do not send'>
  >()
  // @ts-expect-error the inner service must take what the stack sends
  b.service(serviceFn((s: string) => Number(s)))
})

it('types: layers generic in only the request or only the response infer through .layer()', async () => {
  const b = new ServiceBuilder().layer(mapRequest((s: string) => s.length)).layer(mapResponse((n: number) => n > 2))
  expectTypeOf(b).toEqualTypeOf<ServiceBuilder<string, boolean, number, number>>()
  const svc = b.serviceFn((n: number) => n)
  expectTypeOf(svc).toEqualTypeOf<Service<string, boolean>>()
  expect(await oneshot(svc, 'abc')).toBe(true)
  // @ts-expect-error the stack sends numbers; this mapper wants strings
  b.layer(mapRequest((s: string) => s))
})

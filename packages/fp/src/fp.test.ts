import { mapRequest, oneshot, type Service, serviceFn, describeStack as stack } from '@turret/core'
import * as E from 'fp-ts/Either'
import { flow, pipe } from 'fp-ts/function'
import * as TE from 'fp-ts/TaskEither'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { liftEither, mapLeft, mapRight, orElse, unliftEither } from './either/index'
import { fromTaskEither, toTaskEither } from './task-either/index'

class NotFound {
  readonly tag = 'NotFound'
  constructor(readonly id: string) {}
}

const users = new Map([['1', { id: '1', name: 'Ada' }]])
const getUser = fromTaskEither((id: string) => pipe(users.get(id), TE.fromNullable(new NotFound(id))))

describe('fromTaskEither / toTaskEither', () => {
  it('a Right resolves the call and a Left rejects with the left value', async () => {
    expectTypeOf(getUser).toEqualTypeOf<Service<string, { id: string; name: string }>>()
    expect(await oneshot(getUser, '1')).toEqual({ id: '1', name: 'Ada' })
    const e = await oneshot(getUser, '2').catch((x: unknown) => x)
    expect(e).toBeInstanceOf(NotFound)
    expect((e as NotFound).id).toBe('2')
  })

  it('toTaskEither turns rejections and readiness failures into Left', async () => {
    const run = toTaskEither(getUser)
    expectTypeOf(run).toEqualTypeOf<(req: string) => TE.TaskEither<unknown, { id: string; name: string }>>()
    expect(await run('1')()).toEqual(E.right({ id: '1', name: 'Ada' }))
    expect(E.isLeft(await run('9')())).toBe(true)
    const broken: Service<string, string> = {
      ready() {
        throw new Error('down')
      },
      call: async (s) => s,
    }
    const left = await toTaskEither(broken)('x')()
    expect(E.isLeft(left) && (left.left as Error).message).toBe('down')
  })

  it('round-trips inside an fp-ts pipeline', async () => {
    const program = pipe(
      '1',
      toTaskEither(getUser),
      TE.map((u) => u.name.toUpperCase()),
    )
    expect(await program()).toEqual(E.right('ADA'))
  })
})

describe('Either-valued services', () => {
  const safe = liftEither(getUser)

  it('liftEither makes rejections Left; unliftEither makes Left rejections again', async () => {
    expect(await oneshot(safe, '1')).toEqual(E.right({ id: '1', name: 'Ada' }))
    const left = await oneshot(safe, '3')
    expect(E.isLeft(left) && left.left).toBeInstanceOf(NotFound)
    await expect(oneshot(unliftEither(safe), '3')).rejects.toBeInstanceOf(NotFound)
    expect(stack(unliftEither(safe))).toEqual(['unliftEither', 'liftEither', 'serviceFn(fromTaskEither)'])
  })

  it('mapLeft, mapRight and orElse compose with pipe and flow', async () => {
    const svc = pipe(
      serviceFn((n: number) => (n > 0 ? E.right(n) : E.left(`bad ${n}`))),
      mapLeft((e: string) => e.toUpperCase()),
      mapRight((n: number) => n * 2),
      orElse((e: string) => (e === 'BAD 0' ? TE.right(0) : TE.left(e.length))),
      mapRequest((s: string) => Number(s)),
    )
    expectTypeOf(svc).toEqualTypeOf<Service<string, E.Either<number, number>>>()
    expect(await oneshot(svc, '21')).toEqual(E.right(42))
    expect(await oneshot(svc, '0')).toEqual(E.right(0))
    expect(await oneshot(svc, '-1')).toEqual(E.left('BAD -1'.length))

    // generic layers are instantiated for flow (TypeScript cannot infer through two generic functions)
    const bracket = mapLeft((e: string) => `[${e}]`)
    const increment = mapRight((n: number) => n + 1)
    const layers = flow(bracket<number, number>, increment<number, string>)
    const other = layers(serviceFn((n: number) => (n ? E.right(n) : E.left('zero'))))
    expect(await oneshot(other, 0)).toEqual(E.left('[zero]'))
    expect(await oneshot(other, 1)).toEqual(E.right(2))
  })
})

import type { Service } from '@turret/core'
import { describe, expectTypeOf, it } from 'vitest'
import { text } from '../respond/index'
import { get, type MethodRouter, type PathParams, post, type Router, router } from './index'

describe('router types', () => {
  it('reads parameter names from the pattern string', () => {
    expectTypeOf<PathParams<'/users/:id/posts/:postId'>>().toEqualTypeOf<{
      readonly id: string
      readonly postId: string
    }>()
    expectTypeOf<PathParams<'/files/*rest'>>().toEqualTypeOf<{ readonly rest: string }>()
    expectTypeOf<keyof PathParams<'/static'>>().toEqualTypeOf<never>()
    expectTypeOf<PathParams<string>>().toEqualTypeOf<Readonly<Record<string, string | undefined>>>()
  })

  it('types shorthand handlers; a misspelt parameter is an error', () => {
    router().get('/users/:id/posts/:postId', (req, { id, postId }) => {
      expectTypeOf(req).toEqualTypeOf<Request>()
      expectTypeOf(id).toEqualTypeOf<string>()
      expectTypeOf(postId).toEqualTypeOf<string>()
      return text(id + postId)
    })
    // @ts-expect-error: "postid" is not a parameter of the pattern
    router().get('/users/:id/posts/:postId', (_req, { postid }) => text(postid))
  })

  it('types method helpers from the route they are given to', () => {
    router().route(
      '/users/:id',
      get((_req, { id }) => {
        expectTypeOf(id).toEqualTypeOf<string>()
        return text(id)
      }),
    )
    router().route(
      '/users/:id',
      // @ts-expect-error: the helper's handler is typed by the route: "uid" does not exist
      get((_req, { uid }) => text(uid)),
    )
    const wantsUid = get((_req, { uid }: { uid: string }) => text(uid))
    // @ts-expect-error: "uid" is not a parameter of '/users/:id'
    router().route('/users/:id', wantsUid)
    const chained = get((_req, { id }: { id: string }) => text(id)).post(() => text('made'))
    expectTypeOf(chained).toEqualTypeOf<MethodRouter<{ id: string }>>()
    router().route('/things/:id', chained)
    // @ts-expect-error: the chain needs "id", which '/things' does not have
    router().route('/things', chained)
    router().route(
      '/things',
      post(() => text('ok')),
    )
  })

  it('a router is a Service<Request, Response>', () => {
    expectTypeOf(router()).toEqualTypeOf<Router>()
    expectTypeOf(router()).toExtend<Service<Request, Response>>()
  })
})

import { oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
// The package root on purpose: a loop of one's own needs nothing beyond its exports (README, custom loops).
import { type LambdaEvent, NEXT_PATH, runtimeApiClient, runtimeStack } from '../index'
import { startRuntimeApiServer } from '../testing/index'

describe('a custom Runtime API loop built from the root exports', () => {
  it('runtimeApiClient(), runtimeStack() and NEXT_PATH answer invocations, failures included', async () => {
    const api = await startRuntimeApiServer()
    const client = runtimeApiClient({ endpoint: api.endpoint })
    try {
      const service = serviceFn(async ({ payload, context }: LambdaEvent<{ n: number }>) => {
        if (payload.n < 0) throw new RangeError('negative')
        return { n: payload.n * 2, id: context.requestId }
      })
      const stack = runtimeStack(service, { client })
      const loop = async (invocations: number) => {
        for (let i = 0; i < invocations; i++) {
          await oneshot(stack, await oneshot(client, { method: 'GET', path: NEXT_PATH }))
        }
      }
      const serving = loop(2)
      const answered = await api.invoke({ n: 21 }, { requestId: 'one' })
      const failed = await api.invoke({ n: -1 }, { requestId: 'two' })
      await serving
      expect(answered.kind).toBe('response')
      expect(answered.json()).toEqual({ n: 42, id: 'one' })
      expect(failed.kind).toBe('error')
      expect(failed.requestId).toBe('two')
      expect(failed.json()).toMatchObject({ errorType: 'RangeError', errorMessage: 'negative' })
    } finally {
      client.close()
      await api.close()
    }
  })
})

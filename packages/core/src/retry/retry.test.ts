import { describe, expect, it, vi } from 'vitest'
import { track } from '../internal/track'
import { err, type Result } from '../result'
import { describeStack, oneshot } from '../service'
import { flush, mockService, TestClock } from '../testing'
import { ExponentialBackoff, type Policy, retry, retryPolicy, TpsBudget } from './index'

const retryErrors: Policy<string, string> = {
  cloneRequest: (req) => req,
  retry: (_req, result) => (result.ok ? undefined : Promise.resolve()),
}

function limit(n: number): () => Policy<string, string> {
  return () => {
    let left = n
    return {
      cloneRequest: (req) => req,
      retry(_req, result) {
        if (result.ok || left === 0) return undefined
        left--
        return Promise.resolve()
      },
    }
  }
}

describe('retry (tower retry/main.rs)', () => {
  it('retry_errors: a failed request is sent again', async () => {
    const { service, handle } = mockService<string, string>()
    const svc = retry(retryErrors)(service)
    const res = oneshot(svc, 'hello')
    const first = await handle.nextRequest()
    expect(first.request).toBe('hello')
    first.fail(new Error('retry me'))
    const second = await handle.nextRequest()
    expect(second.request).toBe('hello')
    second.respond('world')
    expect(await res).toBe('world')
    expect(describeStack(svc)).toEqual(['retry', 'mock'])
  })

  it('retry_limit: after Limit(2) retries the third error is returned', async () => {
    const { service, handle } = mockService<string, string>()
    const res = oneshot(retry(limit(2))(service), 'hello')
    ;(await handle.nextRequest()).fail(new Error('retry 1'))
    ;(await handle.nextRequest()).fail(new Error('retry 2'))
    ;(await handle.nextRequest()).fail(new Error('retry 3'))
    await expect(res).rejects.toThrow('retry 3')
    expect(handle.pollRequest()).toBeUndefined()
  })

  it('retry_error_inspection: the policy stops on an error it does not retry', async () => {
    const policy: Policy<string, string> = {
      cloneRequest: (req) => req,
      retry: (_req, result) =>
        !result.ok && (result.error as Error).message === 'retry' ? Promise.resolve() : undefined,
    }
    const { service, handle } = mockService<string, string>()
    const res = oneshot(retry(policy)(service), 'hello')
    ;(await handle.nextRequest()).fail(new Error('retry'))
    ;(await handle.nextRequest()).fail(new Error('reject'))
    await expect(res).rejects.toThrow('reject')
  })

  it('retry_cannot_clone_request: retry() is never called and the first error is returned', async () => {
    const retrySpy = vi.fn(() => Promise.resolve())
    const policy: Policy<string, string> = { cloneRequest: () => undefined, retry: retrySpy }
    const { service, handle } = mockService<string, string>()
    const res = oneshot(retry(policy)(service), 'hello')
    ;(await handle.nextRequest()).fail(new Error('retry 1'))
    await expect(res).rejects.toThrow('retry 1')
    expect(retrySpy).not.toHaveBeenCalled()
  })

  it('success_with_cannot_clone: a success passes through', async () => {
    const policy: Policy<string, string> = { cloneRequest: () => undefined, retry: () => Promise.resolve() }
    const { service, handle } = mockService<string, string>()
    const res = oneshot(retry(policy)(service), 'hello')
    ;(await handle.nextRequest()).respond('world')
    expect(await res).toBe('world')
  })

  it('retry_mutating_policy: the policy rewrites the request, then the final result', async () => {
    const mutating = (): Policy<string, string> => {
      let remaining = 2
      return {
        cloneRequest: (req) => req,
        retry(_req, result: Result<string>) {
          if (remaining === 0) return Promise.resolve({ result: err(new Error('out of retries')) })
          remaining--
          expect(result.ok).toBe(true)
          return Promise.resolve({ request: 'retrying' })
        },
      }
    }
    const { service, handle } = mockService<string, string>()
    const res = oneshot(retry(mutating)(service), 'hello')
    const first = await handle.nextRequest()
    expect(first.request).toBe('hello')
    first.respond('world')
    const second = await handle.nextRequest()
    expect(second.request).toBe('retrying')
    second.respond('world')
    const third = await handle.nextRequest()
    expect(third.request).toBe('retrying')
    third.respond('world')
    await expect(res).rejects.toThrow('out of retries')
  })

  it('each retry waits for the inner readiness first', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(1)
    const res = track(oneshot(retry(retryErrors)(service), 'hello'))
    ;(await handle.nextRequest()).fail(new Error('again'))
    await flush()
    expect(handle.pollRequest()).toBeUndefined() // no readiness yet, no retry
    handle.allow(1)
    ;(await handle.nextRequest()).respond('world')
    await flush()
    expect(res.value).toBe('world')
  })
})

describe('retryPolicy', () => {
  it('limits attempts and backs off on the clock', async () => {
    const clock = new TestClock()
    const backoff = new ExponentialBackoff({ min: 100, max: 1_000, jitter: 0 })
    const { service, handle } = mockService<string, string>()
    const svc = retry(retryPolicy<string, string>({ attempts: 2, backoff, clock }))(service)
    const res = track(oneshot(svc, 'x'))
    ;(await handle.nextRequest()).fail(new Error('1'))
    await clock.advance(99)
    expect(handle.pollRequest()).toBeUndefined()
    await clock.advance(1)
    ;(await handle.nextRequest()).fail(new Error('2'))
    await clock.advance(199)
    expect(handle.pollRequest()).toBeUndefined()
    await clock.advance(1)
    ;(await handle.nextRequest()).fail(new Error('3'))
    await flush()
    expect((res.error as Error).message).toBe('3')
    expect(clock.pending).toBe(0)
  })

  it('counts attempts per request, retries only what retryIf accepts, and spends a shared budget', async () => {
    const clock = new TestClock()
    const budget = new TpsBudget({ ttl: 1_000, minPerSec: 1, retryPercent: 0, clock })
    const policy = retryPolicy<string, string>({ attempts: 5, budget, retryIf: (r) => !r.ok && r.error !== 'fatal' })
    const { service, handle } = mockService<string, string>()
    const svc = retry(policy)(service)
    const a = oneshot(svc, 'a')
    ;(await handle.nextRequest()).fail('boom')
    ;(await handle.nextRequest()).fail('boom') // the only retry in the budget was spent
    await expect(a).rejects.toBe('boom')
    const b = oneshot(svc, 'b')
    ;(await handle.nextRequest()).fail('fatal')
    await expect(b).rejects.toBe('fatal')
    expect(() => retryPolicy({ attempts: -1 })).toThrow(RangeError)
  })
})

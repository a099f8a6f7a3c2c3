import { ExponentialBackoff, oneshot, retry, serviceFn } from '@turret/core'
import { TestClock } from '@turret/core/testing'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { Predicate } from 'fp-ts/Predicate'
import * as P from 'fp-ts/Predicate'
import { describe, expect, it } from 'vitest'
import { retryWhen, retryWhenLeft } from './index'

class Throttled extends Error {}
class Fatal extends Error {}

function flaky<T>(outcomes: (() => T)[]) {
  let calls = 0
  const svc = serviceFn(async (_req: string) => {
    const next = outcomes[Math.min(calls, outcomes.length - 1)] as () => T
    calls++
    return next()
  })
  return { svc, calls: () => calls }
}

describe('retryWhen: a retry policy from an fp-ts predicate on errors', () => {
  const isThrottled: Predicate<unknown> = (e) => e instanceof Throttled

  it('retries the failures the predicate accepts, up to attempts', async () => {
    const { svc, calls } = flaky([
      () => {
        throw new Throttled('slow down')
      },
      () => {
        throw new Throttled('slow down')
      },
      () => 'ok',
    ])
    expect(await oneshot(pipe(svc, retry(retryWhen(isThrottled, { attempts: 3 }))), 'x')).toBe('ok')
    expect(calls()).toBe(3)
  })

  it('does not retry what the predicate refuses, and stops after attempts', async () => {
    const fatal = flaky<string>([
      () => {
        throw new Fatal('no')
      },
    ])
    await expect(oneshot(pipe(fatal.svc, retry(retryWhen(isThrottled))), 'x')).rejects.toBeInstanceOf(Fatal)
    expect(fatal.calls()).toBe(1)

    const always = flaky<string>([
      () => {
        throw new Throttled('again')
      },
    ])
    await expect(oneshot(pipe(always.svc, retry(retryWhen(isThrottled, { attempts: 2 }))), 'x')).rejects.toBeInstanceOf(
      Throttled,
    )
    expect(always.calls()).toBe(3)
  })

  it('composes predicates with fp-ts combinators and waits the backoff on the clock', async () => {
    const clock = new TestClock()
    const isRetryable = pipe(
      isThrottled,
      P.or((e) => e instanceof Fatal && e.message === 'transient'),
    )
    const { svc, calls } = flaky([
      () => {
        throw new Fatal('transient')
      },
      () => 'done',
    ])
    const pending = oneshot(
      pipe(svc, retry(retryWhen(isRetryable, { backoff: new ExponentialBackoff({ min: 500, jitter: 0 }), clock }))),
      'x',
    )
    await clock.advance(499)
    expect(calls()).toBe(1)
    await clock.advance(1)
    expect(await pending).toBe('done')
    expect(calls()).toBe(2)
  })
})

describe('retryWhenLeft: retries Left values of Either-valued services', () => {
  interface ApiError {
    readonly status: number
  }
  const transient: Predicate<ApiError> = (e) => e.status >= 500

  it('retries a retryable Left and returns the final Either', async () => {
    const { svc, calls } = flaky<E.Either<ApiError, string>>([() => E.left({ status: 503 }), () => E.right('hi')])
    expect(await oneshot(pipe(svc, retry(retryWhenLeft(transient))), 'x')).toEqual(E.right('hi'))
    expect(calls()).toBe(2)
  })

  it('returns a non-retryable Left at once, and does not retry rejections unless asked', async () => {
    const notFound = flaky<E.Either<ApiError, string>>([() => E.left({ status: 404 })])
    expect(await oneshot(pipe(notFound.svc, retry(retryWhenLeft(transient))), 'x')).toEqual(E.left({ status: 404 }))
    expect(notFound.calls()).toBe(1)

    const rejecting = () =>
      flaky<E.Either<ApiError, string>>([
        () => {
          throw new Throttled('t')
        },
        () => E.right('ok'),
      ])
    const plain = rejecting()
    await expect(oneshot(pipe(plain.svc, retry(retryWhenLeft(transient))), 'x')).rejects.toBeInstanceOf(Throttled)
    const asked = rejecting()
    const policy = retryWhenLeft<string, ApiError, string>(transient, { orRejections: (e) => e instanceof Throttled })
    expect(await oneshot(pipe(asked.svc, retry(policy)), 'x')).toEqual(E.right('ok'))
    expect(asked.calls()).toBe(2)
  })
})

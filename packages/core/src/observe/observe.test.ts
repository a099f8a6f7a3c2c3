import { afterEach, describe, expect, it } from 'vitest'
import { NotReadyError } from '../errors'
import { hedge } from '../hedge/index'
import { concurrencyLimit } from '../limit/index'
import { loadShed } from '../load-shed/index'
import { retry, retryPolicy } from '../retry/index'
import { oneshot, serviceFn } from '../service'
import { TestClock } from '../testing'
import { TimeoutError, timeout } from '../timeout/index'
import { type CoreObserver, setObserver } from './index'

function recorder() {
  const events: string[] = []
  const observer: CoreObserver = {
    retry: (attempt, previous) => events.push(`retry ${attempt} ${previous.ok ? 'ok' : 'err'}`),
    hedge: () => events.push('hedge'),
    rejected: (error, layer) => events.push(`${layer} ${error.code}`),
  }
  return { events, observer }
}

afterEach(() => {
  setObserver(undefined)
})

describe('setObserver', () => {
  it('returns the observer it replaces', () => {
    const { observer } = recorder()
    expect(setObserver(observer)).toBeUndefined()
    expect(setObserver(undefined)).toBe(observer)
  })

  it('hears each retry, numbered from 1, with the outcome that caused it', async () => {
    const { events, observer } = recorder()
    setObserver(observer)
    let calls = 0
    const svc = retry(retryPolicy<number, number>({ attempts: 3 }))(
      serviceFn(async (n: number) => {
        if (++calls < 3) throw new Error('flaky')
        return n
      }),
    )
    expect(await oneshot(svc, 7)).toBe(7)
    expect(events).toEqual(['retry 1 err', 'retry 2 err'])
  })

  it('hears a hedge being sent', async () => {
    const { events, observer } = recorder()
    setObserver(observer)
    const clock = new TestClock()
    let calls = 0
    const svc = hedge(
      { cloneRequest: (r: number) => r, canRetry: () => true },
      { clock, latencies: Array(10).fill(5) },
    )(serviceFn((n: number) => (++calls === 1 ? new Promise<number>(() => {}) : Promise.resolve(n))))
    const res = oneshot(svc, 1)
    await clock.advance(6)
    expect(await res).toBe(1)
    expect(events).toEqual(['hedge'])
  })

  it('hears timeout, loadShed and concurrencyLimit rejections with their codes', async () => {
    const { events, observer } = recorder()
    setObserver(observer)
    const clock = new TestClock()
    const never = serviceFn((_: number) => new Promise<number>(() => {}))
    const timed = oneshot(timeout(10, { clock })(never), 1)
    await clock.advance(10)
    await expect(timed).rejects.toBeInstanceOf(TimeoutError)

    const limited = concurrencyLimit(1)(never)
    await expect(limited.call(1)).rejects.toBeInstanceOf(NotReadyError)

    const busy = concurrencyLimit(0)(never)
    const shed = loadShed()(busy)
    await expect(oneshot(shed, 1)).rejects.toMatchObject({ code: 'ERR_OVERLOADED' })
    expect(events).toEqual(['timeout ERR_TIMEOUT', 'concurrencyLimit ERR_NOT_READY', 'loadShed ERR_OVERLOADED'])
  })

  it('is not called once removed', async () => {
    const { events, observer } = recorder()
    setObserver(observer)
    setObserver(undefined)
    const clock = new TestClock()
    const timed = oneshot(timeout(1, { clock })(serviceFn((_: number) => new Promise<number>(() => {}))), 1)
    await clock.advance(1)
    await expect(timed).rejects.toBeInstanceOf(TimeoutError)
    expect(events).toEqual([])
  })
})

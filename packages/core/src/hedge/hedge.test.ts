import { describe, expect, it } from 'vitest'
import { oneshot } from '../service'
import { flush, mockService, TestClock } from '../testing'
import { RotatingHistogram } from './histogram'
import { type HedgePolicy, hedge } from './index'

const policy: HedgePolicy<string> = {
  cloneRequest: (req) => (req === 'not clonable' ? undefined : req),
  canRetry: (req) => req !== 'not retryable',
}

function setup() {
  const clock = new TestClock()
  const { service, handle } = mockService<string, string>()
  const svc = hedge(policy, {
    minDataPoints: 10,
    latencyPercentile: 0.9,
    period: 1_000,
    clock,
    latencies: [1, 1, 1, 1, 1, 1, 1, 1, 10, 10],
  })(service)
  return { clock, svc, handle }
}

describe('hedge (tower hedge/main.rs; latencies [1×8, 10, 10], p90 → 10 ms)', () => {
  it('hedge_orig_completes_first', async () => {
    const { clock, svc, handle } = setup()
    const res = oneshot(svc, 'orig')
    const orig = await handle.nextRequest()
    expect(orig.request).toBe('orig')
    await clock.advance(9)
    expect(handle.pollRequest()).toBeUndefined() // no hedge before 10 ms
    await clock.advance(2)
    const hedged = await handle.nextRequest()
    expect(hedged.request).toBe('orig')
    orig.respond('orig-done')
    expect(await res).toBe('orig-done')
    hedged.respond('late')
  })

  it('hedge_hedge_completes_first', async () => {
    const { clock, svc, handle } = setup()
    const res = oneshot(svc, 'orig')
    const orig = await handle.nextRequest()
    await clock.advance(11)
    const hedged = await handle.nextRequest()
    hedged.respond('hedge-done')
    expect(await res).toBe('hedge-done')
    orig.respond('late')
  })

  it('completes_before_hedge: no hedge once the original answered', async () => {
    const { clock, svc, handle } = setup()
    const res = oneshot(svc, 'orig')
    ;(await handle.nextRequest()).respond('orig-done')
    expect(await res).toBe('orig-done')
    expect(clock.pending).toBe(0)
    await clock.advance(20)
    expect(handle.pollRequest()).toBeUndefined()
  })

  it('request_not_retyable: canRetry false → no hedge', async () => {
    const { clock, svc, handle } = setup()
    const res = oneshot(svc, 'not retryable')
    const orig = await handle.nextRequest()
    await clock.advance(20)
    expect(handle.pollRequest()).toBeUndefined()
    orig.respond('orig-done')
    expect(await res).toBe('orig-done')
  })

  it('request_not_clonable: cloneRequest undefined → no hedge', async () => {
    const { clock, svc, handle } = setup()
    const res = oneshot(svc, 'not clonable')
    const orig = await handle.nextRequest()
    expect(clock.pending).toBe(0)
    await clock.advance(20)
    expect(handle.pollRequest()).toBeUndefined()
    orig.respond('orig-done')
    expect(await res).toBe('orig-done')
  })

  it('hedges nothing until the histogram has minDataPoints latencies', async () => {
    const clock = new TestClock()
    const { service, handle } = mockService<string, string>()
    const svc = hedge(policy, { clock, minDataPoints: 1, period: 100 })(service)
    const first = oneshot(svc, 'a')
    await clock.advance(50)
    expect(clock.pending).toBe(0)
    ;(await handle.nextRequest()).respond('A')
    await first
    await clock.advance(60) // rotate: the 50 ms latency is now readable
    const second = oneshot(svc, 'b')
    await flush()
    expect(clock.pending).toBe(1)
    const orig = await handle.nextRequest()
    await clock.advance(50)
    expect((await handle.nextRequest()).request).toBe('b')
    orig.respond('B')
    expect(await second).toBe('B')
  })
})

describe('RotatingHistogram', () => {
  it('reads the last full period', () => {
    let now = 0
    const h = new RotatingHistogram(100, () => now)
    h.write().record(5)
    expect(h.read().total).toBe(0)
    now = 100
    expect(h.read().total).toBe(1)
    expect(h.read().valueAtQuantile(0.5)).toBe(5)
    now = 200
    expect(h.read().total).toBe(0)
  })
})

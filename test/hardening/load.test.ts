/**
 * R3 load: 10,000 concurrent oneshots through concurrencyLimit(64) + buffer(128) + loadShed +
 * timeout, with random latencies and failures. Every call settles, none is answered twice or with
 * another call's answer, the inner service never sees more than 64 calls at once, and at the end
 * every permit, buffer slot and loadShed reservation is free and no timer is left.
 */
import {
  type BufferService,
  buffer,
  type Clock,
  type ConcurrencyLimitService,
  concurrencyLimit,
  type LoadShedService,
  loadShed,
  OverloadedError,
  oneshot,
  type Service,
  systemClock,
  TimeoutError,
  timeout,
} from '@turret/core'
import { flush } from '@turret/core/testing'
import { describe, expect, it } from 'vitest'

const CALLS = 10_000
const LIMIT = 64
const BOUND = 128

/** A small seeded PRNG (mulberry32), so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

class InnerFailure extends Error {
  override name = 'InnerFailure'
}

/** How the inner service answers one request. */
type Plan = { readonly kind: 'ok' | 'fail'; readonly delay: (done: () => void) => void } | { readonly kind: 'throw' } // synchronous throw from call()

/** The inner service: counts calls in flight (and the maximum), and records each request it sees. */
class Inner implements Service<number, number> {
  inflight = 0
  maxInflight = 0
  readonly seen = new Map<number, number>()
  settled = 0
  constructor(private readonly plan: (id: number) => Plan) {}
  ready(): undefined {
    return undefined
  }
  call(id: number): Promise<number> {
    this.seen.set(id, (this.seen.get(id) ?? 0) + 1)
    const plan = this.plan(id)
    if (plan.kind === 'throw') throw new InnerFailure(`sync ${id}`)
    this.inflight++
    if (this.inflight > this.maxInflight) this.maxInflight = this.inflight
    return new Promise<number>((resolve, reject) => {
      plan.delay(() => {
        this.inflight--
        this.settled++
        if (plan.kind === 'ok') resolve(id * 2)
        else reject(new InnerFailure(`failed ${id}`))
      })
    })
  }
}

interface Stack {
  readonly outer: Service<number, number>
  readonly limit: ConcurrencyLimitService<number, number>
  readonly buffer: BufferService<number, number>
  readonly shed: LoadShedService<number, number> | undefined
}

/**
 * `timeout(ms) → buffer(128) → [loadShed →] concurrencyLimit(64) → inner`. The timeout sits
 * outside the limit: a timeout does not cancel the inner call (as in tower), so a timeout inside
 * the limit would let the inner service see more than 64 calls, by design.
 */
function stack(inner: Inner, ms: number, clock: Clock, withShed: boolean): Stack {
  const limit = concurrencyLimit(LIMIT)(inner)
  const shed = withShed ? loadShed()(limit) : undefined
  const buf = buffer(BOUND)(shed ?? limit)
  const outer = timeout(ms, { clock })(buf)
  return { outer, limit, buffer: buf, shed }
}

interface Outcomes {
  timerExcess: number
  readonly settledTimes: Uint8Array
  ok: number
  failed: number
  thrown: number
  timedOut: number
  shed: number
  other: unknown[]
  wrongAnswer: number
}

/** Starts call `id` for every id in `[from, to)`. */
type Starter = (from: number, to: number) => void

/**
 * Starts oneshots on `outer` and records how each settles. `liveTimers` reads the timeout layer's
 * live timers: at every settlement it may not exceed the calls still outstanding (a timer that
 * outlives its call is a leak); the largest excess is kept in `timerExcess`.
 */
function launch(
  outer: Service<number, number>,
  liveTimers: () => number,
): { outcomes: Outcomes; start: Starter; all: () => Promise<unknown> } {
  let started = 0
  let settled = 0
  const settle = (id: number) => {
    outcomes.settledTimes[id] = (outcomes.settledTimes[id] as number) + 1
    settled++
    const excess = liveTimers() - (started - settled)
    if (excess > outcomes.timerExcess) outcomes.timerExcess = excess
  }
  const outcomes: Outcomes = {
    timerExcess: 0,
    settledTimes: new Uint8Array(CALLS),
    ok: 0,
    failed: 0,
    thrown: 0,
    timedOut: 0,
    shed: 0,
    other: [],
    wrongAnswer: 0,
  }
  const promises: Promise<void>[] = []
  const start: Starter = (from, to) => {
    for (let id = from; id < to; id++) {
      started++
      promises.push(
        oneshot(outer, id).then(
          (value) => {
            settle(id)
            if (value === id * 2) outcomes.ok++
            else outcomes.wrongAnswer++
          },
          (error: unknown) => {
            settle(id)
            if (error instanceof InnerFailure) {
              if (error.message.startsWith('sync')) outcomes.thrown++
              else outcomes.failed++
              if (!error.message.endsWith(` ${id}`)) outcomes.wrongAnswer++
            } else if (error instanceof TimeoutError) outcomes.timedOut++
            else if (error instanceof OverloadedError) outcomes.shed++
            else outcomes.other.push(error)
          },
        ),
      )
    }
  }
  return { outcomes, start, all: () => Promise.all(promises) }
}

function expectAllFree(s: Stack, inner: Inner): void {
  expect(inner.inflight).toBe(0)
  expect(s.limit.semaphore.available).toBe(LIMIT)
  expect(s.limit.semaphore.waiting).toBe(0)
  expect(s.limit.reserved).toBe(0)
  expect(s.buffer.available).toBe(BOUND)
  expect(s.buffer.reserved).toBe(0)
  expect(s.buffer.queued).toBe(0)
  expect(s.buffer.waiting).toBe(0)
  if (s.shed) expect(s.shed.held).toBe(0)
}

function expectSettledOnce(outcomes: Outcomes, inner: Inner): void {
  let never = 0
  let twice = 0
  for (const n of outcomes.settledTimes) {
    if (n === 0) never++
    else if (n > 1) twice++
  }
  expect({ never, twice, wrongAnswer: outcomes.wrongAnswer, other: outcomes.other }).toEqual({
    never: 0,
    twice: 0,
    wrongAnswer: 0,
    other: [],
  })
  expect(outcomes.ok + outcomes.failed + outcomes.thrown + outcomes.timedOut + outcomes.shed).toBe(CALLS)
  // No request reached the inner service twice.
  for (const [id, n] of inner.seen) if (n !== 1) expect.fail(`request ${id} reached the inner service ${n} times`)
}

/**
 * A virtual clock for many timers: buckets per millisecond, O(1) set and clear (TestClock keeps one
 * sorted array, which is quadratic at 10,000 timers). `advance` runs each due millisecond, then lets
 * every queued promise callback run (a macrotask turn).
 */
class BucketClock implements Clock {
  #now = 0
  #next = 1
  readonly #buckets = new Map<number, Map<number, () => void>>()
  readonly #at = new Map<number, number>()
  now(): number {
    return this.#now
  }
  setTimeout(fn: () => void, ms: number): number {
    const id = this.#next++
    const at = this.#now + Math.max(1, Math.ceil(ms))
    let bucket = this.#buckets.get(at)
    if (bucket === undefined) {
      bucket = new Map()
      this.#buckets.set(at, bucket)
    }
    bucket.set(id, fn)
    this.#at.set(id, at)
    return id
  }
  clearTimeout(handle: unknown): void {
    const at = this.#at.get(handle as number)
    if (at === undefined) return
    this.#at.delete(handle as number)
    this.#buckets.get(at)?.delete(handle as number)
  }
  get pending(): number {
    return this.#at.size
  }
  async advance(ms: number): Promise<void> {
    for (let i = 0; i < ms; i++) {
      this.#now++
      const bucket = this.#buckets.get(this.#now)
      if (bucket !== undefined) {
        this.#buckets.delete(this.#now)
        for (const [id, fn] of bucket) {
          this.#at.delete(id)
          fn()
        }
      }
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
}

/** Wraps a clock to count its live timers (set, and neither fired nor cleared). */
function counting(base: Clock): Clock & { readonly live: number } {
  const live = new Set<unknown>()
  return {
    get live() {
      return live.size
    },
    now: () => base.now(),
    setTimeout(fn, ms) {
      const handle = base.setTimeout(() => {
        live.delete(handle)
        fn()
      }, ms)
      live.add(handle)
      return handle
    },
    clearTimeout(handle) {
      live.delete(handle)
      base.clearTimeout(handle)
    },
  }
}

/** Resolves `undefined` if `p` has not settled within `ms` of real time (then the test fails on its own checks). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  try {
    return await Promise.race([p, late])
  } finally {
    clearTimeout(timer)
  }
}

function timeouts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
}

describe('R3: 10,000 concurrent oneshots through timeout + buffer(128) + loadShed + concurrencyLimit(64)', () => {
  for (const withShed of [true, false]) {
    const name = withShed ? 'with loadShed' : 'without loadShed (everyone waits)'
    it(`virtual-clock latencies, ${name}: each call settles once, ≤ 64 in flight, all capacity free, no timer left`, async () => {
      const clock = new BucketClock()
      const rand = prng(withShed ? 0xc0ffee : 0xbeef)
      const inner = new Inner(() => {
        const r = rand()
        if (r < 0.02) return { kind: 'throw' }
        const kind = r < 0.12 ? 'fail' : 'ok'
        // Mostly short, some long, a few past the 100 ms timeout.
        const p = rand()
        const ms = p < 0.7 ? 1 + rand() * 9 : p < 0.95 ? 10 + rand() * 50 : 60 + rand() * 90
        return { kind, delay: (done) => void clock.setTimeout(done, ms) }
      })
      const timeoutClock = counting(clock)
      const s = stack(inner, 100, timeoutClock, withShed)
      const { outcomes, start, all } = launch(s.outer, () => timeoutClock.live)
      // 10,000 calls arrive over 1 s of virtual time (10 per ms), about 3x what 64 slots can serve.
      const perMs = 10
      for (let at = 0; at < CALLS; at += perMs) {
        start(at, at + perMs)
        await clock.advance(1)
      }
      let done = false
      let liveAtEnd = -1
      void all().then(() => {
        done = true
        liveAtEnd = timeoutClock.live // the moment the last call settled
      })
      // Bounded: 20 s of virtual time is far more than the ~3 s this load needs.
      for (let step = 0; step < 20_000 && !(done && clock.pending === 0); step++) await clock.advance(1)

      expectSettledOnce(outcomes, inner)
      expect(inner.maxInflight).toBeLessThanOrEqual(LIMIT)
      expect(inner.maxInflight).toBeGreaterThan(LIMIT / 2) // the limit was actually under pressure
      expectAllFree(s, inner)
      // Every timeout timer was cleared or fired by the time its call settled.
      expect(outcomes.timerExcess).toBe(0)
      expect(liveAtEnd).toBe(0)
      expect(clock.pending).toBe(0)
      // Every kind of outcome happened.
      expect(outcomes.ok).toBeGreaterThan(0)
      expect(outcomes.failed).toBeGreaterThan(0)
      expect(outcomes.thrown).toBeGreaterThan(0)
      expect(outcomes.timedOut).toBeGreaterThan(0)
      if (withShed) expect(outcomes.shed).toBeGreaterThan(0)
      else expect(outcomes.shed).toBe(0)
    }, 60_000)
  }

  it('real timers and microtask-level randomness: same properties, and no Timeout handle left behind', async () => {
    const before = timeouts()
    const rand = prng(0x5eed)
    let innerTimers = 0
    const inner = new Inner(() => {
      const r = rand()
      if (r < 0.02) return { kind: 'throw' }
      const kind = r < 0.12 ? 'fail' : 'ok'
      const p = rand()
      if (p < 0.01) {
        // A few calls outlive the 25 ms timeout on a real timer.
        return {
          kind,
          delay: (done) => {
            innerTimers++
            setTimeout(() => {
              innerTimers--
              done()
            }, 40)
          },
        }
      }
      if (p < 0.3) {
        const turns = Math.floor(rand() * 3) + 1
        return {
          kind,
          delay: (done) => {
            let left = turns
            const tick = () => (--left === 0 ? done() : setImmediate(tick))
            setImmediate(tick)
          },
        }
      }
      const turns = Math.floor(rand() * 50)
      return {
        kind,
        delay: (done) => {
          let chain = Promise.resolve()
          for (let i = 0; i < turns; i++) chain = chain.then(() => undefined)
          void chain.then(done)
        },
      }
    })
    const timeoutClock = counting(systemClock)
    const s = stack(inner, 25, timeoutClock, true)
    const { outcomes, start, all } = launch(s.outer, () => timeoutClock.live)
    start(0, CALLS)
    // The moment the last call settles: no timeout timer may be live, and the process holds no
    // Timeout handle beyond the inner service's own slow calls.
    const atEnd = await within(
      all().then(() => ({ live: timeoutClock.live, handles: timeouts(), innerTimers })),
      20_000,
    )
    expect(atEnd).toBeDefined()
    expect(outcomes.timerExcess).toBe(0)
    expect(atEnd?.live).toBe(0)
    // `before`, plus the guard timer of `within`, plus the inner service's own slow calls.
    expect(atEnd?.handles).toBeLessThanOrEqual(before + 1 + (atEnd?.innerTimers ?? 0))
    // Calls that timed out may still run inside; wait for them (bounded) without sleeping long.
    for (let i = 0; i < 200 && inner.inflight > 0; i++) await new Promise((r) => setTimeout(r, 5))
    await flush()

    expectSettledOnce(outcomes, inner)
    expect(inner.maxInflight).toBeLessThanOrEqual(LIMIT)
    expectAllFree(s, inner)
    expect(outcomes.ok).toBeGreaterThan(0)
    expect(outcomes.failed + outcomes.thrown).toBeGreaterThan(0)
    // And once the inner calls are done, no Timeout handle is left at all.
    expect(timeouts()).toBeLessThanOrEqual(before)
  }, 60_000)
})

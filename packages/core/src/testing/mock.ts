import { ClosedError, NotReadyError } from '../errors'
import type { Ready, Service } from '../service'

/** Answers one request the mock received. */
export interface Responder<Res> {
  /** Resolves the call with `value`. */
  respond(value: Res): void
  /** Rejects the call with `error`. */
  fail(error: unknown): void
}

/** A request received by a mock service, with the means to answer it. */
export interface MockRequest<Req, Res> extends Responder<Res> {
  /** The request as the mock service received it. */
  readonly request: Req
}

/** Drives a mock service from the test (tower-test's `Handle`). */
export interface MockHandle<Req, Res> {
  /** Allows `n` more calls from now on (the default is unlimited); `allow(0)` makes `ready()` pend. */
  allow(n: number): void
  /** Makes the next readiness check fail with `error` (once), waking pending waiters with it. */
  sendError(error: unknown): void
  /** Resolves with the next request the service receives. */
  nextRequest(): Promise<MockRequest<Req, Res>>
  /** The next received request if there is one now, else `undefined`. */
  pollRequest(): MockRequest<Req, Res> | undefined
  /** Closes the mock: readiness then fails with `ClosedError`. */
  close(): void
  /** Another service over the same state, with its own reservations (a tower-test clone). */
  newService(): Service<Req, Res>
  /** Calls received and not yet answered. */
  readonly outstanding: number
  /** Reservations made by `ready()` and not yet used by `call()`, over every service of this mock. */
  readonly reserved: number
  /** Readiness checks pending now: callers awaiting a `ready()` the mock has not allowed yet. */
  readonly waiting: number
}

interface Shared<Req, Res> {
  remaining: number
  errWith: { error: unknown } | undefined
  closed: boolean
  waiters: Array<() => void>
  received: MockRequest<Req, Res>[]
  takers: Array<(r: MockRequest<Req, Res>) => void>
  outstanding: number
  reserved: number
}

class MockService<Req, Res> implements Service<Req, Res> {
  readonly layerName = 'mock'
  readonly inner = undefined
  private reservations = 0
  constructor(private readonly shared: Shared<Req, Res>) {}

  ready(): Ready {
    const state = this.poll()
    if (state === 'ready') return undefined
    return new Promise<void>((resolve, reject) => {
      const retry = () => {
        try {
          if (this.poll() === 'ready') resolve()
          else this.shared.waiters.push(retry)
        } catch (error) {
          reject(error)
        }
      }
      this.shared.waiters.push(retry)
    })
  }

  /** 'ready' after reserving one call, 'pending' when none is allowed now; throws when failed. */
  private poll(): 'ready' | 'pending' {
    const s = this.shared
    if (s.closed) throw new ClosedError('mock service closed')
    if (s.errWith) {
      const { error } = s.errWith
      s.errWith = undefined
      throw error
    }
    if (s.remaining - s.reserved > 0) {
      this.reservations++
      s.reserved++
      return 'ready'
    }
    return 'pending'
  }

  call(request: Req): Promise<Res> {
    const s = this.shared
    if (this.reservations === 0) return Promise.reject(new NotReadyError())
    this.reservations--
    s.reserved--
    s.remaining--
    s.outstanding++
    return new Promise<Res>((resolve, reject) => {
      let answered = false
      const once = (f: () => void) => {
        if (answered) throw new Error('mock request answered twice')
        answered = true
        s.outstanding--
        f()
      }
      const received: MockRequest<Req, Res> = {
        request,
        respond: (value) => once(() => resolve(value)),
        fail: (error) => once(() => reject(error)),
      }
      const taker = s.takers.shift()
      if (taker) taker(received)
      else s.received.push(received)
    })
  }
}

function wakeAll(shared: Shared<unknown, unknown>): void {
  const waiters = shared.waiters.splice(0)
  for (const w of waiters) w()
}

/**
 * A service the test controls (tower-test's `mock::pair`): it records each request and lets the
 * test decide readiness and answers.
 *
 * @example
 * ```ts
 * const { service, handle } = mockService<string, number>()
 * const res = oneshot(timeout(100)(service), 'hello')
 * const { request, respond } = await handle.nextRequest()
 * expect(request).toBe('hello')
 * respond(5)
 * expect(await res).toBe(5)
 * ```
 */
export function mockService<Req, Res>(): { service: Service<Req, Res>; handle: MockHandle<Req, Res> } {
  const shared: Shared<Req, Res> = {
    remaining: Number.POSITIVE_INFINITY,
    errWith: undefined,
    closed: false,
    waiters: [],
    received: [],
    takers: [],
    outstanding: 0,
    reserved: 0,
  }
  const wake = () => wakeAll(shared as Shared<unknown, unknown>)
  const handle: MockHandle<Req, Res> = {
    allow(n) {
      shared.remaining = n
      if (n > 0) wake()
    },
    sendError(error) {
      shared.errWith = { error }
      wake()
    },
    nextRequest() {
      const next = shared.received.shift()
      if (next) return Promise.resolve(next)
      return new Promise((resolve) => shared.takers.push(resolve))
    },
    pollRequest() {
      return shared.received.shift()
    },
    close() {
      shared.closed = true
      wake()
    },
    newService() {
      return new MockService(shared)
    },
    get outstanding() {
      return shared.outstanding
    },
    get reserved() {
      return shared.reserved
    },
    get waiting() {
      return shared.waiters.length
    },
  }
  return { service: new MockService(shared), handle }
}

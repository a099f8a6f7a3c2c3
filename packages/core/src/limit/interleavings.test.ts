import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buffer } from '../buffer'
import { loadShed } from '../load-shed'
import type { Service } from '../service'
import { flush, type MockRequest, mockService } from '../testing'
import { concurrencyLimit } from './index'

interface Req {
  readonly id: number
  readonly signal: AbortSignal | undefined
}

type Command =
  | { readonly t: 'call'; readonly withSignal: boolean }
  | { readonly t: 'complete'; readonly k: number }
  | { readonly t: 'fail'; readonly k: number }
  | { readonly t: 'abort'; readonly k: number }
  | { readonly t: 'allow'; readonly n: number }

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ t: fc.constant('call' as const), withSignal: fc.boolean() }),
  fc.record({ t: fc.constant('complete' as const), k: fc.nat() }),
  fc.record({ t: fc.constant('fail' as const), k: fc.nat() }),
  fc.record({ t: fc.constant('abort' as const), k: fc.nat() }),
  fc.record({ t: fc.constant('allow' as const), n: fc.integer({ min: 0, max: 3 }) }),
)

interface Caller {
  readonly controller: AbortController | undefined
  settled: number
}

describe('concurrencyLimit + buffer + loadShed under random interleavings', () => {
  it('never exceeds the limit, settles every call exactly once, and frees every permit and slot', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('loadShed>limit', 'buffer>limit', 'buffer>loadShed>limit'),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(command, { maxLength: 60 }),
        async (stack, limit, bound, commands) => {
          const { service, handle } = mockService<Req, number>()
          const limited = concurrencyLimit(limit)(service)
          const shed = stack.includes('loadShed') ? loadShed()(limited) : undefined
          const buffered = stack.startsWith('buffer') ? buffer(bound)(shed ?? limited) : undefined
          const outer: Service<Req, number> & {
            ready(signal?: AbortSignal): ReturnType<Service<Req, number>['ready']>
          } = buffered ?? (shed as NonNullable<typeof shed>)

          const callers: Caller[] = []
          const inflight: MockRequest<Req, number>[] = []
          let maxInflight = 0
          const collect = async () => {
            await flush()
            for (let r = handle.pollRequest(); r; r = handle.pollRequest()) inflight.push(r)
            maxInflight = Math.max(maxInflight, handle.outstanding)
            expect(handle.outstanding).toBeLessThanOrEqual(limit)
          }
          const start = (withSignal: boolean) => {
            const controller = withSignal ? new AbortController() : undefined
            const caller: Caller = { controller, settled: 0 }
            callers.push(caller)
            const id = callers.length
            const signal = controller?.signal
            const run = async () => {
              const ready = outer.ready(signal)
              if (ready !== undefined) await ready
              return outer.call({ id, signal })
            }
            run().then(
              () => caller.settled++,
              () => caller.settled++,
            )
          }

          for (const c of commands) {
            if (c.t === 'call') start(c.withSignal)
            else if (c.t === 'allow')
              handle.allow(c.n) // the inner service itself becomes (partly) unready
            else if (c.t === 'abort')
              callers[c.k % Math.max(1, callers.length)]?.controller?.abort(new Error('aborted'))
            else if (inflight.length > 0) {
              const [req] = inflight.splice(c.k % inflight.length, 1)
              if (c.t === 'complete') req?.respond(req.request.id)
              else req?.fail(new Error('failed'))
            }
            await collect()
          }
          // Drain: abort whoever can be aborted, answer everything still in flight.
          for (const caller of callers) caller.controller?.abort(new Error('aborted'))
          handle.allow(Number.POSITIVE_INFINITY)
          for (let round = 0; round < 1_000; round++) {
            await collect()
            if (inflight.length === 0 && callers.every((c) => c.settled > 0)) break
            for (const req of inflight.splice(0)) req.respond(req.request.id)
          }
          await collect()

          expect(maxInflight).toBeLessThanOrEqual(limit)
          for (const caller of callers) expect(caller.settled).toBe(1)
          expect(limited.semaphore.available).toBe(limit)
          expect(limited.semaphore.waiting).toBe(0)
          expect(limited.reserved).toBe(0)
          // Inner reservations that arrived after their caller left are kept for the next caller, not lost.
          expect(handle.reserved).toBe(limited.spare)
          expect(handle.outstanding).toBe(0)
          if (shed) expect(shed.held).toBe(0)
          if (buffered) {
            expect(buffered.available).toBe(bound)
            expect(buffered.reserved).toBe(0)
            expect(buffered.queued).toBe(0)
            expect(buffered.waiting).toBe(0)
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})

/**
 * `run()` (the custom-runtime loop of @turret/lambda) against the Lambda emulator of @turret/dev:
 * the two sides of the Runtime API written independently, meeting on loopback.
 */
import { serviceFn } from '@turret/core'
import { startEmulator } from '@turret/dev/emulator'
import { type LambdaEvent, run, streamingResponse } from '@turret/lambda'
import { describe, expect, it, vi } from 'vitest'

describe('run() against the @turret/dev emulator', () => {
  it('answers, reports errors, streams, and carries the context', async () => {
    const emu = await startEmulator({ functionName: 'orders', memory: 256, onOutput: () => {} })
    const controller = new AbortController()
    const svc = serviceFn(async ({ payload, context }: LambdaEvent<{ op: string }>) => {
      if (payload.op === 'fail') throw new RangeError('bad op')
      if (payload.op === 'stream') {
        return streamingResponse(
          (async function* () {
            yield 'a'
            yield 'b'
          })(),
          { contentType: 'text/plain' },
        )
      }
      return {
        fn: context.env.functionName,
        memory: context.env.memoryLimitInMB,
        tenant: context.tenantId,
        trace: context.xrayTraceId,
        hasDeadline: context.remainingTimeMs() > 0,
      }
    })
    const exit = vi.fn()
    const done = run(svc, { env: emu.env, exit, signal: controller.signal, logger: { error: vi.fn() } })
    try {
      const ok = await emu.invoke({ op: 'get' }, { tenantId: 't-1', traceId: 'Root=1-abc;Sampled=1' })
      expect(ok.functionError).toBeUndefined()
      expect(ok.json()).toEqual({
        fn: 'orders',
        memory: 256,
        tenant: 't-1',
        trace: 'Root=1-abc;Sampled=1',
        hasDeadline: true,
      })

      const failed = await emu.invoke({ op: 'fail' })
      expect(failed.functionError).toBe('Unhandled')
      expect(failed.error).toMatchObject({ errorType: 'RangeError', errorMessage: 'bad op' })

      const streamed = await emu.invoke({ op: 'stream' })
      expect(streamed.streamed).toBe(true)
      expect(streamed.text()).toBe('ab')
    } finally {
      controller.abort()
      await done
      await emu.close()
    }
    expect(exit).not.toHaveBeenCalled()
  })
})

/**
 * A Runtime API conformance suite that takes any runtime command: each runtime runs the
 * conformance function (fixtures/conformance-ops.mjs) under the emulator, and the suite checks what
 * the Invoke API reports — results in order, context, errors, timeouts, crashes, oversize responses
 * and init errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Emulator, type EmulatorInvokeResult, startEmulator } from '../src/emulator/index'

/** How the suite talks to a runtime's function: raw events, or API Gateway v2 HTTP events with JSON bodies. */
export type Codec = 'raw' | 'http'

/** A runtime under test. */
export interface RuntimeUnderTest {
  /** The command that runs the conformance function as a runtime (AWS_LAMBDA_RUNTIME_API is set for it). */
  readonly command: readonly string[]
  /** The command that runs a function whose init fails with RangeError('init went wrong'). */
  readonly initErrorCommand?: readonly string[] | undefined
  /** The runtime's working directory. */
  readonly cwd?: string | undefined
  /** Extra environment. */
  readonly env?: Readonly<Record<string, string>> | undefined
  /** The event codec. Defaults to `'raw'`. */
  readonly codec?: Codec | undefined
}

const FUNCTION = 'conformance'
const TIMEOUT_MS = 6_000

function encode(codec: Codec, op: Record<string, unknown>): unknown {
  if (codec === 'raw') return op
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: `/${op.op}`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'conformance.local' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'conformance',
      domainName: 'conformance.local',
      domainPrefix: 'conformance',
      http: { method: 'POST', path: `/${op.op}`, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'suite' },
      requestId: 'conformance',
      routeKey: '$default',
      stage: '$default',
      time: '28/Nov/2026:12:00:00 +0000',
      timeEpoch: 1795867200000,
    },
    body: JSON.stringify(op),
    isBase64Encoded: false,
  }
}

function decode(codec: Codec, result: EmulatorInvokeResult): unknown {
  expect(result.error, 'unexpected function error').toBeUndefined()
  const value = result.json()
  if (codec === 'raw') return value
  const http = value as { statusCode: number; body: string; isBase64Encoded?: boolean }
  expect(http.statusCode).toBe(200)
  return JSON.parse(http.isBase64Encoded ? Buffer.from(http.body, 'base64').toString('utf8') : http.body)
}

/** Defines the conformance tests for one runtime. */
export function conformance(name: string, runtime: () => RuntimeUnderTest, enabled = true): void {
  describe.skipIf(!enabled)(`Runtime API conformance: ${name}`, () => {
    let emu: Emulator
    let codec: Codec
    const output: string[] = []

    beforeAll(async () => {
      const r = runtime()
      codec = r.codec ?? 'raw'
      emu = await startEmulator({
        functionName: FUNCTION,
        timeoutMs: TIMEOUT_MS,
        command: r.command,
        cwd: r.cwd,
        env: r.env,
        onOutput: (text) => output.push(text),
      })
    })
    afterAll(async () => {
      await emu?.close()
    })

    const call = (op: Record<string, unknown>) => emu.invoke(encode(codec, op))
    const expectHealthy = async () => {
      const value = `healthy-${Math.random()}`
      expect(decode(codec, await call({ op: 'echo', value }))).toEqual({ echo: value })
    }

    it('serves several invocations in order', async () => {
      for (let i = 0; i < 5; i++) expect(decode(codec, await call({ op: 'echo', value: i }))).toEqual({ echo: i })
    }, 60_000)

    it('gives the function the invocation context from the /next headers', async () => {
      const result = await call({ op: 'context' })
      const info = decode(codec, result) as Record<string, unknown>
      expect(info.requestId).toBe(result.requestId)
      expect(info.arn).toBe(`arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}`)
      expect(info.functionName).toBe(FUNCTION)
      expect(info.envName).toBe(FUNCTION)
      expect(info.remainingMs).toBeGreaterThan(0)
      expect(info.remainingMs).toBeLessThanOrEqual(TIMEOUT_MS)
    }, 20_000)

    it('reports a thrown error as a function error (X-Amz-Function-Error: Unhandled) and keeps serving', async () => {
      const res = await fetch(`${emu.url}/2015-03-31/functions/${FUNCTION}/invocations`, {
        method: 'POST',
        body: JSON.stringify(encode(codec, { op: 'throw', message: 'conformance failure' })),
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('x-amz-function-error')).toBe('Unhandled')
      const doc = (await res.json()) as { errorType: string; errorMessage: string }
      expect(typeof doc.errorType).toBe('string')
      expect(doc.errorMessage).toContain('conformance failure')
      await expectHealthy()
    }, 20_000)

    it('a function past its deadline fails with Task timed out; the restarted runtime serves the next call', async () => {
      const result = await call({ op: 'sleep', ms: 30_000 })
      expect(result.functionError).toBe('Unhandled')
      expect(result.error?.errorType).toBe('Sandbox.Timedout')
      expect(result.error?.errorMessage).toMatch(/Task timed out after 6\.00 seconds$/)
      await expectHealthy()
    }, 60_000)

    it('a runtime that exits mid-invocation gives Runtime.ExitError; the next call gets a fresh runtime', async () => {
      const result = await call({ op: 'exit', code: 3 })
      expect(result.functionError).toBe('Unhandled')
      expect(result.error?.errorType).toBe('Runtime.ExitError')
      expect(result.error?.errorMessage).toContain('exit status 3')
      await expectHealthy()
    }, 60_000)

    it('a response over 6 MB fails the invocation (413 to the runtime), and the function keeps working', async () => {
      const result = await call({ op: 'big', bytes: 7 * 1024 * 1024 })
      expect(result.functionError).toBe('Unhandled')
      expect(result.error?.errorType).toBe('Function.ResponseSizeTooLarge')
      await expectHealthy()
    }, 60_000)

    it('an init error is served in response to the first invoke', async () => {
      const r = runtime()
      if (!r.initErrorCommand) return
      const failing = await startEmulator({
        functionName: FUNCTION,
        timeoutMs: TIMEOUT_MS,
        command: r.initErrorCommand,
        cwd: r.cwd,
        env: r.env,
        onOutput: () => {},
      })
      try {
        const result = await failing.invoke(encode(codec, { op: 'echo', value: 1 }))
        expect(result.functionError).toBe('Unhandled')
        expect(result.error?.errorMessage).toContain('init went wrong')
      } finally {
        await failing.close()
      }
    }, 60_000)
  })
}

import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { oneshot } from '@turret/core'
import { startEmulator } from '@turret/dev'
import { lambdaEvent } from '@turret/lambda/testing'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidCart, service } from '../src/service'

const example = fileURLToPath(new URL('..', import.meta.url))
const cart = {
  lines: [
    { sku: 'tea', qty: 2, cents: 350 },
    { sku: 'mug', qty: 1, cents: 900 },
  ],
  discountPercent: 10,
}

describe('custom-runtime: the service, oneshot-style', () => {
  it('prices a cart', async () => {
    const res = await oneshot(service, lambdaEvent(cart, { requestId: 'r-1', env: { functionName: 'pricing' } }))
    expect(res).toEqual({ items: 3, totalCents: 1440, pricedBy: 'pricing', requestId: 'r-1' })
  })

  it('refuses a bad cart with InvalidCart', async () => {
    await expect(oneshot(service, lambdaEvent({ lines: [{ sku: 'x', qty: -1, cents: 1 }] }))).rejects.toBeInstanceOf(
      InvalidCart,
    )
  })
})

describe('custom-runtime: the esbuild bundle run by the bootstrap script, against the Lambda emulator', () => {
  let dist: string
  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'turret-custom-runtime-'))
    // The same bundle as `pnpm build` (esbuild --bundle --platform=node --format=esm).
    await build({
      entryPoints: [join(example, 'src/bootstrap.ts')],
      tsconfig: join(example, 'tsconfig.json'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: join(dist, 'bootstrap.mjs'),
      logLevel: 'silent',
    })
    copyFileSync(join(example, 'bootstrap'), join(dist, 'bootstrap'))
  }, 30_000)
  afterAll(() => rmSync(dist, { recursive: true, force: true }))

  it('the bundle is self-contained: the runtime loop inside, no @turret import left', () => {
    const code = readFileSync(join(dist, 'bootstrap.mjs'), 'utf8')
    expect(code).toContain('/2018-06-01')
    expect(code).not.toMatch(/from ['"]@turret\//)
  })

  it('answers invocations and reports function errors through the Runtime API', async () => {
    const output: string[] = []
    const emu = await startEmulator({
      functionName: 'pricing',
      timeoutMs: 10_000,
      command: ['sh', join(dist, 'bootstrap')],
      cwd: dist,
      onOutput: (text) => output.push(text),
    })
    try {
      const ok = await emu.invoke(cart)
      expect(ok.functionError, output.join('')).toBeUndefined()
      expect(ok.json()).toMatchObject({ items: 3, totalCents: 1440, pricedBy: 'pricing' })
      expect((ok.json() as { requestId: string }).requestId).toMatch(/[0-9a-f-]{36}/)

      const bad = await emu.invoke({ lines: 'nope' })
      expect(bad.functionError).toBe('Unhandled')
      expect(bad.error).toMatchObject({
        errorType: 'InvalidCart',
        errorMessage: 'expected { lines: [{ sku, qty, cents }] }',
      })

      // The loop keeps serving after an error.
      const again = await emu.invoke({ lines: [{ sku: 'pen', qty: 4, cents: 125 }] })
      expect(again.json()).toMatchObject({ items: 4, totalCents: 500 })
    } finally {
      await emu.close()
    }
  }, 60_000)
})

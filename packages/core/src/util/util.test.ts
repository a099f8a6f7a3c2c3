import { describe, expect, it } from 'vitest'
import { RejectedError } from '../errors'
import { err, ok, type Result } from '../result'
import { describeStack, oneshot, type Service, serviceFn } from '../service'
import { mockService } from '../testing/mock'
import { andThen } from './and-then'
import { either } from './either'
import { filter, filterAsync } from './filter'
import { mapErr } from './map-err'
import { mapRequest } from './map-request'
import { mapResponse } from './map-response'
import { mapResult, mapResultAsync } from './map-result'
import { optionLayer } from './option-layer'

const double = serviceFn((n: number) => n * 2)
const failing = serviceFn((_: number): Promise<number> => Promise.reject(new Error('inner failed')))

describe('mapRequest', () => {
  it('maps the request before the inner service', async () => {
    expect(await oneshot(mapRequest((s: string) => s.length)(double), 'abc')).toBe(6)
  })
  it('a throwing mapper rejects the call and the inner is not called', async () => {
    const { service, handle } = mockService<number, number>()
    const svc = mapRequest((_: string): number => {
      throw new Error('bad request')
    })(service)
    await expect(oneshot(svc, 'x')).rejects.toThrow('bad request')
    expect(handle.pollRequest()).toBeUndefined()
  })
})

describe('mapResponse', () => {
  it('maps the response', async () => {
    expect(await oneshot(mapResponse((n: number) => `n=${n}`)(double), 2)).toBe('n=4')
  })
  it('passes errors through untouched, and a throwing mapper rejects', async () => {
    const f = mapResponse((n: number) => n + 1)
    await expect(oneshot(f(failing), 1)).rejects.toThrow('inner failed')
    const throwing = mapResponse((_: number) => {
      throw new Error('mapper')
    })(double)
    await expect(oneshot(throwing, 1)).rejects.toThrow('mapper')
  })
  it('readiness passes through unchanged', () => {
    const { service, handle } = mockService<number, number>()
    handle.allow(0)
    expect(mapResponse((n: number) => n)(service).ready()).toBeInstanceOf(Promise)
  })
})

describe('mapErr', () => {
  it('maps call errors', async () => {
    const svc = mapErr((e) => new Error(`wrapped: ${(e as Error).message}`))(failing)
    await expect(oneshot(svc, 1)).rejects.toThrow('wrapped: inner failed')
  })
  it('maps readiness errors, thrown and rejected (tower: applied to poll_ready errors too)', async () => {
    const thrown: Service<number, number> = {
      ready() {
        throw new Error('sync ready failure')
      },
      call: () => Promise.resolve(1),
    }
    const rejected: Service<number, number> = {
      ready: () => Promise.reject(new Error('async ready failure')),
      call: () => Promise.resolve(1),
    }
    const wrap = mapErr((e) => new Error(`mapped ${(e as Error).message}`))
    expect(() => wrap(thrown).ready()).toThrow('mapped sync ready failure')
    await expect(oneshot(wrap(rejected), 1)).rejects.toThrow('mapped async ready failure')
    // successes untouched
    expect(await oneshot(wrap(double), 2)).toBe(4)
  })
})

describe('mapResult', () => {
  it('sees successes and failures and may turn either into the other', async () => {
    const recover = mapResult((r: Result<number>) => (r.ok ? r.value : -1))
    expect(await oneshot(recover(double), 2)).toBe(4)
    expect(await oneshot(recover(failing), 2)).toBe(-1)
    const fail = mapResult((r: Result<number>) => {
      if (r.ok && r.value > 2) throw new Error('too big')
      return r.ok ? r.value : 0
    })
    await expect(oneshot(fail(double), 2)).rejects.toThrow('too big')
  })
  it('does not pass readiness errors through f', async () => {
    const { service, handle } = mockService<number, number>()
    const seen: Result<number>[] = []
    const svc = mapResult((r: Result<number>) => {
      seen.push(r)
      return 0
    })(service)
    handle.sendError(new Error('not ready'))
    await expect(oneshot(svc, 1)).rejects.toThrow('not ready')
    expect(seen).toEqual([])
  })
  it('ok/err build results', () => {
    expect(ok(1)).toEqual({ ok: true, value: 1 })
    expect(err('x')).toEqual({ ok: false, error: 'x' })
  })
})

describe('mapResultAsync (tower then)', () => {
  it('runs on success and on failure, asynchronously', async () => {
    const log: string[] = []
    const layer = mapResultAsync(async (r: Result<number>) => {
      log.push(r.ok ? `ok ${r.value}` : `err ${(r.error as Error).message}`)
      if (!r.ok) throw new Error('still failed')
      return r.value + 1
    })
    expect(await oneshot(layer(double), 3)).toBe(7)
    await expect(oneshot(layer(failing), 3)).rejects.toThrow('still failed')
    expect(log).toEqual(['ok 6', 'err inner failed'])
    expect(describeStack(layer(double))[0]).toBe('mapResultAsync')
  })
})

describe('andThen', () => {
  it('chains an async step on success; its rejection rejects; inner errors skip it', async () => {
    let calls = 0
    const layer = andThen(async (n: number) => {
      calls++
      if (n > 10) throw new Error('overflow')
      return `${n}`
    })
    expect(await oneshot(layer(double), 2)).toBe('4')
    await expect(oneshot(layer(double), 6)).rejects.toThrow('overflow')
    await expect(oneshot(layer(failing), 1)).rejects.toThrow('inner failed')
    expect(calls).toBe(2)
  })
})

describe('filter', () => {
  it('passes requests the predicate accepts (passthrough_sync: 10 requests in order)', async () => {
    const svc = filter((n: number) => n >= 0)(double)
    const out = await Promise.all(Array.from({ length: 10 }, (_, i) => oneshot(svc, i)))
    expect(out).toEqual(Array.from({ length: 10 }, (_, i) => i * 2))
  })
  it('rejects with RejectedError and does not call the inner (rejected_sync)', async () => {
    const { service, handle } = mockService<number, number>()
    const svc = filter((n: number) => n > 0)(service)
    const e = await oneshot(svc, -1).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(RejectedError)
    expect(e).toMatchObject({ code: 'ERR_REJECTED' })
    expect(handle.pollRequest()).toBeUndefined()
  })
  it('a throwing predicate rejects with RejectedError carrying the cause', async () => {
    const cause = new Error('invalid json')
    const svc = filter((_: string): number => {
      throw cause
    })(double)
    const e = await oneshot(svc, '{').catch((x: unknown) => x)
    expect(e).toBeInstanceOf(RejectedError)
    expect((e as RejectedError).cause).toBe(cause)
  })
  it('may transform the request', async () => {
    const svc = filter((s: string) => Number.parseInt(s, 10))(double)
    expect(await oneshot(svc, '21')).toBe(42)
  })
  it('a rejected request keeps the inner reservation for the next call: no leak', async () => {
    const { service, handle } = mockService<number, number>()
    handle.allow(1)
    const svc = filter((n: number) => n > 0)(service)
    await expect(oneshot(svc, -1)).rejects.toBeInstanceOf(RejectedError)
    expect(handle.reserved).toBe(1)
    const res = oneshot(svc, 5)
    const req = await handle.nextRequest()
    expect(req.request).toBe(5)
    req.respond(50)
    expect(await res).toBe(50)
    expect(handle.reserved).toBe(0)
  })
})

describe('filterAsync', () => {
  it('accepts, transforms and rejects asynchronously', async () => {
    const svc = filterAsync(async (s: string) => (s === 'no' ? false : s.length))(double)
    expect(await oneshot(svc, 'abcd')).toBe(8)
    await expect(oneshot(svc, 'no')).rejects.toBeInstanceOf(RejectedError)
    const rejecting = filterAsync((_: number) => Promise.reject(new Error('acl down')))(double)
    const e = await oneshot(rejecting, 1).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(RejectedError)
    expect(((e as RejectedError).cause as Error).message).toBe('acl down')
  })
})

describe('optionLayer and either', () => {
  it('optionLayer applies a layer or nothing', async () => {
    const inc = mapRequest((n: number) => n + 1)
    expect(await oneshot(optionLayer(inc)(double), 1)).toBe(4)
    expect(await oneshot(optionLayer<Service<number, number>>(undefined)(double), 1)).toBe(2)
    expect(optionLayer<Service<number, number>>(false)(double)).toBe(double)
  })
  it('either picks one of two services or layers when the stack is built', async () => {
    const triple = serviceFn((n: number) => n * 3)
    expect(await oneshot(either(true, double, triple), 2)).toBe(4)
    expect(await oneshot(either(false, double, triple), 2)).toBe(6)
    const plusOne = mapRequest((n: number) => n + 1)
    const minusOne = mapRequest((n: number) => n - 1)
    expect(await oneshot(either(false, plusOne, minusOne)(double), 5)).toBe(8)
  })
})

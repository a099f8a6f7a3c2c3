import { describe, expect, it } from 'vitest'
import { formatFailure, serverErrorsAsFailures, statusInRange } from './index'

describe('classifiers', () => {
  it('serverErrorsAsFailures: 5xx fail, the rest succeed, errors fail', () => {
    const c = serverErrorsAsFailures()
    expect(c.classifyResponse(new Response(null, { status: 200 }))).toBeUndefined()
    expect(c.classifyResponse(new Response(null, { status: 404 }))).toBeUndefined()
    const f = c.classifyResponse(new Response(null, { status: 503 }))
    expect(f).toEqual({ kind: 'status', status: 503 })
    expect(formatFailure(f as NonNullable<typeof f>)).toBe('Status code: 503')
    expect(formatFailure(c.classifyError(new Error('boom')))).toBe('Error: boom')
  })

  it('statusInRange basic: 200 ok, 400 and 500 failures', () => {
    const c = statusInRange(400, 599)
    expect(c.classifyResponse(new Response(null, { status: 200 }))).toBeUndefined()
    expect(c.classifyResponse(new Response(null, { status: 400 }))).toEqual({ kind: 'status', status: 400 })
    expect(c.classifyResponse(new Response(null, { status: 500 }))).toEqual({ kind: 'status', status: 500 })
  })

  it('statusInRange rejects invalid bounds', () => {
    expect(() => statusInRange(99, 500)).toThrow(RangeError)
    expect(() => statusInRange(500, 400)).toThrow(RangeError)
    expect(() => statusInRange(400, 1000)).toThrow(RangeError)
  })
})

import { describeStack, oneshot, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import {
  isSensitiveHeader,
  redactHeaders,
  sensitiveHeaders,
  sensitiveRequestHeaders,
  sensitiveResponseHeaders,
} from './index'

describe('sensitiveHeaders', () => {
  it('multiple value header: every value of a repeated request header is hidden', async () => {
    let seen: Record<string, string> = {}
    const inner = serviceFn((req: Request) => {
      seen = redactHeaders(req.headers, req)
      return new Response('ok')
    })
    const headers = new Headers()
    headers.append('Authorization', 'Bearer one')
    headers.append('Authorization', 'Bearer two')
    headers.append('accept', 'text/plain')
    await oneshot(sensitiveHeaders(['Authorization'])(inner), new Request('http://x/', { headers }))
    expect(seen).toEqual({ authorization: '[redacted]', accept: 'text/plain' })
    expect(JSON.stringify(seen)).not.toContain('Bearer')
  })

  it('response set-cookie: hidden when formatting the response headers', async () => {
    const req = new Request('http://x/', { headers: { cookie: 'sid=1' } })
    const svc = sensitiveResponseHeaders(['set-cookie'])(
      serviceFn(() => {
        const h = new Headers({ 'content-type': 'text/plain' })
        h.append('set-cookie', 'a=secret')
        h.append('set-cookie', 'b=secret')
        return new Response('ok', { headers: h })
      }),
    )
    const res = await oneshot(svc, req)
    expect(redactHeaders(res.headers, req, 'response')).toEqual({
      'content-type': 'text/plain',
      'set-cookie': '[redacted]',
    })
    // Only the response side was marked: the request's cookie still shows.
    expect(redactHeaders(req.headers, req)).toEqual({ cookie: 'sid=1' })
  })

  it('request and response variants combine; names are case-insensitive', async () => {
    const req = new Request('http://x/')
    const svc = sensitiveRequestHeaders(['X-Api-Key'])(
      sensitiveResponseHeaders(['X-Token'])(serviceFn(() => new Response())),
    )
    await oneshot(svc, req)
    expect(isSensitiveHeader(req, 'x-api-key')).toBe(true)
    expect(isSensitiveHeader(req, 'x-api-key', 'response')).toBe(false)
    expect(isSensitiveHeader(req, 'X-TOKEN', 'response')).toBe(true)
    expect(isSensitiveHeader(new Request('http://x/'), 'x-api-key')).toBe(false)
    expect(describeStack(svc)).toEqual(['sensitiveRequestHeaders', 'sensitiveResponseHeaders', 'serviceFn'])
  })

  it('repeated non-sensitive headers are joined', () => {
    const headers = new Headers()
    headers.append('x-a', '1')
    headers.append('x-a', '2')
    expect(redactHeaders(headers, new Request('http://x/'))).toEqual({ 'x-a': '1, 2' })
  })
})

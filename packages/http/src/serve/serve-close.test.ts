import { serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { serve } from './index'
import { deferred, start, startStreaming, until } from './support.test-util'

describe('serve: closing', () => {
  it('closes gracefully: in-flight requests finish, new connections are refused', async () => {
    const release = deferred()
    const received = deferred()
    const server = await start(
      serviceFn(async (req: Request) => {
        if (!req.url.endsWith('/slow')) return new Response('quick')
        received.resolve()
        await release.promise
        return new Response('finished')
      }),
    )
    // An idle keep-alive connection (fetch keeps one open) must not hold close() open.
    expect(await (await fetch(`${server.url}/`)).text()).toBe('quick')
    const inFlight = fetch(`${server.url}/slow`)
    await received.promise
    let closed = false
    const closing = server.close().then(() => {
      closed = true
    })
    await expect(fetch(`${server.url}/new`)).rejects.toThrow()
    expect(closed).toBe(false)
    release.resolve()
    const res = await inFlight
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('finished')
    await closing
    expect(closed).toBe(true)
  })

  it('closes when the signal aborts', async () => {
    const controller = new AbortController()
    const server = await serve(
      serviceFn(() => new Response('x')),
      {
        port: 0,
        hostname: '127.0.0.1',
        signal: controller.signal,
      },
    )
    expect(await (await fetch(server.url)).text()).toBe('x')
    controller.abort()
    await server.close()
    expect(server.server.listening).toBe(false)
  })

  it('close({ force: true }) drops requests still in flight', async () => {
    const received = deferred()
    const server = await serve(
      serviceFn(async () => {
        received.resolve()
        return new Promise<Response>(() => {})
      }),
      { port: 0, hostname: '127.0.0.1', onError: () => {} },
    )
    const pending = fetch(`${server.url}/hang`).then(
      () => 'answered',
      () => 'dropped',
    )
    await received.promise
    await server.close({ force: true })
    expect(await pending).toBe('dropped')
  })

  it('close() closes a keep-alive connection whose response was still streaming, as soon as it is sent', async () => {
    const encode = (t: string) => new TextEncoder().encode(t)
    let push: ReadableStreamDefaultController<Uint8Array> | undefined
    const server = await startStreaming({
      start(c) {
        push = c
        c.enqueue(encode('a'))
      },
    })
    const res = await fetch(server.url)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('a')
    let closed = false
    const closing = server.close().then(() => {
      closed = true
    })
    push?.enqueue(encode('b'))
    push?.close()
    let rest = ''
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value)
    expect(rest).toBe('b')
    // without the hook the idle keep-alive connection would hold close() for keepAliveTimeout (5 s)
    await until(() => closed)
    await closing
  })
})

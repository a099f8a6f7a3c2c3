import { request as httpRequest } from 'node:http'
import { type Ready, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import type { HttpService } from '../types'
import { deferred, errors, raw, start, startStreaming } from './support.test-util'

describe('serve: streamed bodies, backpressure and client disconnects', () => {
  it('streams the request body into the service as it arrives', async () => {
    const gotFirst = deferred<string>()
    const server = await start(
      serviceFn(async (req: Request) => {
        const reader = (req.body as ReadableStream<Uint8Array>).getReader()
        const decoder = new TextDecoder()
        const first = await reader.read()
        gotFirst.resolve(decoder.decode(first.value))
        let rest = ''
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          rest += decoder.decode(value)
        }
        return new Response(`first=${decoder.decode(first.value)} rest=${rest}`)
      }),
    )
    let push!: ReadableStreamDefaultController<Uint8Array>
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        push = c
      },
    })
    push.enqueue(new TextEncoder().encode('one'))
    const pending = fetch(`${server.url}/upload`, { method: 'POST', body, duplex: 'half' } as RequestInit)
    // The service sees the first chunk while the client has not finished sending.
    expect(await gotFirst.promise).toBe('one')
    push.enqueue(new TextEncoder().encode('two'))
    push.close()
    const res = await pending
    expect(await res.text()).toBe('first=one rest=two')
  })

  it('streams the response body to the client chunk by chunk', async () => {
    let push!: ReadableStreamDefaultController<Uint8Array>
    const server = await startStreaming({
      start(c) {
        push = c
        c.enqueue(new TextEncoder().encode('first'))
      },
    })
    const res = await fetch(`${server.url}/stream`)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    // The client gets the first chunk before the service has produced the second.
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first')
    push.enqueue(new TextEncoder().encode('second'))
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('second')
    push.close()
    expect((await reader.read()).done).toBe(true)
  })

  it('applies backpressure: a client that does not read stops the response stream from being pulled', async () => {
    let pulled = 0
    const chunk = new Uint8Array(64 * 1024)
    const server = await start(
      serviceFn(
        () =>
          new Response(
            new ReadableStream<Uint8Array>(
              {
                pull(c) {
                  pulled += chunk.byteLength
                  c.enqueue(chunk)
                },
              },
              { highWaterMark: 1 },
            ),
          ),
      ),
    )
    const req = httpRequest(`${server.url}/big`)
    const response = deferred<import('node:http').IncomingMessage>()
    req.on('response', (r) => {
      r.pause()
      response.resolve(r)
    })
    req.end()
    const res = await response.promise
    // Let socket buffers fill, then check the producer stalled far below an unbounded read.
    let last = -1
    let stable = 0
    for (let i = 0; i < 200 && stable < 10; i++) {
      await new Promise((r) => setTimeout(r, 10))
      stable = pulled === last ? stable + 1 : 0
      last = pulled
    }
    expect(stable).toBe(10)
    expect(pulled).toBeLessThan(32 * 1024 * 1024)
    expect(pulled).toBeGreaterThan(0)
    res.destroy()
  })

  it('aborts the request signal when the client disconnects', async () => {
    const aborted = deferred<boolean>()
    const received = deferred()
    const server = await start(
      serviceFn(async (req: Request) => {
        req.signal.addEventListener('abort', () => aborted.resolve(req.signal.aborted))
        received.resolve()
        return new Promise<Response>(() => {})
      }),
    )
    const client = httpRequest(`${server.url}/hang`)
    const clientError = new Promise<unknown>((resolve) => client.on('error', resolve))
    client.end()
    await received.promise
    client.destroy()
    expect(await aborted.promise).toBe(true)
    expect(await clientError).toBeInstanceOf(Error)
  })

  it('does not abort the signal of a request that completed', async () => {
    let signal: AbortSignal | undefined
    const server = await start(
      serviceFn((req: Request) => {
        signal = req.signal
        return new Response('ok')
      }),
    )
    expect(await (await fetch(`${server.url}/`)).text()).toBe('ok')
    expect(signal?.aborted).toBe(false)
  })

  it('a response body that fails mid-stream drops that connection only; the server keeps serving', async () => {
    errors.length = 0
    const server = await start(
      serviceFn((req: Request) => {
        if (!req.url.endsWith('/broken')) return new Response('fine')
        let sent = false
        return new Response(
          new ReadableStream<Uint8Array>({
            pull(c) {
              if (!sent) {
                sent = true
                c.enqueue(new TextEncoder().encode('partial'))
              } else c.error(new Error('stream broke'))
            },
          }),
        )
      }),
    )
    // The client sees the connection drop (before or after the headers, depending on timing).
    const outcome = await fetch(`${server.url}/broken`)
      .then((res) => res.text())
      .then(
        () => 'complete',
        () => 'dropped',
      )
    expect(outcome).toBe('dropped')
    expect(errors.map((e) => (e as Error).message)).toContain('stream broke')
    expect((await raw(`${server.url}/ok`, 'GET')).body).toBe('fine')
  })

  it('cancels the response body stream when the client goes away mid-response', async () => {
    const cancelled = deferred<unknown>()
    const server = await startStreaming({
      start(c) {
        c.enqueue(new TextEncoder().encode('first'))
      },
      cancel(reason) {
        cancelled.resolve(reason ?? 'cancelled')
      },
    })
    const req = httpRequest(`${server.url}/`)
    req.on('error', () => {})
    req.on('response', (res) => {
      res.once('data', () => req.destroy())
    })
    req.end()
    expect(await cancelled.promise).toBeDefined()
  })

  it('passes the request signal to ready(): a client that leaves abandons the wait', async () => {
    const waiting = deferred()
    const abandoned = deferred<boolean>()
    let calls = 0
    const svc: HttpService = {
      ready: (signal?: AbortSignal): Ready =>
        new Promise<void>((_resolve, reject) => {
          waiting.resolve()
          signal?.addEventListener('abort', () => {
            abandoned.resolve(true)
            reject(signal.reason)
          })
        }),
      call: async () => {
        calls++
        return new Response('never')
      },
    }
    const server = await start(svc)
    errors.length = 0
    const client = httpRequest(`${server.url}/wait`)
    client.on('error', () => {})
    client.end()
    await waiting.promise
    client.destroy()
    expect(await abandoned.promise).toBe(true)
    expect(calls).toBe(0)
    expect(errors).toEqual([])
  })
})

/** Shared by serve()'s test files: start a server on loopback (closed after each test), and small helpers. */
import { request as httpRequest } from 'node:http'
import { serviceFn } from '@turret/core'
import { afterEach, expect } from 'vitest'
import type { HttpService } from '../types'
import { type Server, serve } from './index'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

export const errors: unknown[] = []
export async function start(svc: HttpService): Promise<Server> {
  const server = await serve(svc, { port: 0, hostname: '127.0.0.1', onError: (e) => errors.push(e) })
  servers.push(server)
  return server
}

/** A server whose service answers every request with a body streamed from a new `ReadableStream(source)`. */
export function startStreaming(source: UnderlyingDefaultSource<Uint8Array>): Promise<Server> {
  return start(serviceFn(() => new Response(new ReadableStream<Uint8Array>(source))))
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/** A raw node:http request, for what fetch hides (HEAD bodies, keep-alive). */
export function raw(
  url: string,
  method: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => {
        body += c
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Waits until `fn()` is true, polling on macrotasks (I/O has to happen); fails after ~2 s. */
export async function until(fn: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !fn(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(fn()).toBe(true)
}

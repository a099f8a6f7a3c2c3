/**
 * The same behaviour on every Node: every fixture event through `httpHandler`, and a set of requests through
 * `serve()`, record what the service receives (method, URL, the full header list, the body) and what the client
 * gets, byte for byte. The records are committed (`*.golden.json`); CI runs this file on Node 24, 22 and 20, so a
 * difference between Nodes (a header the runtime adds, a body it re-encodes) fails on the Node that differs.
 * Both modes run, each with its own records: turret's lightweight globals installed (the default), and the
 * runtime's own classes (where `serve()` cannot see an ordinary response's body, so it streams it chunked).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { fileURLToPath } from 'node:url'
import { serviceFn } from '@turret/core'
import { json } from '@turret/http'
import { installGlobals, uninstallGlobals } from '@turret/http/internal'
import { serve } from '@turret/http/serve'
import { httpHandler } from '@turret/lambda'
import { mockContext } from '@turret/lambda/testing'
import { afterAll, describe, expect, it } from 'vitest'

const fixtures = fileURLToPath(new URL('../fixtures/events/', import.meta.url))

interface Seen {
  method: string
  url: string
  headers: [string, string][]
  body: string
}

/** A service that reports what it received, answering with a `new Response` (or `json()`) that echoes it. */
function echo(kind: 'response' | 'json') {
  return serviceFn(async (req: Request) => {
    const bytes = new Uint8Array(await req.arrayBuffer())
    const seen: Seen = {
      method: req.method,
      url: req.url,
      headers: [...req.headers],
      body: Buffer.from(bytes).toString('base64'),
    }
    const headers = { 'x-seen': String(seen.headers.length) }
    return kind === 'json'
      ? json(seen, { headers })
      : new Response(JSON.stringify(seen), { status: 201, headers: { ...headers, 'set-cookie': 'a=1' } })
  })
}

function events(): [string, unknown][] {
  const out: [string, unknown][] = []
  for (const dir of readdirSync(fixtures, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue
    for (const file of readdirSync(`${fixtures}${dir.name}`).sort()) {
      if (file.endsWith('.json'))
        out.push([`${dir.name}/${file}`, JSON.parse(readFileSync(`${fixtures}${dir.name}/${file}`, 'utf8'))])
    }
  }
  return out
}

function raw(url: string, method: string, headers: Record<string, string>, body?: string) {
  return new Promise<string>((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const head = [`${res.statusCode} ${res.statusMessage}`]
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = (res.rawHeaders[i] as string).toLowerCase()
          if (name !== 'date' && name !== 'keep-alive' && name !== 'connection')
            head.push(`${name}: ${res.rawHeaders[i + 1]}`)
        }
        resolve(`${head.join('\n')}\n\n${Buffer.concat(chunks).toString('latin1')}`)
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

const REQUESTS: [string, string, Record<string, string>, string | undefined][] = [
  ['GET', '/plain?x=1&y=%20', { accept: '*/*', 'x-dup': 'a' }, undefined],
  ['POST', '/text', { 'x-trim': '  v  ' }, 'hello, wörld'],
  ['POST', '/typed', { 'content-type': 'application/json' }, '{"a":1}'],
  ['PUT', '/bytes', { 'content-type': 'application/octet-stream' }, '\u0000\u0001\u00ff'],
  ['DELETE', '/a/b/../c', {}, undefined],
  ['HEAD', '/head', {}, undefined],
]

for (const mode of ['lightweight globals', 'runtime classes'] as const) {
  describe(`golden records (${mode})`, () => {
    const globals = mode === 'lightweight globals'
    afterAll(() => installGlobals())

    it('httpHandler: every fixture event, what the service sees and the result', async () => {
      if (!globals) uninstallGlobals()
      const records: Record<string, unknown> = {}
      for (const kind of ['response', 'json'] as const) {
        const handle = httpHandler(echo(kind), { overrideGlobalObjects: globals })
        for (const [name, event] of events()) {
          const result = (await handle(event as never, mockContext())) as Record<string, unknown>
          records[`${kind} ${name}`] = result
        }
      }
      await expect(`${JSON.stringify(records, null, 2)}\n`).toMatchFileSnapshot(
        `./lambda.${globals ? 'lite' : 'native'}.golden.json`,
      )
    })

    it('serve(): requests, what the service sees and the bytes the client gets', async () => {
      if (!globals) uninstallGlobals()
      const records: Record<string, string> = {}
      for (const kind of ['response', 'json'] as const) {
        const server = await serve(echo(kind), {
          port: 0,
          hostname: '127.0.0.1',
          overrideGlobalObjects: globals,
          onError: () => {},
        })
        try {
          for (const [method, path, headers, body] of REQUESTS) {
            const answer = await raw(`${server.url}${path}`, method, { host: 'golden.test', ...headers }, body)
            records[`${kind} ${method} ${path}`] = answer
          }
        } finally {
          await server.close()
        }
      }
      await expect(`${JSON.stringify(records, null, 2)}\n`).toMatchFileSnapshot(
        `./serve.${globals ? 'lite' : 'native'}.golden.json`,
      )
    })
  })
}

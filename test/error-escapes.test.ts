/**
 * Issue #17, item 9: an error that escapes the stack is answered the way each runtime answers a failure —
 * `serve()` sends 500, `httpHandler` throws (API Gateway then answers 502) — and `catchPanic()` outermost gives
 * the same 500 response on both. The README's first example shows that layer.
 */
import { readFileSync } from 'node:fs'
import { oneshot, type Service, ServiceBuilder, serviceFn, TimeoutError } from '@turret/core'
import { catchPanic, serve } from '@turret/http'
import { httpHandler, toAwsContext } from '@turret/lambda'
import { apigwV2Event, mockContext } from '@turret/lambda/testing'
import { describe, expect, it } from 'vitest'

const failing = serviceFn(async (_req: Request): Promise<Response> => {
  throw new TimeoutError()
})

async function viaServe(svc: Service<Request, Response>): Promise<{ status: number; body: string }> {
  const server = await serve(svc, { port: 0 })
  try {
    const res = await fetch(`${server.url}/`)
    return { status: res.status, body: await res.text() }
  } finally {
    await server.close({ force: true })
  }
}

function viaLambda(svc: Service<Request, Response>) {
  return httpHandler(svc)(apigwV2Event({ path: '/' }), toAwsContext(mockContext()))
}

describe('an error escaping the stack', () => {
  it('without catchPanic: serve() answers 500, httpHandler throws (API Gateway: 502), oneshot rejects', async () => {
    expect((await viaServe(failing)).status).toBe(500)
    await expect(viaLambda(failing)).rejects.toBeInstanceOf(TimeoutError)
    await expect(oneshot(failing, new Request('http://x/'))).rejects.toBeInstanceOf(TimeoutError)
  })

  it('with catchPanic() outermost: the same 500 response from serve(), httpHandler and oneshot', async () => {
    const app = new ServiceBuilder().layer(catchPanic()).service(failing)
    const served = await viaServe(app)
    const lambda = await viaLambda(app)
    const direct = await oneshot(app, new Request('http://x/'))
    expect(served).toEqual({ status: 500, body: 'Service panicked' })
    expect({ status: lambda.statusCode, body: lambda.body }).toEqual(served)
    expect({ status: direct.status, body: await direct.text() }).toEqual(served)
  })

  it("the README's first example of an HTTP stack puts catchPanic() outermost, and says why", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const first = readme.split('```ts').find((block) => block.includes('httpHandler(')) ?? ''
    expect(first).toMatch(/new ServiceBuilder\(\)\s*\.layer\(catchPanic\(\)\)/)
    expect(readme).toMatch(/API Gateway answers `502`/)
  })
})

import { describeStack, oneshot, type Ready, type Service, serviceFn } from '@turret/core'
import { describe, expect, it } from 'vitest'
import { toAwsContext } from '../context/index'
import { mockContext } from '../testing/context'
import { apigwV1Event, apigwV2Event, resultToResponse } from '../testing/index'
import { httpAdapter, httpHandler, lambdaContext, requestContext } from './index'

/** Counts reservations like a capacity-holding service: a call without one rejects. */
class Reserving implements Service<Request, Response> {
  readies = 0
  calls = 0
  reserved = 0
  ready(): Ready {
    this.readies++
    this.reserved++
    return undefined
  }
  async call(): Promise<Response> {
    if (this.reserved === 0) throw new Error('no reservation')
    this.reserved--
    this.calls++
    return new Response('ok')
  }
}

const awsContext = toAwsContext(mockContext({ requestId: 'aws-req-7', env: { memoryLimitInMB: 256 } }))

describe('httpAdapter layer', () => {
  it('is named for describeStack() and forwards readiness', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((r) => {
      release = r
    })
    const inner: Service<Request, Response> = { ready: () => gate, call: async () => new Response('x') }
    const svc = httpAdapter()(inner)
    expect(describeStack(httpAdapter()(serviceFn(async () => new Response(''))))).toEqual(['httpAdapter', 'serviceFn'])
    expect(svc.ready()).toBe(gate)
    release()
  })

  it('an event answered 400 without calling the inner service keeps its reservation for the next call', async () => {
    const inner = new Reserving()
    const svc = httpAdapter()(inner)
    const bad = await oneshot(svc, { payload: {} as never, context: mockContext() })
    expect(bad.statusCode).toBe(400)
    expect([inner.readies, inner.calls]).toEqual([1, 0])
    const good = await oneshot(svc, { payload: apigwV2Event(), context: mockContext() })
    expect(good.statusCode).toBe(200)
    expect([inner.readies, inner.calls, inner.reserved]).toEqual([1, 1, 0])
  })

  it('a rejection of the inner service propagates (the invocation fails)', async () => {
    const svc = httpAdapter()(
      serviceFn(async (): Promise<Response> => {
        throw new Error('boom')
      }),
    )
    await expect(oneshot(svc, { payload: apigwV2Event(), context: mockContext() })).rejects.toThrow('boom')
  })

  it('a service that answers something other than a Response fails the invocation with a clear error', async () => {
    const svc = httpAdapter()(serviceFn(async () => ({ status: 200 }) as unknown as Response))
    await expect(oneshot(svc, { payload: apigwV2Event(), context: mockContext() })).rejects.toThrow(
      'httpAdapter: the service answered object, not a Response',
    )
  })

  it('the service sees the Lambda context and the request context', async () => {
    const context = mockContext({ requestId: 'r-42' })
    const svc = httpAdapter()(
      serviceFn(async (req: Request) =>
        Response.json({
          id: lambdaContext(req)?.requestId,
          stage: (requestContext(req) as { stage?: string } | undefined)?.stage,
        }),
      ),
    )
    const result = await oneshot(svc, { payload: apigwV1Event({ stage: 'beta' }), context })
    expect(await resultToResponse(result).json()).toEqual({ id: 'r-42', stage: 'beta' })
  })
})

describe('httpHandler (managed runtime export)', () => {
  it('answers an event with the result, with a Context built from the runtime context', async () => {
    const main = httpHandler(
      serviceFn(async (req: Request) => {
        const ctx = lambdaContext(req)
        return new Response(
          `${req.method} ${new URL(req.url).pathname} ${ctx?.requestId} ${ctx?.env.memoryLimitInMB}`,
          {
            headers: { 'content-type': 'text/plain' },
          },
        )
      }),
    )
    const result = await main(apigwV2Event({ method: 'PATCH', path: '/items/1' }), awsContext)
    expect(result).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/plain' },
      body: 'PATCH /items/1 aws-req-7 256',
      isBase64Encoded: false,
    })
  })

  it('passes adapter options through (stagePath)', async () => {
    const main = httpHandler(
      serviceFn(async (req: Request) => new Response(new URL(req.url).pathname)),
      {
        stagePath: 'strip',
      },
    )
    const result = await main(apigwV2Event({ path: '/dev/x', stage: 'dev' }), awsContext)
    expect(result.body).toBe('/x')
  })
})

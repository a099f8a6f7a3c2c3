import { toAwsContext } from '@turret/lambda'
import { albEvent, apigwV1Event, apigwV2Event, mockContext, resultToResponse } from '@turret/lambda/testing'
import { describe, expect, it } from 'vitest'
import { handler } from '../src/handler'

const invoke = async (event: unknown) =>
  resultToResponse(await handler(event as never, toAwsContext(mockContext()) as never))

describe('router-api: the Lambda handler', () => {
  it('answers API Gateway HTTP API (v2) events: create, then read with a path parameter', async () => {
    const created = await invoke(
      apigwV2Event({
        method: 'POST',
        path: '/items',
        headers: { authorization: 'Bearer dev-token', 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'from lambda' }),
      }),
    )
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    const read = await invoke(apigwV2Event({ path: `/items/${id}`, headers: { 'x-request-id': 'from-apigw' } }))
    expect(read.status).toBe(200)
    expect(read.headers.get('x-request-id')).toBe('from-apigw')
    expect(await read.json()).toEqual({ id, name: 'from lambda' })
  })

  it('answers REST API (v1) and ALB events', async () => {
    const v1 = await invoke(apigwV1Event({ path: '/items' }))
    expect(v1.status).toBe(200)
    expect(Array.isArray(await v1.json())).toBe(true)
    const alb = await invoke(albEvent({ path: '/' }))
    expect(alb.status).toBe(200)
  })

  it('refuses writes without the token and answers 404 for unknown paths', async () => {
    expect((await invoke(apigwV2Event({ method: 'DELETE', path: '/items/1' }))).status).toBe(401)
    expect((await invoke(apigwV2Event({ path: '/unknown/path' }))).status).toBe(404)
  })
})

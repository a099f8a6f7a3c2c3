import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { oneshot } from '@turret/core'
import { invoke } from '@turret/dev'
import { serve } from '@turret/http'
import { BatchFailedError, sqsBatch } from '@turret/lambda'
import { lambdaEvent, sqsEvent, sqsRecord } from '@turret/lambda/testing'
import type { SQSEvent } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { ChargeOrders } from '../src/charge-orders'
import { FakePayments, MemoryOrders } from '../src/clients'
import { eventServer } from '../src/server'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const eventFile = here('../events/orders.json')
const orderEvent = JSON.parse(readFileSync(eventFile, 'utf8')) as SQSEvent

function makeWorker(maxCents = 10_000) {
  const payments = new FakePayments()
  const orders = new MemoryOrders()
  const batch = sqsBatch(new ChargeOrders(payments, orders, { currency: 'EUR', maxCents }), { concurrency: 4 })
  return { payments, orders, batch }
}

const order = (orderId: string, customerId: string, cents: number) => ({ orderId, customerId, cents })

describe('sqs-worker: the ChargeOrders handler class under sqsBatch', () => {
  it('charges every good order and reports only the failed messages', async () => {
    const { payments, orders, batch } = makeWorker()
    const event = sqsEvent([
      sqsRecord(order('o1', 'c1', 100), { messageId: 'a' }),
      sqsRecord(order('o2', 'blocked-1', 200), { messageId: 'b' }), // declined by the payments client
      sqsRecord(order('o3', 'c3', 99_999), { messageId: 'c' }), // over maxCents
      sqsRecord('{"orderId": 1}', { messageId: 'd' }), // not an order
      sqsRecord(order('o5', 'c5', 500), { messageId: 'e' }),
    ])
    const res = await oneshot(batch, lambdaEvent(event))
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['b', 'c', 'd'])
    expect(payments.charges).toEqual(
      expect.arrayContaining([
        { customerId: 'c1', cents: 100, currency: 'EUR' },
        { customerId: 'c5', cents: 500, currency: 'EUR' },
      ]),
    )
    expect(payments.charges).toHaveLength(2)
    expect([...orders.charged.keys()].sort()).toEqual(['o1', 'o5'])
  })

  it('answers an empty failure list when the whole batch succeeds', async () => {
    const { batch } = makeWorker()
    const res = await oneshot(batch, lambdaEvent(sqsEvent([sqsRecord(order('o1', 'c1', 1), { messageId: 'x' })])))
    expect(res).toEqual({ batchItemFailures: [] })
  })

  it('fails the invocation when every record failed (so Lambda retries the batch)', async () => {
    const { batch } = makeWorker()
    const event = sqsEvent([sqsRecord('nope', { messageId: 'x' }), sqsRecord('nope', { messageId: 'y' })])
    await expect(oneshot(batch, lambdaEvent(event))).rejects.toBeInstanceOf(BatchFailedError)
  })
})

describe('sqs-worker: a oneshot run on an event file', () => {
  it('runs the handler module once on events/orders.json, as `turret invoke` does', async () => {
    const out = await invoke(here('../src/handler.ts'), orderEvent, { timeoutMs: 10_000 })
    expect(out.ok).toBe(true)
    if (!out.ok) return
    expect(out.result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-3' }] })
  })
})

describe('sqs-worker: the HTTP server that receives events', () => {
  it('runs POSTed SQS events through the batch and answers the batch response', async () => {
    const { batch, orders } = makeWorker()
    const server = await serve(eventServer(batch), { port: 0, hostname: '127.0.0.1' })
    try {
      const res = await fetch(`${server.url}/`, { method: 'POST', body: JSON.stringify(orderEvent) })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-3' }] })
      expect([...orders.charged.keys()].sort()).toEqual(['o-1', 'o-4'])

      const allBad = sqsEvent([sqsRecord('nope', { messageId: 'x' })])
      const failed = await fetch(`${server.url}/`, { method: 'POST', body: JSON.stringify(allBad) })
      expect(failed.status).toBe(500)
      expect(await failed.json()).toMatchObject({ errorType: 'BatchFailedError' })

      const notJson = await fetch(`${server.url}/`, { method: 'POST', body: '{' })
      expect(notJson.status).toBe(400)
      const get = await fetch(`${server.url}/`)
      expect(get.status).toBe(405)
      await get.arrayBuffer()
    } finally {
      await server.close()
    }
  })
})

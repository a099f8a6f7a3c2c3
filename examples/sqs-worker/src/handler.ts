/**
 * The Lambda entry (managed Node.js runtime, `handler: handler.handler`): the clients are built
 * once per execution environment, the batch service once, and each invocation is one SQS batch.
 * @module
 */
import { lambdaHandler, sqsBatch } from '@turret/lambda'
import { ChargeOrders } from './charge-orders'
import { FakePayments, MemoryOrders } from './clients'

/** The worker: a ChargeOrders with its clients and configuration. */
export const worker = new ChargeOrders(new FakePayments(), new MemoryOrders(), {
  currency: process.env.CURRENCY ?? 'EUR',
  maxCents: Number(process.env.MAX_CENTS ?? 100_000),
})

/** The batch service: records 4 at a time, failed ones reported in `batchItemFailures`. */
export const batch = sqsBatch(worker, {
  concurrency: 4,
  onRecordError: (error, record) =>
    console.error(`message ${(record as { messageId?: string }).messageId} failed: ${(error as Error).message}`),
})

/** The managed runtime's export (enable `ReportBatchItemFailures` on the event source mapping). */
export const handler = lambdaHandler(batch)

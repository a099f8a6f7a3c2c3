/**
 * The Handler-class pattern: a class built once per execution environment holds its clients and
 * configuration, and implements `Service` for ONE SQS record. `sqsBatch` turns it into the
 * function's batch handler, with partial batch failure responses.
 * @module
 */
import type { Service } from '@turret/core'
import type { LambdaEvent } from '@turret/lambda'
import type { SQSRecord } from 'aws-lambda'

/** What the worker needs from a payments provider (an SDK client in production). */
export interface PaymentsClient {
  /** Charges a customer; rejects when the charge is declined. */
  charge(customerId: string, cents: number, currency: string): Promise<{ chargeId: string }>
}

/** Where charged orders are recorded (a DynamoDB table in production). */
export interface OrdersTable {
  /** Records that an order was charged. */
  markCharged(orderId: string, chargeId: string): Promise<void>
}

/** The worker's configuration (from the environment in production). */
export interface ChargeOrdersConfig {
  /** The currency orders are charged in. */
  readonly currency: string
  /** Orders above this many cents are refused (the message fails and is retried / dead-lettered). */
  readonly maxCents: number
}

/** The message body each SQS record carries. */
export interface OrderMessage {
  /** The order's id. */
  readonly orderId: string
  /** Who pays. */
  readonly customerId: string
  /** The amount, in cents. */
  readonly cents: number
}

/** A message that cannot be an order: it fails its record (and lands in the DLQ after retries). */
export class BadOrderMessage extends Error {
  override name = 'BadOrderMessage'
}

function parseOrder(body: string): OrderMessage {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    throw new BadOrderMessage('the message body is not JSON')
  }
  const o = value as Partial<OrderMessage> | null
  if (
    typeof o !== 'object' ||
    o === null ||
    typeof o.orderId !== 'string' ||
    typeof o.customerId !== 'string' ||
    typeof o.cents !== 'number' ||
    !Number.isInteger(o.cents) ||
    o.cents <= 0
  )
    throw new BadOrderMessage('expected { orderId: string, customerId: string, cents: positive integer }')
  return { orderId: o.orderId, customerId: o.customerId, cents: o.cents }
}

/** Charges one order per SQS message and records the charge. */
export class ChargeOrders implements Service<LambdaEvent<SQSRecord>, { chargeId: string }> {
  constructor(
    private readonly payments: PaymentsClient,
    private readonly orders: OrdersTable,
    private readonly config: ChargeOrdersConfig,
  ) {}

  ready(): undefined {
    return undefined
  }

  async call({ payload }: LambdaEvent<SQSRecord>): Promise<{ chargeId: string }> {
    const order = parseOrder(payload.body)
    if (order.cents > this.config.maxCents)
      throw new RangeError(`order ${order.orderId}: ${order.cents} cents is over the limit of ${this.config.maxCents}`)
    const charge = await this.payments.charge(order.customerId, order.cents, this.config.currency)
    await this.orders.markCharged(order.orderId, charge.chargeId)
    return charge
  }
}

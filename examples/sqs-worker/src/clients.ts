/**
 * In-memory stand-ins for the worker's clients, so the example runs anywhere. In production these
 * would be SDK clients (a payments API, DynamoDB) built once at module load.
 * @module
 */
import type { OrdersTable, PaymentsClient } from './charge-orders'

/** A payments client that declines customers whose id starts with `blocked`. */
export class FakePayments implements PaymentsClient {
  /** Every successful charge, in order. */
  readonly charges: { customerId: string; cents: number; currency: string }[] = []

  async charge(customerId: string, cents: number, currency: string): Promise<{ chargeId: string }> {
    if (customerId.startsWith('blocked')) throw new Error(`card declined for ${customerId}`)
    this.charges.push({ customerId, cents, currency })
    return { chargeId: `ch_${this.charges.length}` }
  }
}

/** An orders table in a Map. */
export class MemoryOrders implements OrdersTable {
  /** orderId → chargeId. */
  readonly charged = new Map<string, string>()

  async markCharged(orderId: string, chargeId: string): Promise<void> {
    this.charged.set(orderId, chargeId)
  }
}

/**
 * The function: prices a shopping cart. A plain turret service of Lambda events, with a core
 * `timeout` layer; `bootstrap.ts` runs it as a custom runtime, tests call it oneshot-style.
 * @module
 */
import { type Service, ServiceBuilder, timeout } from '@turret/core'
import type { LambdaEvent } from '@turret/lambda'

/** One cart line. */
export interface CartLine {
  /** The product. */
  readonly sku: string
  /** How many. */
  readonly qty: number
  /** The unit price in cents. */
  readonly cents: number
}

/** The event: a cart. */
export interface PriceCart {
  /** The cart's lines. */
  readonly lines: readonly CartLine[]
  /** A discount in percent (0–100). Defaults to `0`. */
  readonly discountPercent?: number | undefined
}

/** The result. */
export interface CartPrice {
  /** Total items. */
  readonly items: number
  /** The total in cents, after the discount. */
  readonly totalCents: number
  /** The function that priced it (from the invocation context). */
  readonly pricedBy: string
  /** The invocation's request id. */
  readonly requestId: string
}

/** A cart the function refuses (reported to Lambda as an `InvalidCart` function error). */
export class InvalidCart extends Error {
  override name = 'InvalidCart'
}

async function priceCart({ payload, context }: LambdaEvent<PriceCart>): Promise<CartPrice> {
  if (!payload || !Array.isArray(payload.lines)) throw new InvalidCart('expected { lines: [{ sku, qty, cents }] }')
  let items = 0
  let cents = 0
  for (const line of payload.lines) {
    if (!(Number.isInteger(line.qty) && line.qty > 0 && Number.isInteger(line.cents) && line.cents >= 0))
      throw new InvalidCart(`bad line for ${String(line.sku)}`)
    items += line.qty
    cents += line.qty * line.cents
  }
  const discount = payload.discountPercent ?? 0
  if (!(discount >= 0 && discount <= 100)) throw new InvalidCart('discountPercent must be in 0..100')
  return {
    items,
    totalCents: Math.round((cents * (100 - discount)) / 100),
    pricedBy: context.env.functionName,
    requestId: context.requestId,
  }
}

/** The service `run()` drives: a timeout (kept under the function's own) around the pricing function. */
export const service: Service<LambdaEvent<PriceCart>, CartPrice> = new ServiceBuilder()
  .layer(timeout(2_000))
  .serviceFn(priceCart)

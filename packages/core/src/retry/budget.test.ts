import { describe, expect, it } from 'vitest'
import { TestClock } from '../testing'
import { TpsBudget } from './index'

describe('TpsBudget (tower retry/budget/tps_budget.rs)', () => {
  it('tps_empty: no reserve, no deposits → no withdrawal', () => {
    const budget = new TpsBudget({ ttl: 1_000, minPerSec: 0, retryPercent: 1 })
    expect(budget.withdraw()).toBe(false)
  })

  it('tps_leaky: a deposit expires after ttl', async () => {
    const clock = new TestClock()
    const budget = new TpsBudget({ ttl: 1_000, minPerSec: 0, retryPercent: 1, clock })
    budget.deposit()
    await clock.advance(3_000)
    expect(budget.withdraw()).toBe(false)
  })

  it('tps_slots: deposits expire slot by slot', async () => {
    const clock = new TestClock()
    const budget = new TpsBudget({ ttl: 1_000, minPerSec: 0, retryPercent: 0.5, clock })
    budget.deposit()
    budget.deposit()
    await clock.advance(901)
    expect(budget.withdraw()).toBe(true) // still valid 900 ms later
    await clock.advance(2_001) // blank slate
    budget.deposit()
    await clock.advance(301)
    budget.deposit()
    await clock.advance(801)
    budget.deposit()
    expect(budget.withdraw()).toBe(true) // the first deposit expired; the 2nd and 3rd pay
  })

  it('tps_reserve: minPerSec 5 over 1 s allows exactly 5 withdrawals', () => {
    const budget = new TpsBudget({ ttl: 1_000, minPerSec: 5, retryPercent: 1 })
    for (let i = 0; i < 5; i++) expect(budget.withdraw()).toBe(true)
    expect(budget.withdraw()).toBe(false)
  })

  it("uses tower's defaults (10 s, 10/s, 20%) and validates", () => {
    const budget = new TpsBudget({ clock: new TestClock() })
    expect(budget.balance).toBe(10 * 10 * 5) // reserve = minPerSec · ttl_secs · withdraw(1/0.2)
    expect(() => new TpsBudget({ ttl: 500 })).toThrow(RangeError)
    expect(() => new TpsBudget({ ttl: 61_000 })).toThrow(RangeError)
    expect(() => new TpsBudget({ retryPercent: -1 })).toThrow(RangeError)
    expect(() => new TpsBudget({ retryPercent: 1001 })).toThrow(RangeError)
  })

  it('retryPercent above 1 allows several retries per deposit', () => {
    const budget = new TpsBudget({ ttl: 1_000, minPerSec: 0, retryPercent: 2, clock: new TestClock() })
    budget.deposit()
    expect(budget.withdraw()).toBe(true)
    expect(budget.withdraw()).toBe(true)
    expect(budget.withdraw()).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { type Change, discoverChannel, mapDiscover, serviceList } from './index'

async function collect<K, S>(source: AsyncIterable<Change<K, S>>): Promise<Change<K, S>[]> {
  const out: Change<K, S>[] = []
  for await (const c of source) out.push(c)
  return out
}

describe('discover', () => {
  it('serviceList inserts each service under its index, then ends (tower ServiceList)', async () => {
    expect(await collect(serviceList(['a', 'b']))).toEqual([
      { type: 'insert', key: 0, service: 'a' },
      { type: 'insert', key: 1, service: 'b' },
    ])
  })

  it('discoverChannel delivers pushed changes in order, then ends or fails', async () => {
    const ch = discoverChannel<string, number>()
    ch.insert('x', 1)
    ch.remove('x')
    ch.end()
    ch.insert('ignored', 2)
    expect(await collect(ch.discover)).toEqual([
      { type: 'insert', key: 'x', service: 1 },
      { type: 'remove', key: 'x' },
    ])
    const failing = discoverChannel<string, number>()
    const reading = collect(failing.discover)
    failing.insert('y', 3)
    failing.fail(new Error('dns down'))
    await expect(reading).rejects.toThrow('dns down')
  })

  it('mapDiscover wraps inserted services', async () => {
    expect(await collect(mapDiscover(serviceList([1, 2]), (n, key) => n * 10 + key))).toEqual([
      { type: 'insert', key: 0, service: 10 },
      { type: 'insert', key: 1, service: 21 },
    ])
  })
})

import { describe, expect, it } from 'vitest'
import { oneshot, type Service } from '../service'
import { flush } from '../testing/clock'
import { mockService } from '../testing/mock'
import { callAll, callAllUnordered } from './call-all'

/** An async iterable the test pushes into, like tower's mpsc request stream. */
function channel<T>() {
  const items: T[] = []
  let closed = false
  let wake: (() => void) | undefined
  const iterable: AsyncIterable<T> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (items.length) yield items.shift() as T
        else if (closed) return
        else await new Promise<void>((r) => (wake = r))
      }
    },
  }
  return {
    iterable,
    send(item: T) {
      items.push(item)
      wake?.()
    },
    close() {
      closed = true
      wake?.()
    },
  }
}

/** Pulls from an async iterator without awaiting, so the test can check it is still pending. */
function pull<T>(it: AsyncIterator<T>) {
  const state: { result?: IteratorResult<T>; error?: unknown } = {}
  const promise = it.next().then(
    (r) => {
      state.result = r
      return r
    },
    (e: unknown) => {
      state.error = e
      throw e
    },
  )
  return { state, promise }
}

describe('callAll', () => {
  it('ordered: waits for requests and admission, yields in request order, ends when input closes', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(0)
    const input = channel<string>()
    const out = callAll(service, input.iterable)
    const first = pull(out)
    await flush()
    expect(first.state.result).toBeUndefined() // nothing until a request arrives
    input.send('one')
    await flush()
    expect(handle.pollRequest()).toBeUndefined() // waits for admission
    handle.allow(1)
    const one = await handle.nextRequest()
    expect(one.request).toBe('one')
    input.send('two')
    handle.allow(1)
    const two = await handle.nextRequest()
    input.send('three')
    handle.allow(2)
    const three = await handle.nextRequest()
    two.respond('TWO') // completes before "one": still yielded after it
    await flush()
    expect(first.state.result).toBeUndefined()
    one.respond('ONE')
    expect((await first.promise).value).toBe('ONE')
    expect((await out.next()).value).toBe('TWO')
    // the stream is pull-driven: it makes progress while the consumer waits on it
    const third = pull(out)
    input.send('four')
    const four = await handle.nextRequest()
    four.respond('FOUR')
    three.respond('THREE')
    expect((await third.promise).value).toBe('THREE')
    input.close()
    const rest: string[] = []
    for await (const r of { [Symbol.asyncIterator]: () => out }) rest.push(r)
    expect(rest).toEqual(['FOUR'])
  })

  it('unordered: yields in completion order', async () => {
    const { service, handle } = mockService<string, string>()
    const out = callAllUnordered(service, ['one', 'two'])
    const first = pull(out)
    const one = await handle.nextRequest()
    const two = await handle.nextRequest()
    two.respond('TWO')
    expect((await first.promise).value).toBe('TWO')
    one.respond('ONE')
    expect((await out.next()).value).toBe('ONE')
    expect((await out.next()).done).toBe(true)
  })

  it('pending: no response until the inner answers', async () => {
    const { service, handle } = mockService<string, string>()
    const out = callAll(service, ['req'])
    const first = pull(out)
    const req = await handle.nextRequest()
    await flush()
    expect(first.state.result).toBeUndefined()
    req.respond('res')
    expect(await first.promise).toEqual({ done: false, value: 'res' })
  })

  it('readiness error: drains the dispatched response, then throws; later requests are never called', async () => {
    const calls: string[] = []
    let readyCalls = 0
    const svc: Service<string, string> = {
      ready() {
        readyCalls++
        if (readyCalls > 1) throw new Error('poll_ready failed')
      },
      call(req) {
        calls.push(req)
        return new Promise((r) => setTimeout(() => r(`${req}-done`), 1))
      },
    }
    const seen: string[] = []
    const error = await (async () => {
      for await (const res of callAll(svc, ['req0', 'req1', 'req2'])) seen.push(res)
    })().catch((e: unknown) => e)
    expect(seen).toEqual(['req0-done'])
    expect((error as Error).message).toBe('poll_ready failed')
    expect(calls).toEqual(['req0'])
  })

  it('a call rejection is thrown when its turn comes', async () => {
    const { service, handle } = mockService<number, number>()
    const out = callAll(service, [1, 2])
    const first = pull(out)
    const a = await handle.nextRequest()
    const b = await handle.nextRequest()
    b.respond(2)
    a.fail(new Error('first failed'))
    await expect(first.promise).rejects.toThrow('first failed')
  })

  it('does not hold a reservation while waiting for input (stream_does_not_block_service)', async () => {
    const { service, handle } = mockService<string, string>()
    handle.allow(1)
    const never = channel<string>()
    const out = callAll(service, never.iterable)
    const pending = pull(out)
    await flush()
    expect(handle.reserved).toBe(0)
    const res = oneshot(service, 'unrelated')
    ;(await handle.nextRequest()).respond('ok')
    expect(await res).toBe('ok')
    expect(pending.state.result).toBeUndefined()
    never.close()
    expect((await pending.promise).done).toBe(true)
  })

  it('accepts sync iterables and stops pulling input when the consumer breaks', async () => {
    let pulled = 0
    function* numbers() {
      for (let i = 0; i < 100; i++) {
        pulled++
        yield i
      }
    }
    const svc: Service<number, number> = { ready: () => undefined, call: async (n) => n * 10 }
    const got: number[] = []
    for await (const r of callAll(svc, numbers())) {
      got.push(r)
      if (got.length === 3) break
    }
    expect(got).toEqual([0, 10, 20])
    expect(pulled).toBeLessThan(100)
  })
})

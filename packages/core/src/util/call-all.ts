import type { Ready, Service } from '../service'

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown }
type Slot<T> = { outcome?: Outcome<T> }

function iterate<T>(source: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> | Iterator<T> {
  const asyncIt = (source as AsyncIterable<T>)[Symbol.asyncIterator]
  return asyncIt ? asyncIt.call(source) : (source as Iterable<T>)[Symbol.iterator]()
}

async function* drive<Req, Res>(
  svc: Service<Req, Res>,
  requests: Iterable<Req> | AsyncIterable<Req>,
  ordered: boolean,
): AsyncGenerator<Res, void, undefined> {
  const input = iterate(requests)
  // Ordered: every dispatched call in request order. Unordered: settled calls in completion order.
  const queue: Slot<Res>[] = []
  let inflight = 0
  let wake: (() => void) | undefined
  const notify = () => {
    const w = wake
    wake = undefined
    w?.()
  }
  let state: 'pull' | 'pulling' | 'ready' | 'readying' | 'done' = 'pull'
  let request!: Req
  let pulled: Outcome<IteratorResult<Req>> | undefined
  let readied: Outcome<void> | undefined
  let failure: { error: unknown } | undefined

  const dispatch = (req: Req) => {
    inflight++
    let promise: Promise<Res>
    try {
      promise = svc.call(req)
    } catch (error) {
      promise = Promise.reject(error)
    }
    const slot: Slot<Res> = {}
    if (ordered) queue.push(slot)
    const settle = (outcome: Outcome<Res>) => {
      inflight--
      slot.outcome = outcome
      if (!ordered) queue.push(slot)
      notify()
    }
    promise.then(
      (value) => settle({ ok: true, value }),
      (error: unknown) => settle({ ok: false, error }),
    )
  }

  try {
    for (;;) {
      if (state === 'pull') {
        state = 'pulling'
        Promise.resolve(input.next()).then(
          (value) => {
            pulled = { ok: true, value }
            notify()
          },
          (error: unknown) => {
            pulled = { ok: false, error }
            notify()
          },
        )
      }
      if (pulled) {
        const event = pulled
        pulled = undefined
        if (!event.ok) {
          failure = { error: event.error }
          state = 'done'
        } else if (event.value.done) {
          state = 'done'
        } else {
          request = event.value.value
          state = 'ready'
        }
      }
      if (state === 'ready') {
        // The request is taken before readiness is asked for, so no reservation is held while
        // waiting for input (tower's `stream_does_not_block_service`).
        let pending: Ready
        try {
          pending = svc.ready()
          if (pending === undefined) {
            dispatch(request)
            state = 'pull'
            continue
          }
          state = 'readying'
          Promise.resolve(pending).then(
            () => {
              readied = { ok: true, value: undefined }
              notify()
            },
            (error: unknown) => {
              readied = { ok: false, error }
              notify()
            },
          )
        } catch (error) {
          failure = { error }
          state = 'done'
        }
      }
      if (readied) {
        const event = readied
        readied = undefined
        if (event.ok) {
          dispatch(request)
          state = 'pull'
          continue
        }
        failure = { error: event.error }
        state = 'done'
      }
      const head = queue[0]
      if (head?.outcome) {
        queue.shift()
        if (!head.outcome.ok) throw head.outcome.error
        yield head.outcome.value
        continue
      }
      if (state === 'done' && inflight === 0 && queue.length === 0) {
        if (failure) throw failure.error
        return
      }
      await new Promise<void>((resolve) => {
        wake = resolve
      })
    }
  } finally {
    if (state !== 'done') await input.return?.()
  }
}

/**
 * Calls the service for each request of a (sync or async) iterable, awaiting readiness before
 * each call, and yields the responses in request order (tower's `call_all`).
 *
 * A readiness failure stops taking requests: responses already dispatched are still yielded,
 * then the readiness error is thrown. A call's rejection is thrown when its turn comes.
 *
 * @example
 * ```ts
 * for await (const res of callAll(svc, [1, 2, 3])) console.log(res)
 * ```
 */
export function callAll<Req, Res>(
  svc: Service<Req, Res>,
  requests: Iterable<Req> | AsyncIterable<Req>,
): AsyncGenerator<Res, void, undefined> {
  return drive(svc, requests, true)
}

/** {@link callAll}, yielding responses in completion order instead of request order. */
export function callAllUnordered<Req, Res>(
  svc: Service<Req, Res>,
  requests: Iterable<Req> | AsyncIterable<Req>,
): AsyncGenerator<Res, void, undefined> {
  return drive(svc, requests, false)
}

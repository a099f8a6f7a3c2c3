/**
 * A change to the set of services a balancer spreads load over (tower's `Change`): a service
 * inserted under a key (replacing any service with that key), or the key removed.
 */
export type Change<K, S> =
  | { readonly type: 'insert'; readonly key: K; readonly service: S }
  | { readonly type: 'remove'; readonly key: K }

/**
 * A source of service changes (tower's `Discover`): an async iterable of {@link Change}s. Keys are
 * unique among the active services and can be reused after a removal. An error thrown by the
 * iterable fails the balancer; the iterable ending just stops changes.
 */
export type Discover<K, S> = AsyncIterable<Change<K, S>>

/**
 * A fixed list of services as a {@link Discover} (tower's `ServiceList`): inserts each under its
 * index, then ends.
 *
 * @example
 * ```ts
 * const lb = balance(serviceList([replicaA, replicaB]))
 * ```
 */
export async function* serviceList<S>(services: Iterable<S>): Discover<number, S> {
  let key = 0
  for (const service of services) yield { type: 'insert', key: key++, service }
}

/** A {@link Discover} driven by code: push changes in, a balancer reads them out. */
export interface DiscoverChannel<K, S> {
  /** The changes, in order, as a {@link Discover} (read it once). */
  readonly discover: Discover<K, S>
  /** Adds (or replaces) the service under `key`. */
  insert(key: K, service: S): void
  /** Removes the service under `key`. */
  remove(key: K): void
  /** Fails the discover stream with `error`. */
  fail(error: unknown): void
  /** Ends the stream. */
  end(): void
}

/**
 * Makes a {@link DiscoverChannel}: a discover source fed from code (service registry callbacks,
 * DNS polling, tests).
 *
 * @example
 * ```ts
 * const endpoints = discoverChannel<string, Service<Request, Response>>()
 * const lb = balance(endpoints.discover)
 * endpoints.insert('10.0.0.1', connect('10.0.0.1'))
 * ```
 */
export function discoverChannel<K, S>(): DiscoverChannel<K, S> {
  type Item = { change: Change<K, S> } | { error: unknown } | { end: true }
  const items: Item[] = []
  let wake: (() => void) | undefined
  let closed = false
  const push = (item: Item) => {
    if (closed) return
    if (!('change' in item)) closed = true
    items.push(item)
    const w = wake
    wake = undefined
    w?.()
  }
  async function* read(): AsyncGenerator<Change<K, S>, void, undefined> {
    for (;;) {
      const item = items.shift()
      if (!item) {
        await new Promise<void>((resolve) => {
          wake = resolve
        })
        continue
      }
      if ('end' in item) return
      if ('error' in item) throw item.error
      yield item.change
    }
  }
  return {
    discover: { [Symbol.asyncIterator]: read },
    insert: (key, service) => push({ change: { type: 'insert', key, service } }),
    remove: (key) => push({ change: { type: 'remove', key } }),
    fail: (error) => push({ error }),
    end: () => push({ end: true }),
  }
}

/** Transforms each inserted service of a discover source (the `*Discover` wrappers of tower's load module). */
export async function* mapDiscover<K, A, B>(discover: Discover<K, A>, f: (service: A, key: K) => B): Discover<K, B> {
  for await (const change of discover) {
    yield change.type === 'insert'
      ? { type: 'insert', key: change.key, service: f(change.service, change.key) }
      : change
  }
}

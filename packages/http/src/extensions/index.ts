/**
 * Request extensions: typed per-request values (the Lambda context, a request id, route params…)
 * that travel with a fetch `Request`.
 * @module
 */

/** A typed key into a request's extensions. Keys compare by identity, so two `key('id')` calls differ. */
export interface Key<T> {
  /** A readable name, for debugging. */
  readonly name: string
  /** Phantom field carrying the value type; never set. */
  readonly __type?: T
}

/**
 * Makes a typed extension key.
 *
 * @example
 * ```ts
 * export const userKey = key<User>('user')
 * extensions(req).set(userKey, user)
 * extensions(req).get(userKey) // User | undefined
 * ```
 */
export function key<T>(name: string): Key<T> {
  return Object.freeze({ name }) as Key<T>
}

/** The typed map of values attached to one request. */
export class Extensions {
  readonly #values = new Map<Key<unknown>, unknown>()

  /** The value stored under `key`, or `undefined`. */
  get<T>(key: Key<T>): T | undefined {
    return this.#values.get(key as Key<unknown>) as T | undefined
  }

  /** Stores `value` under `key`, replacing any earlier value. */
  set<T>(key: Key<T>, value: T): this {
    this.#values.set(key as Key<unknown>, value)
    return this
  }

  /** Whether a value is stored under `key`. */
  has(key: Key<unknown>): boolean {
    return this.#values.has(key)
  }

  /** Removes the value under `key`; returns whether there was one. */
  delete(key: Key<unknown>): boolean {
    return this.#values.delete(key)
  }

  /** Copies every value of `other` into this map (existing keys are overwritten). */
  extend(other: Extensions): this {
    for (const [k, v] of other.#values) this.#values.set(k, v)
    return this
  }

  /** Number of values stored. */
  get size(): number {
    return this.#values.size
  }
}

/** Where a message keeps its extensions: a symbol-keyed own property (cheaper than a WeakMap on the hot path, and invisible to enumeration and JSON). */
const slot = Symbol.for('turret.extensions')
type Carrier = { [slot]?: Extensions }
const store = {
  get: (message: Request | Response): Extensions | undefined => (message as Carrier)[slot],
  set: (message: Request | Response, ext: Extensions): void => {
    ;(message as Carrier)[slot] = ext
  },
}

/**
 * The extensions of a request (or a response), created empty on first use.
 *
 * @example
 * ```ts
 * const ctx = extensions(req).get(lambdaContextKey)
 * ```
 */
export function extensions(message: Request | Response): Extensions {
  let ext = store.get(message)
  if (ext === undefined) {
    ext = new Extensions()
    store.set(message, ext)
  }
  return ext
}

/** The extensions of a message if it has any, without creating them (for read-only hot paths). */
export function peekExtensions(message: Request | Response): Extensions | undefined {
  return store.get(message)
}

/**
 * Builds a new `Request` from an old one (`new Request(input, init)`) and moves the old one's
 * extensions over to it. Layers that must replace the request use this so that per-request
 * values are not lost.
 *
 * The new request *shares* the old one's extensions (the same {@link Extensions} object, as when
 * tower moves a request's parts into a new request): a value an inner layer sets on the new
 * request is seen by an outer layer that holds the old one. Use {@link copyExtensions} for an
 * independent copy.
 *
 * @example
 * ```ts
 * const rewritten = withRequest(req, new URL('/v2' + url.pathname, url))
 * ```
 */
export function withRequest(req: Request, input?: string | URL, init?: RequestInit): Request {
  const next = input === undefined ? new Request(req, init) : new Request(input, requestInit(req, init))
  shareExtensions(req, next)
  return next
}

/**
 * Makes `to` share the extensions of `from` (the same map; values `to` already had are merged in).
 * Used by {@link withRequest}; for code that builds its own replacement `Request`.
 */
export function shareExtensions(from: Request, to: Request): Request {
  const own = store.get(to)
  const ext = extensions(from)
  if (own !== undefined && own !== ext) ext.extend(own)
  store.set(to, ext)
  return to
}

/** Copies every extension of `from` onto `to` (an independent copy: later changes are not shared). */
export function copyExtensions<M extends Request | Response>(from: Request | Response, to: M): M {
  const ext = store.get(from)
  if (ext !== undefined) extensions(to).extend(ext)
  return to
}

function requestInit(req: Request, init: RequestInit | undefined): RequestInit {
  const base: RequestInit & { duplex?: 'half' } = {
    method: req.method,
    headers: req.headers,
    signal: req.signal,
    redirect: req.redirect,
  }
  if (req.body !== null) {
    base.body = req.body
    base.duplex = 'half'
  }
  return { ...base, ...init }
}

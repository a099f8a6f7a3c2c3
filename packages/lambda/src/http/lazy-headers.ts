/**
 * A `Headers` read straight from the event's header maps. Building undici's `Headers` costs an append (name and
 * value validation, lower-casing, a list insert) per header; a service usually reads a few. `LazyHeaders` is a
 * real `Headers` (`instanceof Headers`, usable as `HeadersInit`) whose reads come from one lower-cased map built
 * on first use; the first write (`append`, `set`, `delete`) or `getSetCookie` copies it into an ordinary
 * `Headers` that serves every call from then on.
 * @module
 */
import { Buffer } from 'node:buffer'
import { isToken } from '@turret/http/internal'
import type { RequestParts } from './event-request'

const NON_LATIN1 = /[^\0-\xff]/
const EDGE_WHITESPACE = /^[\t ]+|[\t ]+$/g

function invalidName(name: string): TypeError {
  return new TypeError(`Headers: invalid header name ${JSON.stringify(name)}`)
}

/** A value as `Headers.append` stores it: edges trimmed, characters above U+00FF as their UTF-8 bytes. */
export function normalize(value: string, wide: boolean): string {
  let v = value
  if (wide && NON_LATIN1.test(v)) v = Buffer.from(v, 'utf8').toString('latin1')
  const first = v.charCodeAt(0)
  const last = v.charCodeAt(v.length - 1)
  if (first === 32 || first === 9 || last === 32 || last === 9) v = v.replace(EDGE_WHITESPACE, '')
  return v
}

const lowerNames = new Map<string, string>()

/**
 * `name.toLowerCase()` when `name` is an HTTP token, else `undefined`; remembered for valid names (gateways send
 * the same names on every event, and a remembered lower-case string keeps its hash, so the map operations that
 * follow do not hash a fresh string each time).
 */
export function validLower(name: string): string | undefined {
  let low = lowerNames.get(name)
  if (low === undefined) {
    if (!isToken(name)) return undefined
    low = name.toLowerCase()
    if (lowerNames.size < 2048) lowerNames.set(name, low)
  }
  return low
}

/** `name.toLowerCase()`, remembered for valid names. */
function lower(name: string): string {
  return validLower(name) ?? name.toLowerCase()
}

/** The lower-cased, combined header map of a request (as `Headers` would hold it), or `undefined` if it has `set-cookie`. */
export function headerMap(parts: RequestParts): Map<string, string> | undefined {
  const map = new Map<string, string>()
  const { multi, single, wide } = parts
  if (multi) {
    for (const name in multi) {
      const values = multi[name]
      if (!Array.isArray(values)) continue
      const low = lower(name)
      for (const value of values) {
        if (typeof value !== 'string') continue
        const v = normalize(value, wide)
        const prev = map.get(low)
        map.set(low, prev === undefined ? v : `${prev}${low === 'cookie' ? '; ' : ', '}${v}`)
      }
    }
  }
  if (single) {
    for (const name in single) {
      const value = single[name]
      if (typeof value !== 'string' || (multi !== undefined && Array.isArray(multi[name]))) continue
      const low = lower(name)
      const prev = map.get(low)
      if (prev === undefined) map.set(low, normalize(value, wide))
      else if (multi === undefined) map.set(low, `${prev}${low === 'cookie' ? '; ' : ', '}${normalize(value, wide)}`)
    }
  }
  return finishHeaderMap(map, parts)
}

/**
 * The last steps of {@link headerMap}, for a map of the event's headers built elsewhere (the parser builds it while
 * validating): `undefined` when it has `set-cookie` (read through an ordinary `Headers`), else the map with the v2
 * `cookies` and the body's `content-length` applied.
 */
export function finishHeaderMap(
  map: Map<string, string>,
  parts: Pick<RequestParts, 'cookie' | 'body' | 'length'>,
): Map<string, string> | undefined {
  if (map.has('set-cookie')) return undefined
  if (parts.cookie !== undefined) map.set('cookie', normalize(parts.cookie, true))
  settleLength(map, parts)
  return map
}

/**
 * The body's framing headers, as the request that reaches the service has them (for a `Headers` or the lazy map):
 * with a body, `content-length` is its decoded length and `transfer-encoding` goes; without one, a stated
 * `content-length` becomes `0`.
 */
export function settleLength(
  headers: { has(name: string): boolean; set(name: string, value: string): unknown; delete(name: string): unknown },
  parts: Pick<RequestParts, 'body' | 'length'>,
): void {
  if (parts.body !== null) {
    headers.set('content-length', String(parts.length))
    headers.delete('transfer-encoding')
  } else if (headers.has('content-length')) {
    headers.set('content-length', '0')
  }
}

let prototypeSet = false

/** See the module comment. Made by {@link lazyHeaders}. */
class LazyHeaders {
  #map: ReadonlyMap<string, string>
  #sorted: string[] | undefined
  #real: Headers | undefined

  constructor(map: ReadonlyMap<string, string>) {
    this.#map = map
  }

  #names(): string[] {
    if (this.#sorted === undefined) this.#sorted = [...this.#map.keys()].sort()
    return this.#sorted
  }

  #materialize(): Headers {
    if (this.#real === undefined) {
      const real = new Headers()
      for (const name of this.#names()) real.append(name, this.#map.get(name) as string)
      this.#real = real
    }
    return this.#real
  }

  get(name: string): string | null {
    if (this.#real !== undefined) return this.#real.get(name)
    const value = this.#map.get(name) ?? this.#map.get(String(name).toLowerCase())
    if (value !== undefined) return value
    if (!isToken(String(name))) throw invalidName(name)
    return null
  }

  has(name: string): boolean {
    if (this.#real !== undefined) return this.#real.has(name)
    if (this.#map.has(name) || this.#map.has(String(name).toLowerCase())) return true
    if (!isToken(String(name))) throw invalidName(name)
    return false
  }

  append(name: string, value: string): void {
    this.#materialize().append(name, value)
  }

  set(name: string, value: string): void {
    this.#materialize().set(name, value)
  }

  delete(name: string): void {
    this.#materialize().delete(name)
  }

  getSetCookie(): string[] {
    return this.#materialize().getSetCookie()
  }

  forEach(callback: (value: string, name: string, parent: Headers) => void, thisArg?: unknown): void {
    if (this.#real !== undefined) {
      this.#real.forEach((value, name) => {
        callback.call(thisArg, value, name, this as unknown as Headers)
      })
      return
    }
    for (const name of this.#names())
      callback.call(thisArg, this.#map.get(name) as string, name, this as unknown as Headers)
  }

  *entries(): HeadersIterator<[string, string]> {
    if (this.#real !== undefined) {
      yield* this.#real.entries()
      return
    }
    for (const name of this.#names()) yield [name, this.#map.get(name) as string]
  }

  *keys(): HeadersIterator<string> {
    for (const [name] of this.entries()) yield name
  }

  *values(): HeadersIterator<string> {
    for (const [, value] of this.entries()) yield value
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries()
  }
}

/** A lazy `Headers` for the request parts (an ordinary `Headers` when the maps hold `set-cookie`). */
export function lazyHeaders(parts: RequestParts, fallback: (parts: RequestParts) => Headers): Headers {
  const map = parts.headerMap === undefined ? headerMap(parts) : parts.headerMap || undefined
  if (map === undefined) return fallback(parts)
  if (!prototypeSet) {
    Object.setPrototypeOf(LazyHeaders.prototype, Headers.prototype)
    prototypeSet = true
  }
  return new LazyHeaders(map) as unknown as Headers
}

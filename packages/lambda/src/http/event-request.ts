/**
 * The `Request` of a Lambda HTTP event: a lightweight one (`@turret/http/internal`) that answers `method`,
 * `url`, `headers`, `signal` and the body readers from the parsed event, and builds the runtime's `Request` only
 * when some other part of the fetch API needs it; an ordinary one where turret's globals are not installed.
 * @module
 */
import { Buffer } from 'node:buffer'
import { globalsInstalled, liteRequest, nativeRequest, type RequestSource } from '@turret/http/internal'
import { lazyHeaders, settleLength } from './lazy-headers'

/** What a Request is built from; produced by the event parser (already validated). */
export interface RequestParts {
  /** Normalised method (as `new Request` would report it). */
  readonly method: string
  /** Serialised absolute URL (`new URL(...).href`). */
  readonly url: string
  /** Multi-value header map (appended first, every value). */
  readonly multi: Readonly<Record<string, unknown>> | undefined
  /** Single-value header map (names not present in `multi`). */
  readonly single: Readonly<Record<string, unknown>> | undefined
  /** A `Cookie` header value that replaces any in the maps (v2 `cookies`). */
  readonly cookie: string | undefined
  /** The body: bytes (base64 events), text, or `null` for none. */
  readonly body: Uint8Array | string | null
  /** Whether a header value has characters above U+00FF (sent as their UTF-8 bytes). */
  readonly wide: boolean
  /** The body's byte length (0 when none). */
  readonly length: number
  /** The request's signal (the invocation deadline), if any. */
  readonly signal: AbortSignal | undefined
  /**
   * The lower-cased header map the parser built while validating (as lazy-headers' `headerMap()` would), `false` when the
   * headers must be read through an ordinary `Headers` (they hold `set-cookie`), or `undefined` to build it on
   * first read.
   */
  readonly headerMap?: ReadonlyMap<string, string> | false | undefined
}

function byteString(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1')
}

function append(headers: Headers, name: string, value: string, replace = false): void {
  try {
    if (replace) headers.set(name, value)
    else headers.append(name, value)
  } catch {
    // Values API Gateway decoded to characters above U+00FF: present their UTF-8 bytes, as node:http would.
    if (replace) headers.set(name, byteString(value))
    else headers.append(name, byteString(value))
  }
}

/**
 * Builds the `Headers` of a request: multi-value entries, then single-value names the multi-value map does not
 * have (in any case), then fixes.
 */
export function buildHeaders(parts: RequestParts): Headers {
  const headers = new Headers()
  const { multi, single } = parts
  if (multi) {
    for (const name in multi) {
      const values = multi[name]
      if (!Array.isArray(values)) continue
      for (const value of values) if (typeof value === 'string') append(headers, name, value)
    }
  }
  if (single) {
    for (const name in single) {
      const value = single[name]
      if (typeof value === 'string' && (multi === undefined || (!Array.isArray(multi[name]) && !headers.has(name))))
        append(headers, name, value)
    }
  }
  if (parts.cookie !== undefined) append(headers, 'cookie', parts.cookie, true)
  settleLength(headers, parts)
  return headers
}

/** Where a request's signal comes from when `parts.signal` is unset: read only when the request's signal is (a Lambda context). */
export interface SignalHolder {
  readonly signal: AbortSignal
}

/** An event's parts as a {@link RequestSource}: headers, signal and body answered from the parsed event. */
class EventSource implements RequestSource {
  constructor(
    readonly parts: RequestParts,
    readonly holder: SignalHolder | undefined,
  ) {}

  get method(): string {
    return this.parts.method
  }

  get url(): string {
    return this.parts.url
  }

  get body(): string | Uint8Array | null {
    return this.parts.body
  }

  headers(): Headers {
    return lazyHeaders(this.parts, buildHeaders)
  }

  signal(): AbortSignal {
    const signal = this.parts.signal ?? this.holder?.signal
    return signal ?? new AbortController().signal
  }

  stream(): ReadableStream<Uint8Array> {
    throw new Error('unreachable: an event body is in memory')
  }
}

/**
 * A `Request` for `parts` (its signal is `parts.signal`, else `holder.signal` read when first needed): lightweight
 * while turret's globals are installed (`new Request(req)` and `fetch(req)` then work), else an ordinary
 * `Request` built at once.
 */
export function createRequest(parts: RequestParts, holder?: SignalHolder): Request {
  const source = new EventSource(parts, holder)
  return globalsInstalled() ? liteRequest(source) : nativeRequest(source)
}

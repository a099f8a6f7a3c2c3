/**
 * The `Request` of one node:http request: lightweight (`@turret/http/internal`) where turret's globals are
 * installed, so a service that reads only the method, URL and a few headers builds no runtime `Request`;
 * an ordinary one built at once otherwise.
 * @module
 */
import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import { liteRequest, native, nativeRequest, type RequestSource } from '../internal/index'

/** A node:http request as a {@link RequestSource}, and its abort handle. */
export class IncomingSource implements RequestSource {
  #controller: AbortController | undefined
  #reason: unknown

  constructor(
    readonly incoming: IncomingMessage,
    readonly method: string,
    readonly url: string,
    /** `null` when the request has no body, `undefined` when it streams one. */
    readonly body: null | undefined,
  ) {}

  headers(): Headers {
    const raw = this.incoming.rawHeaders
    const headers = new native.Headers()
    for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string)
    return headers
  }

  signal(): AbortSignal {
    this.#controller ??= new AbortController()
    if (this.#reason !== undefined) this.#controller.abort(this.#reason)
    return this.#controller.signal
  }

  stream(): ReadableStream<Uint8Array> {
    return Readable.toWeb(this.incoming) as ReadableStream<Uint8Array>
  }

  /** Aborts the request's signal: now, or when it is first read. */
  abort(reason: unknown): void {
    if (this.#controller !== undefined) this.#controller.abort(reason)
    else this.#reason = reason
  }
}

/** The request for `source`: lightweight when `lite`, else built at once. */
export function toRequest(source: IncomingSource, lite: boolean): Request {
  return lite ? liteRequest(source) : nativeRequest(source)
}

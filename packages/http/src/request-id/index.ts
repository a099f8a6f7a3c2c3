/**
 * Request ids: `setRequestId` gives each request an id (from its header, or a new one), and
 * `propagateRequestId` copies it onto the response.
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import { extensions, key, peekExtensions } from '../extensions/index'
import type { HttpService } from '../types'
import { editHeaders } from '../util/response'
import { isValidRequestId } from './valid'

/** The extension under which the request id is stored on the request (and on the response by `propagateRequestId`). */
export const requestIdKey = key<string>('requestId')

/** Makes a request id for a request that has none; `undefined` leaves the request without one. */
export type MakeRequestId = (req: Request) => string | undefined

/** Makes a random UUID v4 (`crypto.randomUUID()`): the default request id maker. */
export const makeRequestUuid: MakeRequestId = () => crypto.randomUUID()

/** The header request ids travel in by default. */
const X_REQUEST_ID = 'x-request-id'

/** Options of {@link setRequestId}. */
export interface SetRequestIdOptions {
  /** The header that carries the id. Defaults to `x-request-id`. */
  header?: string | undefined
  /** Makes an id when the request has none (or an unacceptable one). Defaults to {@link makeRequestUuid}. */
  makeRequestId?: MakeRequestId | undefined
  /**
   * An incoming id longer than this many characters is replaced by a new one (so a client cannot
   * flood logs through it). Defaults to `256`.
   */
  maxLength?: number | undefined
}

class SetRequestId extends PassThrough<Request, Response> {
  readonly layerName = 'setRequestId'
  constructor(
    inner: HttpService,
    private readonly header: string,
    private readonly make: MakeRequestId,
    private readonly maxLength: number,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const existing = req.headers.get(this.header)
    if (existing !== null && isValidRequestId(existing, this.maxLength)) {
      extensions(req).set(requestIdKey, existing)
    } else {
      let id: string | undefined
      try {
        id = this.make(req)
      } catch (error) {
        return Promise.reject(error)
      }
      if (id !== undefined) {
        req.headers.set(this.header, id)
        extensions(req).set(requestIdKey, id)
      } else if (existing !== null) {
        req.headers.delete(this.header)
      }
    }
    return next(req)
  }
}

/**
 * Gives each request an id: keeps the one in its `x-request-id` header (the maker is not called),
 * or makes one (a UUID by default) and sets the header. Either way the id is stored under
 * {@link requestIdKey} in the request's extensions. An incoming id longer than `maxLength`
 * (256) or with control characters is replaced. Put it outside (before) `trace`.
 *
 * @example
 * ```ts
 * new ServiceBuilder().layer(setRequestId()).layer(trace(...)).layer(propagateRequestId()).service(app)
 * ```
 */
export function setRequestId(options: SetRequestIdOptions = {}): (inner: HttpService) => HttpService {
  const header = options.header ?? X_REQUEST_ID
  const make = options.makeRequestId ?? makeRequestUuid
  const maxLength = options.maxLength ?? 256
  return function setRequestId(inner: HttpService): HttpService {
    return new SetRequestId(inner, header, make, maxLength)
  }
}

/** Options of {@link propagateRequestId}. */
export interface PropagateRequestIdOptions {
  /** The header that carries the id. Defaults to `x-request-id`. */
  header?: string | undefined
}

class PropagateRequestId extends PassThrough<Request, Response> {
  readonly layerName = 'propagateRequestId'
  constructor(
    inner: HttpService,
    private readonly header: string,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const before = req.headers.get(this.header)
    return next(req).then((res) => {
      const own = res.headers.get(this.header)
      if (own !== null) {
        extensions(res).set(requestIdKey, own)
        return res
      }
      // Read again after the call: an inner `setRequestId` may have set it on this request.
      const id = before ?? req.headers.get(this.header) ?? peekExtensions(req)?.get(requestIdKey) ?? null
      if (id === null) return res
      const out = editHeaders(res, (h) => h.set(this.header, id))
      extensions(out).set(requestIdKey, id)
      return out
    })
  }
}

/**
 * Copies the request's id header onto the response (unless the response already has one), and
 * stores the response's id under {@link requestIdKey} in the response's extensions. Put it inside
 * (after) `setRequestId`; placed outside, it still finds the id an inner `setRequestId` set.
 */
export function propagateRequestId(options: PropagateRequestIdOptions = {}): (inner: HttpService) => HttpService {
  const header = options.header ?? X_REQUEST_ID
  return function propagateRequestId(inner: HttpService): HttpService {
    return new PropagateRequestId(inner, header)
  }
}

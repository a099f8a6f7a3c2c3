/**
 * `propagateHeader`: copies a request header onto the response.
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import type { HttpService } from '../types'
import { editHeaders } from '../util/response'

class PropagateHeader extends PassThrough<Request, Response> {
  readonly layerName = 'propagateHeader'
  constructor(
    inner: HttpService,
    private readonly name: string,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const value = req.headers.get(this.name)
    const res = next(req)
    if (value === null) return res
    return res.then((r) => editHeaders(r, (h) => h.set(this.name, value)))
  }
}

/**
 * Copies header `name` from the request onto the response, replacing what the inner service set.
 * A request without the header leaves the response untouched.
 *
 * @example
 * ```ts
 * propagateHeader('x-correlation-id')
 * ```
 */
export function propagateHeader(name: string): (inner: HttpService) => HttpService {
  return function propagateHeader(inner: HttpService): HttpService {
    return new PropagateHeader(inner, name)
  }
}

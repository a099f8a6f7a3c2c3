/**
 * `setStatus`: overwrites the status of every response.
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import type { HttpService } from '../types'
import { withStatus } from '../util/response'

class SetStatus extends PassThrough<Request, Response> {
  readonly layerName = 'setStatus'
  constructor(
    inner: HttpService,
    private readonly status: number,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    return next(req).then((res) => (res.status === this.status ? res : withStatus(res, this.status)))
  }
}

/**
 * Sets the status of each response once the inner service answered (keeps headers and body; a
 * null-body status such as 204 drops the body).
 *
 * @example
 * ```ts
 * setStatus(404)(serveFile('404.html'))
 * ```
 */
export function setStatus(status: number): (inner: HttpService) => HttpService {
  if (!(Number.isInteger(status) && status >= 200 && status <= 599)) {
    throw new RangeError(`setStatus: status must be an integer in 200..599, got ${status}`)
  }
  return function setStatus(inner: HttpService): HttpService {
    return new SetStatus(inner, status)
  }
}

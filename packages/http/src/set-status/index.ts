/**
 * `setStatus`: overwrites the status of every response.
 * @module
 */
import type { Ready } from '@turret/core'
import type { HttpService } from '../types'
import { withStatus } from '../util/response'

class SetStatus implements HttpService {
  readonly layerName = 'setStatus'
  constructor(
    readonly inner: HttpService,
    private readonly status: number,
  ) {}

  ready(signal?: AbortSignal): Ready {
    return this.inner.ready(signal)
  }

  call(req: Request): Promise<Response> {
    return this.inner.call(req).then((res) => (res.status === this.status ? res : withStatus(res, this.status)))
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

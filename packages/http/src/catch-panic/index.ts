/**
 * `catchPanic`: a throw or a rejection inside the stack becomes a `500` response.
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import type { HttpService } from '../types'
import { textResponse } from '../util/response'

/** Options of {@link catchPanic}. */
export interface CatchPanicOptions {
  /**
   * Builds the response for a caught error (the thrown value as is, not necessarily an `Error`).
   * Defaults to `500`, `Content-Type: text/plain; charset=utf-8`, body `Service panicked`.
   */
  handler?: ((error: unknown, req: Request) => Response | PromiseLike<Response>) | undefined
  /** Called with every caught error before the response is built (logging). Defaults to none. */
  onPanic?: ((error: unknown, req: Request) => void) | undefined
}

/** tower-http's default panic response: `500` with body `Service panicked`. */
function panicResponse(): Response {
  return textResponse(500, 'Service panicked')
}

class CatchPanic extends PassThrough<Request, Response> {
  readonly layerName = 'catchPanic'
  constructor(
    inner: HttpService,
    private readonly options: CatchPanicOptions,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    let res: Promise<Response>
    try {
      res = next(req)
    } catch (error) {
      return this.caught(error, req)
    }
    return res.then(undefined, (error: unknown) => this.caught(error, req))
  }

  private async caught(error: unknown, req: Request): Promise<Response> {
    this.options.onPanic?.(error, req)
    const handler = this.options.handler
    return handler === undefined ? panicResponse() : handler(error, req)
  }
}

/**
 * Turns an error thrown by `call()` or a rejected call into a response: `500 Service panicked`
 * by default, or what `handler` returns. Readiness failures are not caught (they mean the
 * service is gone). Errors while streaming the response body are not caught either.
 *
 * Without it, an escaped error is answered by each runtime its own way: `serve()` answers `500`,
 * while on Lambda `httpHandler` throws and API Gateway answers `502`. With it outermost, every
 * runtime sends the same response.
 *
 * @example
 * ```ts
 * const svc = catchPanic({ onPanic: (e) => log.error(e) })(app)
 * ```
 */
export function catchPanic(options: CatchPanicOptions = {}): (inner: HttpService) => HttpService {
  return function catchPanic(inner: HttpService): HttpService {
    return new CatchPanic(inner, options)
  }
}

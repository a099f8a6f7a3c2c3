import { type Next, PassThrough, type Service } from '@turret/core'
import { diagnostic, FunctionError } from './diagnostic'

class PanicToFunctionErrorService<Req, Res> extends PassThrough<Req, Res> {
  readonly layerName = 'panicToFunctionError'

  protected handle(req: Req, next: Next<Req, Res>): Promise<Res> {
    let pending: Promise<Res>
    try {
      pending = Promise.resolve(next(req))
    } catch (error) {
      return Promise.reject(toFunctionError(error))
    }
    return pending.catch(rethrow)
  }
}

function toFunctionError(error: unknown): FunctionError {
  if (error instanceof FunctionError) return error
  return new FunctionError(diagnostic(error), { cause: error })
}

function rethrow(error: unknown): never {
  throw toFunctionError(error)
}

/**
 * lambda_runtime's `PanicToFunctionErrorService`: whatever the inner service throws (synchronously or not,
 * an Error or any other value, even a cyclic object) becomes a {@link FunctionError} carrying a
 * ready-to-send {@link Diagnostic}, with the original value as `cause`.
 *
 * @example
 * ```ts
 * await oneshot(panicToFunctionError()(serviceFn(() => { throw 'boom' })), ev)
 * // rejects with FunctionError { diagnostic: { errorType: 'string', errorMessage: 'boom' } }
 * ```
 */
export function panicToFunctionError(): <Req, Res>(inner: Service<Req, Res>) => Service<Req, Res> {
  return function panicToFunctionError<Req, Res>(inner: Service<Req, Res>): Service<Req, Res> {
    return new PanicToFunctionErrorService(inner)
  }
}

/**
 * `addExtension`: puts a value into every request's extensions.
 * @module
 */
import { type Next, PassThrough } from '@turret/core'
import { extensions, type Key } from '../extensions/index'
import type { HttpService } from '../types'

class AddExtension<T> extends PassThrough<Request, Response> {
  readonly layerName = 'addExtension'
  constructor(
    inner: HttpService,
    private readonly key: Key<T>,
    private readonly value: T,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    extensions(req).set(this.key, this.value)
    return next(req)
  }
}

/**
 * Stores `value` under `key` in each request's extensions (replacing an earlier value): the way
 * to hand shared state — a database pool, config — to handlers.
 *
 * @example
 * ```ts
 * export const dbKey = key<Pool>('db')
 * addExtension(dbKey, pool)(app)
 * ```
 */
export function addExtension<T>(key: Key<T>, value: T): (inner: HttpService) => HttpService {
  return function addExtension(inner: HttpService): HttpService {
    return new AddExtension(inner, key, value)
  }
}

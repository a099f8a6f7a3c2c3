/** Options every turret error takes. */
export interface TurretErrorOptions {
  /** The error that caused this one. Defaults to none. */
  readonly cause?: unknown
}

/**
 * Base class of every error turret raises: a stable `name`, a machine-readable `code`,
 * and the ES2022 `cause`.
 *
 * @example
 * ```ts
 * try { await oneshot(svc, req) } catch (e) {
 *   if (e instanceof TurretError && e.code === 'ERR_TIMEOUT') retryLater()
 * }
 * ```
 */
export class TurretError extends Error {
  override name = 'TurretError'
  /** A stable machine-readable code, such as `ERR_TIMEOUT`. */
  readonly code: string = 'ERR_TURRET'

  constructor(message: string, options?: TurretErrorOptions) {
    super(message, options && 'cause' in options ? { cause: options.cause } : undefined)
  }
}

/** `call()` was made without a reservation from a successful `ready()`. */
export class NotReadyError extends TurretError {
  override name = 'NotReadyError'
  override readonly code = 'ERR_NOT_READY'
  constructor(
    message = 'service not ready: call ready() (or use oneshot) before call()',
    options?: TurretErrorOptions,
  ) {
    super(message, options)
  }
}

/** A `filter` predicate rejected the request; the inner service was not called. */
export class RejectedError extends TurretError {
  override name = 'RejectedError'
  override readonly code = 'ERR_REJECTED'
  constructor(message = 'request rejected by filter', options?: TurretErrorOptions) {
    super(message, options)
  }
}

/** The service was closed and takes no more requests. */
export class ClosedError extends TurretError {
  override name = 'ClosedError'
  override readonly code = 'ERR_CLOSED'
  constructor(message = 'service closed', options?: TurretErrorOptions) {
    super(message, options)
  }
}

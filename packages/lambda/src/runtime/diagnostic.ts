import { TurretError, type TurretErrorOptions } from '@turret/core'

/** The error body the Runtime API takes on `/error` and `/init/error` (and in streaming error trailers). */
export interface Diagnostic {
  /** The error's type, e.g. `TypeError`, or `typeof` the thrown value when it is not an Error. */
  readonly errorType: string
  /** The error's message, or the thrown value rendered as text. */
  readonly errorMessage: string
  /** Stack frames, one per line (empty when unknown). */
  readonly stackTrace: readonly string[]
}

/** A failure of the function, already rendered as a {@link Diagnostic} (what `panicToFunctionError` rejects with). */
export class FunctionError extends TurretError {
  override name = 'FunctionError'
  override readonly code = 'ERR_FUNCTION'
  /** The rendered error, as it will be reported to the Runtime API. */
  readonly diagnostic: Diagnostic
  constructor(diagnostic: Diagnostic, options?: TurretErrorOptions) {
    super(`${diagnostic.errorType}: ${diagnostic.errorMessage}`, options)
    this.diagnostic = diagnostic
  }
}

function safeString(value: unknown): string {
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/**
 * `JSON.stringify` that never throws: cycles become `"[Circular]"`, bigints strings, and a value
 * that still cannot be serialized falls back to `String(value)`.
 */
export function safeStringify(value: unknown): string {
  const ancestors: object[] = []
  try {
    const text = JSON.stringify(value, function (this: unknown, _key, v: unknown) {
      if (typeof v === 'bigint') return v.toString()
      if (typeof v !== 'object' || v === null) return v
      while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop()
      if (ancestors.includes(v)) return '[Circular]'
      ancestors.push(v)
      return v
    })
    return text ?? safeString(value)
  } catch {
    return safeString(value)
  }
}

function stackLines(stack: unknown): string[] {
  if (typeof stack !== 'string') return []
  return stack
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
}

/**
 * Renders anything thrown as a {@link Diagnostic}. Errors give their `name`, `message` and stack;
 * other values give `typeof value` and their text (as the Node.js runtime reports them); it never throws.
 *
 * @example
 * ```ts
 * diagnostic(new TypeError('bad')) // { errorType: 'TypeError', errorMessage: 'bad', stackTrace: [...] }
 * diagnostic('oops') // { errorType: 'string', errorMessage: 'oops', stackTrace: [] }
 * ```
 */
export function diagnostic(error: unknown): Diagnostic {
  try {
    if (error instanceof FunctionError) return error.diagnostic
    if (error instanceof Error) {
      const name = typeof error.name === 'string' && error.name ? error.name : error.constructor?.name || 'Error'
      return { errorType: name, errorMessage: safeString(error.message), stackTrace: stackLines(error.stack) }
    }
    if (typeof error === 'string') return { errorType: 'string', errorMessage: error, stackTrace: [] }
    if (typeof error === 'object' && error !== null) {
      const { name, message } = error as { name?: unknown; message?: unknown }
      if (typeof message === 'string') {
        const stackTrace = stackLines((error as { stack?: unknown }).stack)
        return { errorType: typeof name === 'string' && name ? name : 'object', errorMessage: message, stackTrace }
      }
      return { errorType: 'object', errorMessage: safeStringify(error), stackTrace: [] }
    }
    return { errorType: typeof error, errorMessage: safeString(error), stackTrace: [] }
  } catch {
    return { errorType: 'Runtime.Unknown', errorMessage: 'unreadable error value', stackTrace: [] }
  }
}

/** Makes text safe for an HTTP header value (printable ASCII only). */
export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 1024) || 'Runtime.Unknown'
}

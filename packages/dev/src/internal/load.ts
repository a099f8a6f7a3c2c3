/**
 * Loading a handler module the way Lambda's managed Node.js runtime does (`module.export`, ESM or CJS), with
 * its `Runtime.*` error types, and the error document `turret invoke` prints (aws-lambda-ric's shape).
 */
import { isAbsolute, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ManagedHandler } from '@turret/lambda/internal'

/** The error document of a failed invocation (`{ errorType, errorMessage, trace }`, as aws-lambda-ric sends it). */
export interface ErrorDocument {
  /** The error's type, e.g. `TypeError` or `Sandbox.Timedout`. */
  readonly errorType: string
  /** The error's message. */
  readonly errorMessage: string
  /** The stack, one line per entry (the first is `Type: message`). */
  readonly trace: string[]
}

/** A failure with a Lambda error type (`Runtime.ImportModuleError`, `Runtime.HandlerNotFound`, …). */
export class RuntimeFailure extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = errorType
  }
}

/** The error document of anything thrown. */
export function errorDocument(error: unknown): ErrorDocument {
  if (error instanceof Error) {
    const errorType = error instanceof RuntimeFailure ? error.errorType : error.name || 'Error'
    return { errorType, errorMessage: error.message, trace: (error.stack ?? '').split('\n') }
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] }
}

/** Imports a handler module (ESM or CJS) and returns its export (`handler` by default; `a.b` for nested). */
export async function loadHandler(modulePath: string, exportName = 'handler'): Promise<ManagedHandler> {
  const file = isAbsolute(modulePath) ? modulePath : resolve(modulePath)
  let mod: Record<string, unknown>
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } catch (error) {
    // As aws-lambda-ric: a missing module or a syntax error get a Runtime.* type; other init errors stay as thrown.
    const code = (error as { code?: string }).code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new RuntimeFailure('Runtime.ImportModuleError', (error as Error).message, { cause: error })
    if (error instanceof SyntaxError)
      throw new RuntimeFailure('Runtime.UserCodeSyntaxError', error.message, { cause: error })
    throw error
  }
  const lookup = (root: unknown): unknown =>
    exportName
      .split('.')
      .reduce<unknown>((obj, key) => (obj == null ? undefined : (obj as Record<string, unknown>)[key]), root)
  let fn = lookup(mod)
  // A CJS module imported from ESM: its `module.exports` is the default export.
  if (fn === undefined && mod.default !== undefined && exportName !== 'default') fn = lookup(mod.default)
  if (typeof fn !== 'function') {
    throw new RuntimeFailure(
      'Runtime.HandlerNotFound',
      `${modulePath}: export '${exportName}' is ${fn === undefined ? 'undefined' : `not a function (${typeof fn})`}`,
    )
  }
  return fn as ManagedHandler
}

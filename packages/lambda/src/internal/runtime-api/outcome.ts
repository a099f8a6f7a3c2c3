/** The error document of a failed invocation (`{ errorType, errorMessage, … }`). */
export interface FunctionErrorPayload {
  /** The error's type, e.g. `Error` or `Sandbox.Timedout`. */
  readonly errorType: string
  /** The error's message. */
  readonly errorMessage: string
  /** Other fields the runtime sent (`trace`, `stackTrace`, …). */
  readonly [field: string]: unknown
}

/** How an invocation ended: the response bytes, or the error document. */
export interface InvocationOutcome {
  /** The response bytes; the error document when the function failed. */
  readonly payload: Buffer
  /** The Content-Type the runtime posted the response with. */
  readonly contentType?: string | undefined
  /** The parsed error document when the function failed. */
  readonly error?: FunctionErrorPayload | undefined
  /** Whether the runtime streamed the response. */
  readonly streamed?: boolean | undefined
}

/** An outcome for an error the environment reports itself (`Sandbox.Timedout`, `Runtime.ExitError`, …). */
export function errorOutcome(errorType: string, errorMessage: string): InvocationOutcome {
  const error = { errorType, errorMessage }
  return { payload: Buffer.from(JSON.stringify(error)), contentType: 'application/json', error }
}

/** Parses a runtime's error body; falls back to the error-type header, as Lambda does. */
export function parseErrorOutcome(body: Buffer, headerType: string | undefined): InvocationOutcome {
  try {
    const doc = JSON.parse(body.toString('utf8')) as Record<string, unknown>
    if (doc && typeof doc === 'object') {
      const errorType = typeof doc.errorType === 'string' ? doc.errorType : (headerType ?? 'Unhandled')
      const errorMessage = typeof doc.errorMessage === 'string' ? doc.errorMessage : ''
      return { payload: body, contentType: 'application/json', error: { ...doc, errorType, errorMessage } }
    }
  } catch {}
  return errorOutcome(headerType ?? 'Unhandled', body.toString('utf8'))
}

/** `decodeURIComponent`, or `undefined` for a malformed %-escape (a 4xx for the client, not a 500). */
export function decodePath(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

/**
 * The runtime's own fetch classes, as they were before turret installed its lightweight globals
 * (`installGlobals()`): kept under a registered symbol so every copy of this module (ESM and CJS builds,
 * two versions in one bundle) sees the same originals.
 * @module
 */

/** The runtime's `Request`, `Response`, `Headers` and `fetch`. */
export interface Native {
  /** The runtime's `Request`. */
  readonly Request: typeof Request
  /** The runtime's `Response`. */
  readonly Response: typeof Response
  /** The runtime's `Headers`. */
  readonly Headers: typeof Headers
  /** The runtime's `fetch`. */
  readonly fetch: typeof fetch
}

const KEY = Symbol.for('turret.nativeFetch')
const holder = globalThis as typeof globalThis & { [KEY]?: Native }

holder[KEY] ??= {
  Request: globalThis.Request,
  Response: globalThis.Response,
  Headers: globalThis.Headers,
  fetch: globalThis.fetch,
}

/** See the module comment. */
export const native: Native = holder[KEY]

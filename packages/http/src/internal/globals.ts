/**
 * turret's lightweight globals (as @hono/node-server's `overrideGlobalObjects`): `Response` makes
 * lightweight responses for string, bytes and empty bodies (`serve()` and the Lambda adapter then write them
 * from their parts), `Request` and `fetch` accept lightweight requests (they hand the runtime the built
 * request). Every other input goes to the runtime's own classes, and `instanceof` answers for the runtime's
 * objects and turret's alike.
 * @module
 */

import { native } from './native'
import { LiteRequest } from './request'
import { liteResponse } from './response'

const TEXT = ['content-type', 'text/plain;charset=UTF-8'] as const
const JSON_TYPE = ['content-type', 'application/json'] as const
const NONE: readonly string[] = []

const hasInstance = Function.prototype[Symbol.hasInstance]
/** Marks turret's global `Response`, whichever copy of this module installed it. */
const INSTALLED = Symbol.for('turret.globals')

/** `Request`, accepting lightweight requests as input. */
class TurretRequest extends native.Request {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(LiteRequest.unwrap(input), init)
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasInstance.call(native.Request, value)
  }
}
Object.defineProperty(TurretRequest, 'name', { value: 'Request' })

type Body = ConstructorParameters<typeof Response>[0]

/** `Response`, lightweight for string, bytes and empty bodies. */
class TurretResponse {
  constructor(body?: Body, init?: ResponseInit) {
    // biome-ignore lint/correctness/noConstructorReturn: a subclass gets a runtime response of its own class
    if (new.target !== TurretResponse) return Reflect.construct(native.Response, [body, init], new.target)
    // biome-ignore lint/correctness/noConstructorReturn: a lightweight or a runtime response, never `this`
    if (body === undefined || body === null) return liteResponse(null, init, NONE)
    // biome-ignore lint/correctness/noConstructorReturn: see above
    if (typeof body === 'string') return liteResponse(body, init, TEXT)
    // biome-ignore lint/correctness/noConstructorReturn: see above
    if (body instanceof Uint8Array) return liteResponse(new Uint8Array(body), init, NONE)
    // biome-ignore lint/correctness/noConstructorReturn: see above
    return new native.Response(body, init)
  }

  static json(data: unknown, init?: ResponseInit): Response {
    const body = JSON.stringify(data)
    if (body === undefined) throw new TypeError('Value is not JSON serializable')
    return liteResponse(body, init, JSON_TYPE)
  }

  static redirect(url: string | URL, status?: number): Response {
    return native.Response.redirect(url, status)
  }

  static error(): Response {
    return native.Response.error()
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return hasInstance.call(native.Response, value)
  }
}
Object.setPrototypeOf(TurretResponse.prototype, native.Response.prototype)
Object.setPrototypeOf(TurretResponse, native.Response)
Object.defineProperty(TurretResponse, 'name', { value: 'Response' })
Object.defineProperty(TurretResponse, INSTALLED, { value: true })

/** `fetch`, accepting lightweight requests as input. */
function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return native.fetch(LiteRequest.unwrap(input), init)
}

/** Whether turret's lightweight `Request`, `Response` and `fetch` are the globals now. */
export function globalsInstalled(): boolean {
  return INSTALLED in globalThis.Response
}

/**
 * Makes turret's lightweight `Request`, `Response` and `fetch` the globals (idempotent). `serve()` and
 * `httpHandler()` call it unless told `overrideGlobalObjects: false`.
 */
export function installGlobals(): void {
  if (globalsInstalled()) return
  Object.assign(globalThis, { Request: TurretRequest, Response: TurretResponse, fetch })
}

/** Puts the runtime's own `Request`, `Response` and `fetch` back (tests). */
export function uninstallGlobals(): void {
  Object.assign(globalThis, { Request: native.Request, Response: native.Response, fetch: native.fetch })
}

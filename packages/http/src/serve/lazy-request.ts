/**
 * A `Request` for node:http that builds the real (costly) fetch `Request` only when something
 * beyond `method`, `url`, `headers` and `signal` is used. `instanceof Request` holds, and
 * undici's own brand checks (`new Request(req)`, `fetch(req)`) see the real request's internals.
 * @internal
 * @module
 */
import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'

const REAL = Symbol('turret.realRequest')

interface LazyFields {
  [REAL]: Request | undefined
  _incoming: IncomingMessage
  _method: string
  _url: string
  _headers: Headers | undefined
  _controller: AbortController | undefined
  _abortReason: unknown
  _hasBody: boolean
}

type Lazy = Request & LazyFields

function headersOf(incoming: IncomingMessage): Headers {
  const raw = incoming.rawHeaders
  const headers = new Headers()
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string)
  return headers
}

function controllerOf(self: Lazy): AbortController {
  let controller = self._controller
  if (controller === undefined) {
    controller = new AbortController()
    self._controller = controller
    if (self._abortReason !== undefined) controller.abort(self._abortReason)
  }
  return controller
}

/** The controllers of eagerly built requests (when laziness is off). */
const eagerControllers = new WeakMap<Request, AbortController>()

function realOf(self: Lazy): Request {
  let real = self[REAL]
  if (real === undefined) {
    const init: RequestInit & { duplex?: 'half' } = {
      method: self._method,
      headers: self.headers,
      signal: controllerOf(self).signal,
    }
    if (self._hasBody) {
      init.body = Readable.toWeb(self._incoming) as ReadableStream<Uint8Array>
      init.duplex = 'half'
    }
    real = new Request(self._url, init)
    self[REAL] = real
    if (!SYMBOL_STATE) eagerControllers.set(real, controllerOf(self))
  }
  return real
}

const proto = Object.create(Request.prototype) as Record<PropertyKey, unknown>

Object.defineProperties(proto, {
  method: {
    get(this: Lazy) {
      return this._method
    },
  },
  url: {
    get(this: Lazy) {
      return this._url
    },
  },
  headers: {
    get(this: Lazy) {
      const real = this[REAL]
      if (real !== undefined) return real.headers
      this._headers ??= headersOf(this._incoming)
      return this._headers
    },
  },
  signal: {
    get(this: Lazy) {
      return this[REAL]?.signal ?? controllerOf(this).signal
    },
  },
  [Symbol.for('nodejs.util.inspect.custom')]: {
    value(this: Lazy) {
      return `Request { method: '${this._method}', url: '${this._url}' }`
    },
  },
})

for (const name of Object.getOwnPropertyNames(Request.prototype)) {
  if (name === 'constructor' || Object.hasOwn(proto, name)) continue
  const desc = Object.getOwnPropertyDescriptor(Request.prototype, name)
  if (desc?.get !== undefined) {
    Object.defineProperty(proto, name, {
      get(this: Lazy) {
        return (realOf(this) as unknown as Record<string, unknown>)[name]
      },
    })
  } else if (typeof desc?.value === 'function') {
    Object.defineProperty(proto, name, {
      value(this: Lazy, ...args: unknown[]) {
        const real = realOf(this) as unknown as Record<string, (...a: unknown[]) => unknown>
        return real[name]?.(...args)
      },
      writable: true,
      configurable: true,
    })
  }
}

// undici keeps a request's state under symbol keys and reads them from any `instanceof Request`
// input (`new Request(req)`, `fetch(req)`): hand it the real request's.
for (const sym of Object.getOwnPropertySymbols(new Request('http://localhost/'))) {
  Object.defineProperty(proto, sym, {
    get(this: Lazy) {
      return (realOf(this) as unknown as Record<symbol, unknown>)[sym]
    },
  })
}

// The symbol delegation above only works while undici keeps that state under symbols (Node 20,
// 22). Where it moved to private fields, build the real request at once instead.
const SYMBOL_STATE = Object.getOwnPropertySymbols(new Request('http://localhost/')).some(
  (s) => s.description === 'state',
)

/** Makes the lazy request of one node:http request (an eager one where laziness cannot be made safe). */
export function lazyRequest(incoming: IncomingMessage, method: string, url: string, hasBody: boolean): Request {
  const self = Object.create(proto) as Lazy
  self[REAL] = undefined
  self._incoming = incoming
  self._method = method
  self._url = url
  self._headers = undefined
  self._controller = undefined
  self._abortReason = undefined
  self._hasBody = hasBody
  return SYMBOL_STATE ? self : realOf(self)
}

/** Aborts the request's signal (now, or when it is first read). */
export function abortLazy(req: Request, reason: unknown): void {
  const self = req as Lazy
  if (!(REAL in self)) {
    eagerControllers.get(req)?.abort(reason)
    return
  }
  const real = self[REAL]
  if (self._controller !== undefined) self._controller.abort(reason)
  else if (real === undefined) self._abortReason = reason
}

/** Whether anything costly was built for `req`: the undici request or its AbortController (for tests). */
export function lazyRequestBuilt(req: Request): boolean {
  const self = req as Lazy
  return !(REAL in self) || self[REAL] !== undefined || self._controller !== undefined || self._headers !== undefined
}

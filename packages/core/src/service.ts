/**
 * What `ready()` returns: `undefined` when the service can take a call now (the hot path, no
 * allocation), or a promise that settles when it can. A throw or a rejection means the service
 * has failed for good.
 */
export type Ready = void | PromiseLike<void>

/**
 * An asynchronous function from a request to a response, with backpressure: tower's `Service`.
 *
 * Each successful `ready()` reserves capacity for exactly one `call()`, and each `call()`
 * consumes one reservation. Use {@link oneshot} to do both.
 *
 * @example
 * ```ts
 * const svc: Service<number, number> = serviceFn((n: number) => n + 1)
 * await oneshot(svc, 1) // 2
 * ```
 */
export interface Service<Req, Res> {
  /**
   * tower's `poll_ready`: `undefined` when ready now, a promise while pending, a throw when failed.
   * Aborting `signal` abandons a pending wait (services that hold capacity release what they reserved
   * for it and reject with the signal's reason); services that never wait may ignore it.
   */
  ready(signal?: AbortSignal): Ready
  /** Handles one request; consumes one reservation made by `ready()`. */
  call(req: Req): Promise<Res>
}

/**
 * A function from the inner service to the outer one. Layers compose with plain function
 * application, so fp-ts `pipe(svc, timeout(1_000))` needs no adapter.
 */
export type Layer<In, Out> = (inner: In) => Out

/** A layer that keeps the request and response types of whatever service it wraps. */
export type Middleware = <Req, Res>(inner: Service<Req, Res>) => Service<Req, Res>

/** The request type of a service. */
export type RequestOf<S> = S extends Service<infer Req, unknown> ? Req : never
/** The response type of a service. */
export type ResponseOf<S> = S extends Service<never, infer Res> ? Res : never

/**
 * What services built by a layer expose so that {@link describeStack} can list a stack: the layer's
 * name and the service it wraps.
 */
export interface Layered {
  /** The name of the layer that built this service, e.g. `'timeout'`. */
  readonly layerName: string
  /** The wrapped service. */
  readonly inner: unknown
}

class ServiceFn<Req, Res> implements Service<Req, Res> {
  readonly layerName: string
  constructor(readonly fn: (req: Req) => Res | PromiseLike<Res>) {
    this.layerName = fn.name ? `serviceFn(${fn.name})` : 'serviceFn'
  }
  ready(): Ready {
    return undefined
  }
  call(req: Req): Promise<Res> {
    try {
      return Promise.resolve(this.fn(req))
    } catch (error) {
      return Promise.reject(error)
    }
  }
}

/**
 * Makes an always-ready service from a function that returns a value or a promise.
 *
 * @example
 * ```ts
 * const echo = serviceFn(async (req: Request) => new Response(req.body))
 * ```
 */
export function serviceFn<Req, Res>(fn: (req: Req) => Res | PromiseLike<Res>): Service<Req, Res> {
  return new ServiceFn(fn)
}

/** Options of {@link oneshot}. */
export interface OneshotOptions {
  /** Abandons the readiness wait when aborted (the call itself is not cancelled). Defaults to none. */
  readonly signal?: AbortSignal | undefined
}

/**
 * Waits for readiness, then calls: the way tests, adapters and servers call a service.
 * A readiness failure rejects the returned promise.
 *
 * @example
 * ```ts
 * expect(await oneshot(svc, 1)).toBe(2)
 * ```
 */
export function oneshot<Req, Res>(svc: Service<Req, Res>, req: Req, options?: OneshotOptions): Promise<Res> {
  let pending: Ready
  try {
    pending = svc.ready(options?.signal)
    if (pending === undefined) return svc.call(req)
  } catch (error) {
    return Promise.reject(error)
  }
  return Promise.resolve(pending).then(() => svc.call(req))
}

/**
 * `svc.ready(signal)` as a promise, for callers that always want one. Resolves once one call is
 * reserved; rejects if the service failed or `signal` aborted the wait.
 */
export function ready(svc: Service<never, unknown>, signal?: AbortSignal): Promise<void> {
  try {
    const pending = svc.ready(signal)
    return pending === undefined ? Promise.resolve() : Promise.resolve(pending)
  } catch (error) {
    return Promise.reject(error)
  }
}

function isLayered(value: unknown): value is Layered {
  return typeof value === 'object' && value !== null && typeof (value as Layered).layerName === 'string'
}

/**
 * Lists a stack's layers, outermost first, ending with the innermost service.
 *
 * @example
 * ```ts
 * describeStack(new ServiceBuilder().layer(timeout(100)).layer(loadShed()).service(svc))
 * // ['timeout', 'loadShed', 'serviceFn']
 * ```
 */
export function describeStack(svc: unknown): string[] {
  const names: string[] = []
  let current: unknown = svc
  for (let depth = 0; depth < 1_000 && current !== undefined; depth++) {
    if (isLayered(current)) {
      names.push(current.layerName)
      current = current.inner
    } else {
      const name = (current as { constructor?: { name?: string } } | null)?.constructor?.name
      names.push(name && name !== 'Object' ? name : 'service')
      break
    }
  }
  return names
}

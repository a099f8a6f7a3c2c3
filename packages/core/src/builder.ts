import type { Result } from './result'
import type { Layer, Middleware, Service } from './service'
import { serviceFn as makeServiceFn } from './service'
import { andThen } from './util/and-then'
import { filter, filterAsync } from './util/filter'
import { mapErr } from './util/map-err'
import { mapRequest } from './util/map-request'
import { mapResponse } from './util/map-response'
import { mapResult, mapResultAsync } from './util/map-result'

/**
 * A readable compile-time error: a stack whose types do not line up resolves a parameter to
 * this branded message.
 */
export interface StackTypeError<Message extends string> {
  readonly __turretTypeError: Message
}

/** `Current` unless it is still open (`unknown`), then `Next`. */
type Fix<Current, Next> = unknown extends Current ? Next : Current

/** Checks that a layer fits the stack built so far; `unknown` (no constraint) when it does. */
type Fits<InReq, InRes, LReq, LRes> = unknown extends InReq
  ? unknown
  : [InReq] extends [LReq]
    ? unknown extends InRes
      ? unknown
      : [LRes] extends [InRes]
        ? unknown
        : StackTypeError<'this layer returns a response type the layers above it do not accept'>
    : StackTypeError<'this layer takes a request type the layers above it do not send'>

type AnyLayer = (inner: Service<unknown, unknown>) => Service<unknown, unknown>

/**
 * Composes layers in reading order — the first layer added is the outermost and sees the
 * request first — and applies them to a service (tower's `ServiceBuilder`).
 *
 * The type keeps four parameters however many layers are added: the request and response the
 * finished stack takes and returns (`OutReq`, `OutRes`), and those of the service it still
 * needs (`InReq`, `InRes`). `unknown` means "not fixed yet: the same as the service you give".
 *
 * Builders are immutable: every method returns a new builder, so a prefix can be shared.
 *
 * Middleware are added with `.layer(timeout(1_000))`: the builder imports no middleware, so a bundle
 * carries only the middleware its stack uses (tower gates its builder shorthands behind cargo features;
 * a class method cannot be tree-shaken, so turret has none for middleware). The types stay the same:
 * `.layer(retry(retryPolicy()))` infers the policy's request and response from the stack. The
 * shorthands kept (`mapRequest`, `filter`, …) are the combinators that take a function of the stack's
 * types, so the function's parameter is typed from the builder.
 *
 * @example
 * ```ts
 * const svc = new ServiceBuilder()
 *   .layer(timeout(1_000))
 *   .layer(concurrencyLimit(8))
 *   .mapRequest((id: string) => Number(id))
 *   .serviceFn(async (n: number) => n * 2) // Service<string, number>
 * ```
 */
export class ServiceBuilder<OutReq = unknown, OutRes = unknown, InReq = OutReq, InRes = OutRes> {
  readonly #layers: readonly AnyLayer[]

  constructor(layers: readonly AnyLayer[] = []) {
    this.#layers = layers
  }

  /** The layers added so far, outermost first. */
  get layers(): readonly Layer<never, unknown>[] {
    return this.#layers
  }

  /** Adds a layer inside the ones already added. */
  layer(layer: Middleware): ServiceBuilder<OutReq, OutRes, InReq, InRes>
  /** A layer generic in the request only (such as `mapResponse(f)`): it maps responses `A` → `B`. */
  layer<A, B extends InRes>(
    layer: <R>(inner: Service<R, A>) => Service<R, B>,
  ): ServiceBuilder<OutReq, Fix<OutRes, B>, InReq, A>
  /** A layer generic in the response only (such as `mapRequest(f)`): it maps requests `A` → `B`. */
  layer<A, B>(
    layer: (<S>(inner: Service<B, S>) => Service<A, S>) & Fits<InReq, unknown, A, unknown>,
  ): ServiceBuilder<Fix<OutReq, A>, OutRes, B, InRes>
  layer<NReq, NRes, LReq, LRes>(
    layer: Layer<Service<NReq, NRes>, Service<LReq, LRes>> & Fits<InReq, InRes, LReq, LRes>,
  ): ServiceBuilder<Fix<OutReq, LReq>, Fix<OutRes, LRes>, NReq, NRes>
  layer(layer: Layer<never, unknown>): unknown {
    return this.#with(layer as AnyLayer)
  }

  #with(layer: AnyLayer): never {
    return new ServiceBuilder([...this.#layers, layer]) as never
  }

  /** Transforms each request on its way in (see `mapRequest`). */
  mapRequest<B>(f: (req: InReq) => B): ServiceBuilder<OutReq, OutRes, B, InRes>
  mapRequest<A, B>(
    f: ((req: A) => B) & Fits<InReq, unknown, A, unknown>,
  ): ServiceBuilder<Fix<OutReq, A>, OutRes, B, InRes>
  mapRequest(f: (req: never) => unknown): unknown {
    return this.#with(mapRequest(f) as AnyLayer)
  }

  /** Transforms each successful response on its way out (see `mapResponse`). */
  mapResponse<NRes, R extends InRes>(f: (res: NRes) => R): ServiceBuilder<OutReq, Fix<OutRes, R>, InReq, NRes> {
    return this.#with(mapResponse(f) as AnyLayer)
  }

  /** Transforms errors from readiness and calls (see `mapErr`). */
  mapErr(f: (error: unknown) => unknown): ServiceBuilder<OutReq, OutRes, InReq, InRes> {
    return this.#with(mapErr(f) as AnyLayer)
  }

  /** Maps every call's outcome, success or failure, to a response (see `mapResult`). */
  mapResult<NRes, R extends InRes>(
    f: (result: Result<NRes>) => R,
  ): ServiceBuilder<OutReq, Fix<OutRes, R>, InReq, NRes> {
    return this.#with(mapResult(f) as AnyLayer)
  }

  /** Runs an async function on each successful response (see `andThen`). */
  andThen<NRes, R extends InRes>(
    f: (res: NRes) => R | PromiseLike<R>,
  ): ServiceBuilder<OutReq, Fix<OutRes, R>, InReq, NRes> {
    return this.#with(andThen(f) as AnyLayer)
  }

  /** tower's `then`: an async function of every call's outcome (see `mapResultAsync`). */
  mapResultAsync<NRes, R extends InRes>(
    f: (result: Result<NRes>) => R | PromiseLike<R>,
  ): ServiceBuilder<OutReq, Fix<OutRes, R>, InReq, NRes> {
    return this.#with(mapResultAsync(f) as AnyLayer)
  }

  /** Rejects or transforms requests with a synchronous predicate (see `filter`). */
  filter(predicate: (req: InReq) => boolean): ServiceBuilder<OutReq, OutRes, InReq, InRes>
  filter<B>(check: (req: InReq) => B | boolean): ServiceBuilder<OutReq, OutRes, B, InRes>
  filter<A, B>(
    check: ((req: A) => B | boolean) & Fits<InReq, unknown, A, unknown>,
  ): ServiceBuilder<Fix<OutReq, A>, OutRes, B, InRes>
  filter(check: (req: never) => unknown): unknown {
    return this.#with(filter(check) as AnyLayer)
  }

  /** Rejects or transforms requests with an asynchronous predicate (see `filterAsync`). */
  filterAsync(predicate: (req: InReq) => boolean | PromiseLike<boolean>): ServiceBuilder<OutReq, OutRes, InReq, InRes>
  filterAsync<B>(
    check: (req: InReq) => B | boolean | PromiseLike<B | boolean>,
  ): ServiceBuilder<OutReq, OutRes, B, InRes>
  filterAsync<A, B>(
    check: ((req: A) => B | boolean | PromiseLike<B | boolean>) & Fits<InReq, unknown, A, unknown>,
  ): ServiceBuilder<Fix<OutReq, A>, OutRes, B, InRes>
  filterAsync(check: (req: never) => unknown): unknown {
    return this.#with(filterAsync(check) as AnyLayer)
  }

  /** Adds the layer when it is given, nothing when it is `undefined`, `null` or `false`. */
  optionLayer(layer: Middleware | undefined | null | false): ServiceBuilder<OutReq, OutRes, InReq, InRes>
  optionLayer(
    layer: Layer<Service<InReq, InRes>, Service<InReq, InRes>> | undefined | null | false,
  ): ServiceBuilder<OutReq, OutRes, InReq, InRes>
  optionLayer(layer: Layer<never, unknown> | undefined | null | false): unknown {
    return layer ? this.#with(layer as AnyLayer) : this
  }

  /** Wraps `service` in every layer added, first added outermost. */
  service<Req extends InReq, Res extends InRes>(
    service: Service<Req, Res>,
  ): Service<Fix<OutReq, Req>, Fix<OutRes, Res>> {
    let svc = service as Service<unknown, unknown>
    for (let i = this.#layers.length - 1; i >= 0; i--) svc = (this.#layers[i] as AnyLayer)(svc)
    return svc as never
  }

  /** `service(serviceFn(fn))`. */
  serviceFn<Req extends InReq, Res extends InRes>(
    fn: (req: Req) => Res | PromiseLike<Res>,
  ): Service<Fix<OutReq, Req>, Fix<OutRes, Res>> {
    return this.service(makeServiceFn(fn))
  }

  /** The whole builder as one layer (tower's `ServiceBuilder` implements `Layer`). */
  toLayer(): Layer<Service<InReq, InRes>, Service<OutReq, OutRes>> {
    return (inner) => this.service(inner) as never
  }
}

import type { Layer, Service } from '@turret/core'

/** A service from fetch `Request` to fetch `Response`: what every HTTP layer wraps. */
export type HttpService = Service<Request, Response>

/** A layer from an HTTP service to an HTTP service: the shape of every `@turret/http` middleware. */
export type HttpLayer = Layer<HttpService, HttpService>

import type { Layer, Service } from '@turret/core'

/** A service from fetch `Request` to fetch `Response`: what every HTTP layer wraps. */
export type HttpService = Service<Request, Response>

/** A layer from an HTTP service to an HTTP service: the shape of every `@turret/http` middleware. */
export type HttpLayer = Layer<HttpService, HttpService>

/**
 * What a `Request` or `Response` body can be made from (a string, bytes, a `ReadableStream`, a `Blob`,
 * `FormData`, `URLSearchParams`, or `null`): fetch's `BodyInit | null`, spelled through the `Response`
 * constructor so that the types need no DOM lib (`@types/node` alone provides it).
 */
export type BodyInitOrNull = Exclude<ConstructorParameters<typeof Response>[0], undefined>

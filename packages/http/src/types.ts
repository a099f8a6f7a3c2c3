import type { Service } from '@turret/core'

/** A service from fetch `Request` to fetch `Response`: what every HTTP layer wraps. */
export type HttpService = Service<Request, Response>

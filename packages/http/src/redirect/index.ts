/**
 * `redirect`: a service that always answers with a redirect, as tower-http's `Redirect`.
 * @module
 */
import { type Ready, TurretError, type TurretErrorOptions } from '@turret/core'
import type { HttpService } from '../types'

/** `redirect.withStatus` was given a status outside 300–399. */
export class RedirectStatusError extends TurretError {
  override name = 'RedirectStatusError'
  override readonly code = 'ERR_REDIRECT_STATUS'
  constructor(message: string, options?: TurretErrorOptions) {
    super(message, options)
  }
}

/** The service built by {@link redirect}: ignores the request, answers `status` with `Location`. */
export class Redirect implements HttpService {
  readonly layerName = 'redirect'
  constructor(
    readonly status: number,
    readonly location: string,
  ) {}

  ready(): Ready {
    return undefined
  }

  call(_req: Request): Promise<Response> {
    return Promise.resolve(new Response(null, { status: this.status, headers: { location: this.location } }))
  }
}

/**
 * Services that always redirect, whatever the request: `redirect.temporary(uri)` answers `307`,
 * `redirect.permanent(uri)` `308` (method and body are kept by clients), `redirect.withStatus(code, uri)`
 * any 3xx.
 *
 * @example
 * ```ts
 * const old = redirect.permanent('https://new.example/')
 * const fallback = serveDir('./public', { fallback: redirect.temporary('/') })
 * ```
 */
export const redirect = {
  /** `307 Temporary Redirect` to `uri`. */
  temporary(uri: string | URL): Redirect {
    return new Redirect(307, String(uri))
  },
  /** `308 Permanent Redirect` to `uri`. */
  permanent(uri: string | URL): Redirect {
    return new Redirect(308, String(uri))
  },
  /** A redirect with `status` (300–399, else {@link RedirectStatusError}) to `uri`. */
  withStatus(status: number, uri: string | URL): Redirect {
    if (!Number.isInteger(status) || status < 300 || status > 399) {
      throw new RedirectStatusError(`redirect status must be 3xx, got ${status}`)
    }
    return new Redirect(status, String(uri))
  },
}

/**
 * `serveDir` / `serveFile`: static files with tower-http's `ServeDir` / `ServeFile` behaviour —
 * traversal protection, index.html, precompressed siblings, ranges, conditional requests.
 * @module
 */
import { stat } from 'node:fs/promises'
import { basename, extname, join, resolve, sep } from 'node:path'
import { oneshot, type Ready } from '@turret/core'
import { acceptedCodings, type Encoding } from '../compression/encoding'
import { copyExtensions } from '../extensions/index'
import type { HttpService } from '../types'
import { fileResponse, isNotFound, openFile } from './file'
import { contentTypeOf } from './mime'
import { safePathComponents } from './path'

/** Options shared by {@link serveDir} and {@link serveFile}. */
export interface ServeFileOptions {
  /**
   * Precompressed siblings to serve when `Accept-Encoding` allows: `.gz`, `.br`, `.zz` (deflate),
   * `.zst`. Responses then carry `Vary: accept-encoding`. Defaults to `[]`.
   */
  precompressed?: readonly Encoding[] | undefined
  /** Bytes read per body chunk. Defaults to `65536`. */
  chunkSize?: number | undefined
  /** The `Content-Type` (serveFile only; serveDir uses the built-in table). Defaults to the table entry for the file's extension. */
  contentType?: string | undefined
}

/** Options of {@link serveDir}. */
export interface ServeDirOptions extends Omit<ServeFileOptions, 'contentType'> {
  /** Serve `index.html` for a directory path ending in `/` (and redirect without it). Defaults to `true`. */
  appendIndexHtmlOnDirectories?: boolean | undefined
  /** Try `page.html` for `/page` when the path has no extension and does not exist. Defaults to `false`. */
  htmlAsDefaultExtension?: boolean | undefined
  /** Prefix of the `Location` of the trailing-slash redirect (for a mounted directory). Defaults to `''`. */
  redirectPathPrefix?: string | undefined
  /** Called for missing files and invalid paths; its status is kept. Defaults to none (empty `404`). */
  fallback?: HttpService | undefined
  /** Like `fallback`, but the response's status is forced to `404`. Defaults to none. */
  notFoundService?: HttpService | undefined
  /** Call the fallback for methods other than GET/HEAD instead of answering `405`. Defaults to `false`. */
  callFallbackOnMethodNotAllowed?: boolean | undefined
}

const EXT: Record<Encoding, string> = { gzip: '.gz', br: '.br', deflate: '.zz', zstd: '.zst' }
interface Config {
  readonly precompressed: readonly Encoding[]
  readonly chunkSize: number
  readonly appendIndex: boolean
  readonly htmlDefault: boolean
  readonly prefix: string
  readonly fallback: HttpService | undefined
  readonly force404: boolean
  readonly fallbackOn405: boolean
  readonly contentType: string | undefined
}

function config(options: ServeDirOptions & ServeFileOptions): Config {
  return {
    precompressed: options.precompressed ?? [],
    chunkSize: options.chunkSize ?? 65536,
    appendIndex: options.appendIndexHtmlOnDirectories ?? true,
    htmlDefault: options.htmlAsDefaultExtension ?? false,
    prefix: options.redirectPathPrefix ?? '',
    fallback: options.notFoundService ?? options.fallback,
    force404: options.notFoundService !== undefined,
    fallbackOn405: options.callFallbackOnMethodNotAllowed ?? false,
    contentType: options.contentType,
  }
}

/** Carries a fallback service's rejection through the I/O error handler unchanged. */
class FallbackError {
  constructor(readonly cause: unknown) {}
}

/** The service built by {@link serveDir} and {@link serveFile}. */
export class ServeDir implements HttpService {
  readonly layerName: 'serveDir' | 'serveFile'
  constructor(
    /** The directory (serveDir) or the file (serveFile). */
    readonly root: string,
    private readonly config: Config,
    private readonly single: boolean,
  ) {
    this.layerName = single ? 'serveFile' : 'serveDir'
  }

  ready(): Ready {
    return undefined
  }

  async call(req: Request): Promise<Response> {
    try {
      return await this.route(req)
    } catch (error) {
      if (error instanceof FallbackError) throw error.cause
      // An I/O error other than "not found": 500, as tower-http.
      return new Response(null, { status: 500 })
    }
  }

  private async route(req: Request): Promise<Response> {
    const c = this.config
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      if (c.fallbackOn405 && c.fallback !== undefined) return this.notFound(req)
      return new Response(null, { status: 405, headers: { allow: 'GET,HEAD' } })
    }
    if (this.single) return (await this.serve(req, this.root)) ?? this.notFound(req)
    const url = new URL(req.url)
    const parts = safePathComponents(url.pathname)
    if (parts === undefined) return this.notFound(req)
    let path = join(this.root, ...parts)
    if (path !== this.root && !path.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep)) {
      return this.notFound(req)
    }
    const info = await stat(path).catch((error: unknown) => {
      if (isNotFound(error)) return undefined
      throw error
    })
    if (info?.isDirectory()) {
      if (!c.appendIndex) return this.notFound(req)
      if (!url.pathname.endsWith('/')) {
        // A Location starting with `//` would be protocol-relative: an open redirect to another host.
        const location = `${c.prefix}${url.pathname}/${url.search}`.replace(/^\/{2,}/, '/')
        return new Response(null, { status: 307, headers: { location } })
      }
      path = join(path, 'index.html')
    } else if (url.pathname.endsWith('/') && parts.length > 0) {
      return this.notFound(req)
    } else if (info === undefined && c.htmlDefault && extname(path) === '') {
      const html = await this.serve(req, `${path}.html`)
      if (html !== undefined) return html
    }
    return (await this.serve(req, path)) ?? this.notFound(req)
  }

  /** Serves `path` or an acceptable precompressed sibling; `undefined` when none exists. */
  private async serve(req: Request, path: string): Promise<Response | undefined> {
    const c = this.config
    const vary = c.precompressed.length > 0
    const contentType = c.contentType ?? contentTypeOf(basename(path))
    const meta = { contentType, varyAcceptEncoding: vary, chunkSize: c.chunkSize }
    if (vary) {
      for (const coding of acceptedCodings(req.headers.get('accept-encoding'), c.precompressed)) {
        if (coding === 'identity') break
        const file = await openFile(path + EXT[coding])
        if (file !== undefined) return fileResponse(req, file.fh, file.stat, { ...meta, encoding: coding })
      }
    }
    const file = await openFile(path)
    if (file === undefined) return undefined
    return fileResponse(req, file.fh, file.stat, { ...meta, encoding: undefined })
  }

  private async notFound(req: Request): Promise<Response> {
    const fallback = this.config.fallback
    if (fallback === undefined) return new Response(null, { status: 404 })
    let res: Response
    try {
      res = await oneshot(fallback, req)
    } catch (error) {
      throw new FallbackError(error)
    }
    if (!this.config.force404 || res.status === 404) return res
    return copyExtensions(res, new Response(res.body, { status: 404, headers: res.headers }))
  }
}

/**
 * Serves the files under `root` (tower-http's `ServeDir`). Paths are checked before any file
 * system access (`..`, encoded separators, NUL, drive prefixes → 404 or the fallback); a directory
 * without a trailing slash is redirected `307` to add it, with one its `index.html` is served;
 * only GET and HEAD are allowed (`405` with `Allow: GET,HEAD`).
 *
 * @example
 * ```ts
 * const assets = serveDir('./public', { precompressed: ['br', 'gzip'], notFoundService: serveFile('./public/404.html') })
 * ```
 */
export function serveDir(root: string, options: ServeDirOptions = {}): ServeDir {
  return new ServeDir(resolve(root), config(options), false)
}

/**
 * Serves one file whatever the request path (tower-http's `ServeFile`), with the same validators,
 * ranges, HEAD and precompressed siblings as {@link serveDir}; a missing file is `404`.
 *
 * @example
 * ```ts
 * const favicon = serveFile('./public/favicon.ico')
 * ```
 */
export function serveFile(path: string, options: ServeFileOptions = {}): ServeDir {
  return new ServeDir(resolve(path), config(options), true)
}

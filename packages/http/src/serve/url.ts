/** The request URL serve() builds from node:http's request: `Host` checked as an authority, the target as a path. */
import type { IncomingMessage } from 'node:http'
import { domainToUnicode } from 'node:url'
import { IncomingSource } from './request'

const SAFE_HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/
const SAFE_PATH = /^\/[A-Za-z0-9\-_~!$&'()*+,;=:@/?%]*$/
const DOT_SEGMENT = /\/\.\.?(?:\/|\?|#|$)|%2e/i

/** The first `Host` header, read from the raw list so node:http never builds its `headers` object. */
function hostOf(raw: string[]): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string
    if (name.length === 4 && name.toLowerCase() === 'host') return raw[i + 1]
  }
  return undefined
}

const validHosts = new Map<string, string | null>()

/**
 * Whether a hostname has an `xn--` label that is not valid Punycode. Node 24's URL parser keeps such a label
 * as it is (Node 20's and 22's reject it); `domainToUnicode` leaves it undecoded, while a valid one decodes to non-ASCII.
 */
function badPunycode(hostname: string): boolean {
  return hostname.includes('xn--') && /(?:^|\.)xn--/.test(domainToUnicode(hostname))
}

/**
 * A `Host` as the WHATWG URL parser serialises it (lowercased, `:80` dropped), or `null` when it is not a valid
 * authority (RFC 9110 §7.2): only a host and a port of at most 65535, read back as themselves
 * (`example.com/admin?`, `x:99999`, `1.2.3.4.5` and `xn--a` are not).
 */
function normalHost(host: string): string | null {
  let normal = validHosts.get(host)
  if (normal === undefined) {
    normal = null
    const lower = host.toLowerCase()
    if (SAFE_HOST.test(lower)) {
      try {
        const url = new URL(`http://${host}/`)
        const parsed = url.host
        if ((parsed === lower || `${parsed}:80` === lower) && !badPunycode(url.hostname)) normal = parsed
      } catch {}
    }
    if (validHosts.size < 1024) validHosts.set(host, normal)
  }
  return normal
}

/** The request URL, fast for the common case; anything unusual goes through the WHATWG URL parser. */
function requestUrl(nreq: IncomingMessage, fallbackHost: string): string {
  const target = nreq.url ?? '/'
  const given = hostOf(nreq.rawHeaders) ?? fallbackHost
  const host = normalHost(given)
  if (host === null) throw new TypeError(`invalid Host header ${JSON.stringify(given)}`)
  if (SAFE_PATH.test(target) && !DOT_SEGMENT.test(target)) return `http://${host}${target}`
  if (target.charCodeAt(0) === 47 /* / */) return new URL(`http://${host}${target}`).href
  return new URL(target).href // absolute-form (proxies); throws on garbage
}

/** The request's source for the lightweight `Request`: its method, checked URL and whether it has a body. */
export function sourceOf(nreq: IncomingMessage, fallbackHost: string): IncomingSource {
  const url = requestUrl(nreq, fallbackHost)
  const method = nreq.method ?? 'GET'
  let hasBody = false
  if (method !== 'GET' && method !== 'HEAD') {
    const length = nreq.headers['content-length']
    hasBody = nreq.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  }
  return new IncomingSource(nreq, method, url, hasBody ? undefined : null)
}

/** The same-origin rule of `followRedirect` (not exported by the package). */

function defaultPort(u: URL): string {
  return u.port !== '' ? u.port : u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : ''
}

/** Same scheme (http/https only), host and effective port; user info is ignored. */
export function sameOrigin(a: URL, b: URL): boolean {
  const web = (u: URL) => u.protocol === 'http:' || u.protocol === 'https:'
  return web(a) && web(b) && a.protocol === b.protocol && a.hostname === b.hostname && defaultPort(a) === defaultPort(b)
}

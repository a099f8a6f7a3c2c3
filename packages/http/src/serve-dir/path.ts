/** The URL path check of `serveDir` (not exported by the package). */

const WIN_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i

/**
 * Validates a raw (percent-encoded) URL path and returns its components, or `undefined` when it is
 * unsafe: `..`, invalid percent-encoding or UTF-8, NUL or control characters, backslashes, drive
 * prefixes (`C:`), and on Windows reserved device names and `:` anywhere.
 */
export function safePathComponents(pathname: string): string[] | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  const out: string[] = []
  for (const seg of decoded.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..' || seg.includes('\\')) return undefined
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(seg) || /^[a-zA-Z]:/.test(seg)) return undefined
    if (process.platform === 'win32' && (seg.includes(':') || WIN_RESERVED.test(seg) || /[<>"|?*]/.test(seg))) {
      return undefined
    }
    out.push(seg)
  }
  return out
}

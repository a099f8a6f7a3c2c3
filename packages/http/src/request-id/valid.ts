/** The rule `setRequestId` accepts an incoming request id by (not exported by the package). */

/** Whether `id` is acceptable as an incoming request id: at most `maxLength` characters, no control characters. */
export function isValidRequestId(id: string, maxLength = 256): boolean {
  if (id.length === 0 || id.length > maxLength) return false
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return false
  }
  return true
}

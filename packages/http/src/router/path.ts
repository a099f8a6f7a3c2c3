/**
 * Route patterns: parsing (`/users/:id/files/*rest`), the parameter types read from a pattern string,
 * the router's errors, and percent-decoding of captured values.
 * @module
 */
import { TurretError, type TurretErrorOptions } from '@turret/core'

/** A route pattern is malformed: not starting with `/`, an empty or invalid parameter name, a wildcard that is not last. */
export class InvalidRouteError extends TurretError {
  override name = 'InvalidRouteError'
  override readonly code = 'ERR_INVALID_ROUTE'
  /** The pattern that was refused. */
  readonly path: string
  constructor(path: string, reason: string, options?: TurretErrorOptions) {
    super(`invalid route ${JSON.stringify(path)}: ${reason}`, options)
    this.path = path
  }
}

/**
 * Two routes cannot live in one router: the same path and method twice, the same path shape with other
 * parameter names (`/users/:id` and `/users/:userId/posts`), or two fallbacks. Thrown when the router is built.
 */
export class RouteConflictError extends TurretError {
  override name = 'RouteConflictError'
  override readonly code = 'ERR_ROUTE_CONFLICT'
  /** The route being added. */
  readonly path: string
  /** The route already there that it conflicts with. */
  readonly existing: string
  constructor(path: string, existing: string, reason: string, options?: TurretErrorOptions) {
    super(`route ${JSON.stringify(path)} conflicts with ${JSON.stringify(existing)}: ${reason}`, options)
    this.path = path
    this.existing = existing
  }
}

type ParamOf<S extends string> = S extends `:${infer Name}` ? Name : S extends `*${infer Name}` ? Name : never
type ParamNames<P extends string> = P extends `${infer Head}/${infer Tail}`
  ? ParamOf<Head> | ParamNames<Tail>
  : ParamOf<P>

/**
 * The parameters of a route pattern, read from its string: `PathParams<'/users/:id/files/*rest'>` is
 * `{ readonly id: string; readonly rest: string }`. A pattern typed only as `string` gives a record of
 * optional strings.
 */
export type PathParams<P extends string> = string extends P
  ? Readonly<Record<string, string | undefined>>
  : { readonly [K in ParamNames<P>]: string }

/** One piece of a parsed pattern: a run of static text, a `:param` segment, or a final `*wildcard`. */
export type Token =
  | { readonly kind: 'static'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'wildcard'; readonly name: string }

const NAME = /^[A-Za-z_$][\w$]*$/

/**
 * Static segments of a pattern are matched against the request's encoded path (the form `req.url` has), so
 * characters the URL parser percent-encodes (spaces, non-ASCII) are encoded here the same way, once.
 */
function encodeStatic(segment: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the URL parser encodes C0 controls too
  if (!/[\u0000-\u0020"<>`{}^|\\\u007f-\uffff#?]/.test(segment)) return segment
  return new URL(`http://x/${segment.replaceAll('?', '%3F').replaceAll('#', '%23')}`).pathname.slice(1)
}

/** Splits a pattern into tokens (static runs keep their slashes); throws {@link InvalidRouteError}. */
export function parsePattern(path: string): Token[] {
  if (typeof path !== 'string' || path.charCodeAt(0) !== 47)
    throw new InvalidRouteError(String(path), 'must start with "/"')
  const segments = path.slice(1).split('/')
  const tokens: Token[] = []
  let text = '/'
  const seen = new Set<string>()
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string
    const first = segment.charCodeAt(0)
    if (first === 58 || first === 42) {
      const name = segment.slice(1)
      const kind = first === 58 ? 'param' : 'wildcard'
      if (!NAME.test(name))
        throw new InvalidRouteError(
          path,
          `${JSON.stringify(segment)}: a parameter is a whole segment named like an identifier (":id", "*rest")`,
        )
      if (seen.has(name)) throw new InvalidRouteError(path, `parameter "${name}" appears twice`)
      if (kind === 'wildcard' && i !== segments.length - 1)
        throw new InvalidRouteError(path, `the wildcard "${segment}" must be the last segment`)
      seen.add(name)
      if (text !== '') tokens.push({ kind: 'static', text })
      tokens.push({ kind, name })
      text = i === segments.length - 1 ? '' : '/'
    } else {
      text += encodeStatic(segment) + (i === segments.length - 1 ? '' : '/')
    }
  }
  if (text !== '') tokens.push({ kind: 'static', text })
  return tokens
}

/** The parameter names of a parsed pattern, in order. */
export function paramNames(tokens: readonly Token[]): string[] {
  const names: string[] = []
  for (const t of tokens) if (t.kind !== 'static') names.push(t.name)
  return names
}

/** The pattern's shape per segment, with parameters as `:` and wildcards as `*` (for conflict checks). */
export function shapeOf(path: string): string[] {
  return path
    .slice(1)
    .split('/')
    .map((s) => (s.charCodeAt(0) === 58 ? ':' : s.charCodeAt(0) === 42 ? '*' : encodeStatic(s)))
}

const fatal = new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()

function hex(code: number): number {
  if (code >= 48 && code <= 57) return code - 48
  const lower = code | 32
  return lower >= 97 && lower <= 102 ? lower - 87 : -1
}

/**
 * Percent-decodes one captured value as axum does: `%XX` pairs become bytes (`%2F` becomes `/` inside the
 * value, never a separator), a `%` not followed by two hex digits stays as it is, and the bytes must be
 * UTF-8. Returns `undefined` when they are not (the router answers 400).
 */
export function decodeValue(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw)
  } catch {
    // Malformed escapes: decode the valid pairs only, then insist on UTF-8.
  }
  const bytes: number[] = []
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c === 37 && i + 2 < raw.length && hex(raw.charCodeAt(i + 1)) >= 0 && hex(raw.charCodeAt(i + 2)) >= 0) {
      bytes.push(hex(raw.charCodeAt(i + 1)) * 16 + hex(raw.charCodeAt(i + 2)))
      i += 2
    } else if (c < 0x80) {
      bytes.push(c)
    } else {
      const point = raw.codePointAt(i) as number
      for (const b of encoder.encode(String.fromCodePoint(point))) bytes.push(b)
      if (point > 0xffff) i++
    }
  }
  try {
    return fatal.decode(new Uint8Array(bytes))
  } catch {
    return undefined
  }
}

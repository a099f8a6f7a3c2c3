/**
 * The router's matcher: a radix tree over the encoded path, built once. Static routes are found by one map
 * lookup; others by walking the tree with `startsWith` comparisons (static edges first, then a `:param`
 * segment, then a `*wildcard`, backtracking when a branch fails). No regular expression runs and, on a static
 * hit, nothing is allocated; parameters are captured as offsets and sliced only for a match.
 * @module
 */
import { decodeValue, paramNames, parsePattern, RouteConflictError, shapeOf, type Token } from './path'

/** A route in the matcher: its value, its pattern and the names of its parameters (in order). */
export interface Leaf<T> {
  /** What was inserted. */
  readonly value: T
  /** The pattern, as inserted. */
  readonly path: string
  /** Parameter names in pattern order. */
  readonly names: readonly string[]
  /** One frozen empty object shared by every leaf without parameters: a leaf is its own {@link RouteMatch} when it has no parameters. */
  readonly params: Readonly<Record<string, string>>
}

/** The result of {@link RouteMatcher.match}: the route's value and its decoded parameters. */
export interface RouteMatch<T> {
  /** What was inserted for the route. */
  readonly value: T
  /** Decoded parameters (a shared frozen empty object for routes without any). */
  readonly params: Readonly<Record<string, string>>
}

/** The parameters of a route that has none: one shared frozen object. */
export const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({})

class Node<T> {
  /** First char codes of the static children, in step with `children`. */
  firsts: number[] = []
  children: Node<T>[] = []
  /** Where a `:param` segment at this position leads. */
  param: Node<T> | undefined = undefined
  /** A route whose `*wildcard` starts here. */
  wildcard: Leaf<T> | undefined = undefined
  /** A route that ends exactly here. */
  leaf: Leaf<T> | undefined = undefined
  constructor(public prefix: string) {}
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  let i = 0
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++
  return i
}

/** Inserts static text below `node`, splitting edges as a radix tree does; returns the node it ends at. */
function insertStatic<T>(node: Node<T>, text: string): Node<T> {
  let current = node
  let rest = text
  while (rest.length > 0) {
    const index = current.firsts.indexOf(rest.charCodeAt(0))
    if (index < 0) {
      const child = new Node<T>(rest)
      current.firsts.push(rest.charCodeAt(0))
      current.children.push(child)
      return child
    }
    let child = current.children[index] as Node<T>
    const shared = commonPrefix(child.prefix, rest)
    if (shared < child.prefix.length) {
      // Split the edge: a new node for the shared part, the old child below it.
      const split = new Node<T>(child.prefix.slice(0, shared))
      child.prefix = child.prefix.slice(shared)
      split.firsts.push(child.prefix.charCodeAt(0))
      split.children.push(child)
      current.children[index] = split
      child = split
    }
    current = child
    rest = rest.slice(shared)
  }
  return current
}

/**
 * Why two patterns cannot both be routes, or `undefined` when they can. The same shape with the same names
 * is `'duplicate'`; a parameter (or wildcard) at the same position under another name is a conflict.
 */
export function conflictBetween(a: string, b: string): 'duplicate' | string | undefined {
  const sa = shapeOf(a)
  const sb = shapeOf(b)
  const ra = a.slice(1).split('/')
  const rb = b.slice(1).split('/')
  const n = Math.min(sa.length, sb.length)
  for (let i = 0; i < n; i++) {
    if (sa[i] !== sb[i]) return undefined
    if (sa[i] === ':' || sa[i] === '*') {
      const x = ra[i] as string
      const y = rb[i] as string
      if (x !== y)
        return `"${x}" and "${y}" are parameters at the same position (segment ${i + 1}) under different names; use one name`
    }
  }
  return sa.length === sb.length ? 'duplicate' : undefined
}

/**
 * A radix-tree path matcher, the core of `router()`. Patterns are `/static`, `/:param` (one whole, non-empty
 * segment) and a final `/*wildcard` (the non-empty rest of the path). Priority: static, then parameter, then
 * wildcard, with backtracking. Matching is case-sensitive, on the encoded path, and `/a` differs from `/a/`.
 *
 * @example
 * ```ts
 * const m = new RouteMatcher<string>()
 * m.insert('/users/:id', 'user')
 * m.match('/users/42') // { value: 'user', params: { id: '42' } }
 * ```
 */
export class RouteMatcher<T> {
  readonly #root = new Node<T>('/')
  readonly #statics = new Map<string, Leaf<T>>()
  readonly #leaves: Leaf<T>[] = []
  #caps = new Int32Array(8)

  /** Adds a route; throws `InvalidRouteError` for a malformed pattern and `RouteConflictError` for a clash. */
  insert(path: string, value: T): Leaf<T> {
    const tokens = parsePattern(path)
    for (const other of this.#leaves) {
      const reason = conflictBetween(path, other.path)
      if (reason !== undefined)
        throw new RouteConflictError(path, other.path, reason === 'duplicate' ? 'the same route twice' : reason)
    }
    const leaf: Leaf<T> = Object.freeze({ value, path, names: paramNames(tokens), params: NO_PARAMS })
    this.#leaves.push(leaf)
    if (this.#caps.length < leaf.names.length * 2) this.#caps = new Int32Array(leaf.names.length * 2)
    this.#place(tokens, leaf)
    if (leaf.names.length === 0) {
      const text = (tokens[0] as Extract<Token, { kind: 'static' }>).text
      this.#statics.set(text, leaf)
    }
    return leaf
  }

  #place(tokens: readonly Token[], leaf: Leaf<T>): void {
    let node = this.#root
    for (const token of tokens) {
      if (token.kind === 'static') {
        // The root's own prefix is "/": every pattern starts with it.
        node = node === this.#root ? insertStatic(node, token.text.slice(1)) : insertStatic(node, token.text)
      } else if (token.kind === 'param') {
        node.param ??= new Node<T>('')
        node = node.param
      } else {
        node.wildcard = leaf
        return
      }
    }
    node.leaf = leaf
  }

  /**
   * The route matching `path` (an encoded path without query), or `undefined`. Its parameters' offsets are
   * kept until the next call; read them with {@link RouteMatcher.params}.
   */
  find(path: string): Leaf<T> | undefined {
    const hit = this.#statics.get(path)
    if (hit !== undefined) return hit
    if (path.charCodeAt(0) !== 47) return undefined
    return this.#walk(this.#root, path, 1, 0)
  }

  #walk(node: Node<T>, path: string, pos: number, n: number): Leaf<T> | undefined {
    const length = path.length
    if (pos === length) return node.leaf
    const c = path.charCodeAt(pos)
    const firsts = node.firsts
    for (let i = 0; i < firsts.length; i++) {
      if (firsts[i] !== c) continue
      const child = node.children[i] as Node<T>
      if (path.startsWith(child.prefix, pos)) {
        const found = this.#walk(child, path, pos + child.prefix.length, n)
        if (found !== undefined) return found
      }
      break
    }
    const param = node.param
    if (param !== undefined && c !== 47) {
      let end = path.indexOf('/', pos)
      if (end < 0) end = length
      const found = this.#walk(param, path, end, n + 1)
      if (found !== undefined) {
        this.#caps[n * 2] = pos
        this.#caps[n * 2 + 1] = end
        return found
      }
    }
    const wildcard = node.wildcard
    if (wildcard !== undefined) {
      this.#caps[n * 2] = pos
      this.#caps[n * 2 + 1] = length
      return wildcard
    }
    return undefined
  }

  /**
   * The decoded parameters of the last {@link RouteMatcher.find} on `path` that returned `leaf`, or `undefined`
   * when a value is not valid percent-encoded UTF-8.
   */
  params(path: string, leaf: Leaf<T>): Record<string, string> | undefined {
    const names = leaf.names
    const caps = this.#caps
    const params: Record<string, string> = {}
    for (let i = 0; i < names.length; i++) {
      const raw = path.slice(caps[i * 2], caps[i * 2 + 1])
      const value = raw.indexOf('%') < 0 ? raw : decodeValue(raw)
      if (value === undefined) return undefined
      params[names[i] as string] = value
    }
    return params
  }

  /** {@link RouteMatcher.find} and {@link RouteMatcher.params} in one call; `undefined` also for a bad encoding. */
  match(path: string): RouteMatch<T> | undefined {
    const hit = this.#statics.get(path)
    if (hit !== undefined) return hit
    if (path.charCodeAt(0) !== 47) return undefined
    const leaf = this.#walk(this.#root, path, 1, 0)
    if (leaf === undefined) return undefined
    const params = this.params(path, leaf)
    return params === undefined ? undefined : { value: leaf.value, params }
  }

  /** Every route inserted, in order. */
  get routes(): readonly Leaf<T>[] {
    return this.#leaves
  }
}

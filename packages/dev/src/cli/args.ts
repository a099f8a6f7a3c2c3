/** A flag a command accepts. */
export interface FlagSpec {
  /** `string` flags take a value (`--port 9000` or `--port=9000`); `boolean` flags take none. */
  readonly type: 'string' | 'boolean'
  /** A one-letter alias (`-e`). */
  readonly short?: string
}

/** Parsed arguments: positionals, flag values, and what follows `--`. */
export interface ParsedArgs {
  readonly positionals: string[]
  readonly flags: Record<string, string | boolean>
  readonly rest: string[]
}

/**
 * A usage or input mistake: the CLI prints it as one line, `turret <command>: <message> (<path>)`, and exits
 * with code 2.
 */
export class UsageError extends Error {
  override name = 'UsageError'
  /** The file or address the mistake is about, printed in parentheses after the message. */
  readonly path: string | undefined
  constructor(message: string, path?: string) {
    super(message)
    this.path = path
  }
}

/** Parses `argv` against `spec` (plain `process.argv` parsing: no dependency). Throws {@link UsageError}. */
export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>): ParsedArgs {
  const positionals: string[] = []
  const flags: Record<string, string | boolean> = {}
  const byShort = new Map(Object.entries(spec).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])))
  let rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') {
      rest = argv.slice(i + 1)
      break
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg)
      continue
    }
    let name: string
    let inline: string | undefined
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2)
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined
    } else {
      const long = byShort.get(arg.slice(1))
      if (!long) throw new UsageError(`unknown flag ${arg}`)
      name = long
    }
    const flag = spec[name]
    if (!flag) throw new UsageError(`unknown flag --${name}`)
    if (flag.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`)
      flags[name] = true
      continue
    }
    const value = inline ?? argv[++i]
    if (value === undefined) throw new UsageError(`--${name} needs a value`)
    flags[name] = value
  }
  return { positionals, flags, rest }
}

/** Reads a flag as a non-negative integer. */
export function intFlag(flags: ParsedArgs['flags'], name: string): number | undefined {
  const value = flags[name]
  if (value === undefined) return undefined
  const n = Number(value)
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 0)
    throw new UsageError(`--${name} must be a whole number`)
  return n
}

/** Reads a string flag. */
export function stringFlag(flags: ParsedArgs['flags'], name: string): string | undefined {
  const value = flags[name]
  return typeof value === 'string' ? value : undefined
}

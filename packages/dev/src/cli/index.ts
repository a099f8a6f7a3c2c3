/**
 * The `turret` command: `invoke`, `dev`, `emulate`. `main(argv)` runs it and resolves with the exit code.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { dev } from '../dev-server/index'
import { startEmulator } from '../emulator/index'
import { DEV_EVENT_SOURCES, type DevEventSource, EVENT_SOURCE_ALIASES } from '../internal/events'
import { fromSource } from '../internal/paths'
import { invoke } from '../invoke/index'
import { type FlagSpec, intFlag, parseArgs, stringFlag, UsageError } from './args'

const VERSION = '0.1.0'

const HELP = `turret ${VERSION} — run Lambda handlers locally

Usage:
  turret invoke <module> [--event file|-] [--export name] [--timeout ms]
  turret dev <module> [--port 9000] [--event-source apigw-v2|apigw-v1|alb|function-url]
  turret emulate [--port 9001] [-- <runtime command>]

Commands:
  invoke    run a handler once on an event and print the result as JSON
  dev       serve an HTTP handler on localhost through the Lambda emulator
  emulate   start the Lambda emulator (Runtime API + Invoke API) for any runtime

Run 'turret <command> --help' for the options of a command.
`

const COMMANDS: Record<string, { help: string; flags: Record<string, FlagSpec> }> = {
  invoke: {
    help: `Usage: turret invoke <module> [options]

Loads <module> (ESM or CJS, TypeScript through tsx), calls its handler once with a
realistic Lambda context, prints the result as JSON, or the error document
({ errorType, errorMessage, trace }) with exit code 1.

Options:
  -e, --event <file|->   the event JSON: a file, or - for stdin (default: {})
  -x, --export <name>    the handler export, a.b for nested (default: handler)
  -t, --timeout <ms>     the function timeout (default: 3000)
      --function <name>  the function name (default: the module's file name)
  -h, --help             show this help
`,
    flags: {
      event: { type: 'string', short: 'e' },
      export: { type: 'string', short: 'x' },
      timeout: { type: 'string', short: 't' },
      function: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  },
  dev: {
    help: `Usage: turret dev <module> [options]

Serves the HTTP handler exported by <module> on localhost: each request becomes an
API Gateway / ALB / Function URL event, runs in the Lambda emulator through the
function's own runtime process, and its result is sent back as HTTP. One log line
per request; the function restarts when a file next to the module changes.

Options:
  -p, --port <port>          the port (default: 9000)
      --host <address>       the address (default: 127.0.0.1)
  -s, --event-source <kind>  apigw-v2 (HTTP API, default), apigw-v1 (REST API), alb, function-url
                             (short aliases: v2, v1, url)
  -x, --export <name>        the handler export (default: handler)
  -t, --timeout <ms>         the function timeout (default: 30000)
      --no-watch             do not reload on file changes
  -h, --help                 show this help
`,
    flags: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'event-source': { type: 'string', short: 's' },
      export: { type: 'string', short: 'x' },
      timeout: { type: 'string', short: 't' },
      'no-watch': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  },
  emulate: {
    help: `Usage: turret emulate [options] [-- <runtime command>]

Starts the Lambda emulator: the Runtime API for a runtime (turret's run(),
aws-lambda-ric, any custom runtime) and the Invoke API for the AWS SDK and CLI
(endpoint http://<host>:<port>). Prints the AWS_LAMBDA_RUNTIME_API value to use.
With a command after --, runs it as the runtime (restarted after a timeout or crash).

Options:
  -p, --port <port>        the port (default: 9001)
      --host <address>     the address (default: 127.0.0.1)
      --function <name>    the function name (default: function)
  -t, --timeout <ms>       the function timeout (default: 3000)
      --memory <mb>        the memory size (default: 128)
  -h, --help               show this help
`,
    flags: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      function: { type: 'string' },
      timeout: { type: 'string', short: 't' },
      memory: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  },
}

/** Where the CLI writes. */
export interface CliIo {
  /** Standard output. */
  readonly out: (text: string) => void
  /** Standard error. */
  readonly err: (text: string) => void
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}

/** Registers tsx (ESM and CJS hooks) so handler modules may be TypeScript; a no-op when already running under tsx. */
async function registerTypeScript(): Promise<void> {
  if (fromSource()) return
  const esm = await import('tsx/esm/api')
  esm.register()
  const cjs = await import('tsx/cjs/api')
  cjs.register()
}

/** An error's message on one line, at most 160 characters. */
function oneLine(error: unknown): string {
  const text = String((error as Error)?.message ?? error).replace(/\s*\n\s*/g, ' ')
  return text.length > 160 ? `${text.slice(0, 157)}...` : text
}

function readEvent(spec: string | undefined, io: CliIo): unknown {
  if (spec === undefined) {
    io.err('turret invoke: no --event given, the handler gets {} as its event\n')
    return {}
  }
  const label = spec === '-' ? 'stdin' : spec
  let text: string
  try {
    text = readFileSync(spec === '-' ? 0 : spec, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new UsageError('event file not found', spec)
    if (code === 'EISDIR') throw new UsageError('the event file is a directory', spec)
    throw new UsageError(`cannot read the event file: ${code ?? oneLine(error)}`, label)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(`the event is not JSON: ${oneLine(error)}`, label)
  }
}

function requireModule(positionals: string[]): string {
  const module = positionals[0]
  if (!module) throw new UsageError('missing <module>')
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}`)
  if (!existsSync(module)) throw new UsageError('module not found', module)
  return module
}

/** The usage or input mistake an error is (a busy port, a bad address), or undefined for anything else. */
function asUsageError(error: unknown): UsageError | undefined {
  if (error instanceof UsageError) return error
  const { code, syscall, address, port } = (error ?? {}) as NodeJS.ErrnoException & { address?: string; port?: number }
  const where = address !== undefined && port !== undefined ? `${address}:${port}` : address
  if (syscall === 'listen' || code === 'EADDRINUSE') {
    if (code === 'EADDRINUSE') return new UsageError('the port is already in use', where)
    if (code === 'EACCES') return new UsageError('no permission to listen on the port', where)
    if (code === 'EADDRNOTAVAIL') return new UsageError('the address is not available here', where)
  }
  if (code === 'ENOTFOUND' && syscall === 'getaddrinfo') return new UsageError('unknown host', where)
  return undefined
}

/** Resolves when SIGINT or SIGTERM arrives. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

async function runInvoke(args: ReturnType<typeof parseArgs>, io: CliIo): Promise<number> {
  const module = requireModule(args.positionals)
  const options = {
    exportName: stringFlag(args.flags, 'export'),
    timeoutMs: intFlag(args.flags, 'timeout'),
    functionName: stringFlag(args.flags, 'function'),
  }
  const event = readEvent(stringFlag(args.flags, 'event'), io)
  await registerTypeScript()
  // The handler's logs go to stderr, so stdout carries only the JSON result.
  const saved = { log: console.log, info: console.info, debug: console.debug }
  console.log = console.info = console.debug = (...values: unknown[]) => console.error(...values)
  try {
    const out = await invoke(module, event, options)
    if (out.ok) {
      io.out(`${JSON.stringify(out.result === undefined ? null : out.result, null, 2)}\n`)
      return 0
    }
    io.out(`${JSON.stringify(out.error, null, 2)}\n`)
    io.err(`${out.error.errorType}: ${out.error.errorMessage}\n`)
    return 1
  } finally {
    Object.assign(console, saved)
  }
}

async function runDev(args: ReturnType<typeof parseArgs>, io: CliIo): Promise<number> {
  const module = requireModule(args.positionals)
  const given = stringFlag(args.flags, 'event-source') ?? 'apigw-v2'
  const source = Object.hasOwn(EVENT_SOURCE_ALIASES, given) ? EVENT_SOURCE_ALIASES[given] : given
  if (!DEV_EVENT_SOURCES.includes(source as DevEventSource))
    throw new UsageError(
      `--event-source must be one of ${DEV_EVENT_SOURCES.join(', ')} (or ${Object.keys(EVENT_SOURCE_ALIASES).join(', ')})`,
    )
  const server = await dev(module, {
    port: intFlag(args.flags, 'port') ?? 9000,
    host: stringFlag(args.flags, 'host'),
    eventSource: source as DevEventSource,
    exportName: stringFlag(args.flags, 'export'),
    timeoutMs: intFlag(args.flags, 'timeout'),
    watch: !args.flags['no-watch'],
    log: (line) => io.err(`${line}\n`),
  })
  io.out(`turret dev: serving ${module} on ${server.url} (event source ${source})\n`)
  await untilSignal()
  await server.close()
  return 0
}

async function runEmulate(args: ReturnType<typeof parseArgs>, io: CliIo): Promise<number> {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`)
  const emulator = await startEmulator({
    port: intFlag(args.flags, 'port') ?? 9001,
    host: stringFlag(args.flags, 'host'),
    functionName: stringFlag(args.flags, 'function'),
    timeoutMs: intFlag(args.flags, 'timeout'),
    memory: intFlag(args.flags, 'memory'),
    command: args.rest.length > 0 ? args.rest : undefined,
  })
  io.out(`AWS_LAMBDA_RUNTIME_API=${emulator.runtimeApi}\n`)
  io.err(
    `turret emulate: function '${emulator.functionName}'; Runtime API on ${emulator.runtimeApi}; ` +
      `Invoke API endpoint ${emulator.url}\n`,
  )
  await untilSignal()
  await emulator.close()
  return 0
}

/**
 * Runs the `turret` command with `argv` (without `node` and the script) and resolves with the exit
 * code: 0 on success, 1 when the function failed, 2 on a usage error.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2))
 * ```
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined) {
    // No command is a usage mistake: the help goes to stderr and the exit code is 2.
    io.err(HELP)
    return 2
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined
    io.out(topic && COMMANDS[topic] ? COMMANDS[topic].help : HELP)
    return 0
  }
  if (command === '--version' || command === '-v') {
    io.out(`${VERSION}\n`)
    return 0
  }
  const spec = COMMANDS[command]
  if (!spec) {
    io.err(
      `turret ${command}: unknown command; the commands are ${Object.keys(COMMANDS).join(', ')} (see turret --help)\n`,
    )
    return 2
  }
  try {
    const args = parseArgs(rest, spec.flags)
    if (args.flags.help) {
      io.out(spec.help)
      return 0
    }
    if (command === 'invoke') return await runInvoke(args, io)
    if (command === 'dev') return await runDev(args, io)
    return await runEmulate(args, io)
  } catch (error) {
    const usage = asUsageError(error)
    if (usage === undefined) throw error
    io.err(`turret ${command}: ${usage.message}${usage.path === undefined ? '' : ` (${usage.path})`}\n`)
    return 2
  }
}

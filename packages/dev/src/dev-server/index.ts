/**
 * `turret dev`: serves an HTTP Lambda function locally. Each real HTTP request becomes an API
 * Gateway (v2 or v1), ALB or Function URL event, runs through the emulator and the function's own
 * runtime process, and its result goes back as HTTP.
 * @module
 */
import { type FSWatcher, watch } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { basename, dirname, extname, resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { type Clock, systemClock, type TimerHandle } from '@turret/core'
import { BodyTooLarge, HTTP_INTEGRATION_CONTENT_TYPE, readBody } from '@turret/lambda/internal'
import { type DecodedHttpResult, decodeHttpResult, decodeStreamedHttpResult } from '@turret/lambda/testing'
import { type Emulator, MAX_SYNC_PAYLOAD, startEmulator } from '../emulator/index'
import { DEV_EVENT_SOURCES, type DevEventSource, failureAnswer, requestToEvent } from '../internal/events'
import { bootstrapCommand } from '../internal/paths'

export type { DevEventSource } from '../internal/events'

/** An answer's header lines as `writeHead` takes them (repeated names as arrays). */
function headerRecord(lines: DecodedHttpResult['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of lines) {
    const existing = out[name]
    out[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return out
}

/** Options of {@link dev}. */
export interface DevOptions {
  /** The port to serve on. Defaults to `9000`. */
  readonly port?: number | undefined
  /** The address to serve on. Defaults to `'127.0.0.1'`. */
  readonly host?: string | undefined
  /**
   * The event each request becomes: API Gateway HTTP API `'apigw-v2'`, REST `'apigw-v1'`, `'alb'` or Function URL
   * `'function-url'` (lambda's `HttpEventSource` names). Defaults to `'apigw-v2'`.
   */
  readonly eventSource?: DevEventSource | undefined
  /** The handler's export name (`a.b` for nested). Defaults to `'handler'`. */
  readonly exportName?: string | undefined
  /** The function timeout in milliseconds. Defaults to `30000` (API Gateway's integration limit). */
  readonly timeoutMs?: number | undefined
  /** The function's memory size in MB. Defaults to `128`. */
  readonly memory?: number | undefined
  /** The function name. Defaults to the module's file name without extension. */
  readonly functionName?: string | undefined
  /** Extra environment variables for the function. Defaults to none. */
  readonly env?: Readonly<Record<string, string>> | undefined
  /** Restart the function's runtime when a file next to the module changes. Defaults to `true`. */
  readonly watch?: boolean | undefined
  /** Receives one line per request (`GET /path 200 12ms`) and reload notices. Defaults to `console.log`. */
  readonly log?: ((line: string) => void) | undefined
  /** Receives the function's output. Defaults to this process's stdout/stderr. */
  readonly onOutput?: ((text: string, stream: 'stdout' | 'stderr') => void) | undefined
  /** The clock of the function timeout, the request timings in the log and the reload debounce. Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
  /** The runtime command. Defaults to turret's bootstrap running the module (`node --import tsx bootstrap <module> <export>`). */
  readonly command?: readonly string[] | undefined
}

/** A running dev server. */
export interface DevServer {
  /** The server's URL, e.g. `http://127.0.0.1:9000`. */
  readonly url: string
  /** The port it listens on. */
  readonly port: number
  /** The emulator the function runs in (its Invoke API works too). */
  readonly emulator: Emulator
  /** Restarts the function's runtime (what a file change does). */
  reload(): Promise<void>
  /** Stops the server, the watcher and the function. */
  close(): Promise<void>
}

/** A request that cannot become an event (a malformed percent-encoded path): answered `400`. */
class BadRequest extends Error {}

const WATCHED = new Set(['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '.json'])

/**
 * A streamed response being written: `finished` resolves with its status, or `undefined` if no
 * usable prelude came (missing, or one Node cannot write as an HTTP head: then `invalid` says why).
 */
interface StreamedAnswer {
  readonly finished: Promise<number | undefined>
  readonly invalid: () => string | undefined
}

/**
 * Writes a response head, or returns why it cannot be written (a status outside 100–999, a header
 * value with CR/LF, a bad header name) without writing anything. API Gateway answers such a
 * function response with an error status, so `turret dev` does too.
 */
function writeHead(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[] | number>,
): string | undefined {
  try {
    res.writeHead(status, headers)
    return undefined
  } catch (error) {
    for (const name of res.getHeaderNames()) res.removeHeader(name)
    return error instanceof Error ? error.message : String(error)
  }
}

/**
 * Writes a streamed function response to the client as it arrives: an HTTP integration stream's prelude
 * (status, headers, cookies) becomes the response head, the rest the body; any other stream is a 200 body.
 * The response is ended by the caller once the invocation's outcome (trailers) is known.
 */
function streamAnswer(
  res: ServerResponse,
  body: Readable,
  contentType: string | undefined,
  head: boolean,
): StreamedAnswer {
  let status: number | undefined
  let invalid: string | undefined
  let pending: Buffer | undefined = Buffer.alloc(0)
  const write = (chunk: Buffer) => {
    if (head || chunk.length === 0 || invalid !== undefined) return
    if (!res.write(chunk)) {
      body.pause()
      res.once('drain', () => body.resume())
    }
  }
  if (contentType !== HTTP_INTEGRATION_CONTENT_TYPE) {
    status = 200
    pending = undefined
    res.writeHead(200, { 'content-type': contentType ?? 'application/octet-stream' })
  }
  body.on('data', (chunk: Buffer) => {
    if (pending === undefined) return write(chunk)
    pending = Buffer.concat([pending, chunk])
    const separator = pending.indexOf(Buffer.alloc(8))
    if (separator < 0) return
    const answer = decodeStreamedHttpResult(pending.subarray(0, separator + 8))
    const rest = pending.subarray(separator + 8)
    pending = undefined
    if (!answer) return
    invalid = writeHead(res, answer.status, headerRecord(answer.headers))
    if (invalid !== undefined) return // the rest of the stream is dropped; the caller answers an error
    status = answer.status
    write(rest)
  })
  const finished = new Promise<number | undefined>((resolve) => {
    body.on('end', () => resolve(status))
    body.on('close', () => resolve(status))
  })
  return { finished, invalid: () => invalid }
}

/** Writes `answer`; returns why it could not be written as HTTP (nothing was written then). */
function send(res: ServerResponse, answer: DecodedHttpResult, head: boolean): string | undefined {
  const invalid = writeHead(res, answer.status, {
    ...headerRecord(answer.headers),
    'content-length': answer.body.length,
  })
  if (invalid === undefined) res.end(head ? undefined : answer.body)
  return invalid
}

/**
 * Serves the HTTP handler exported by `modulePath` on localhost, through the Lambda emulator.
 *
 * @example
 * ```ts
 * const server = await dev('./src/app.ts', { port: 0 })
 * await fetch(`${server.url}/hello`)
 * await server.close()
 * ```
 */
export async function dev(modulePath: string, options: DevOptions = {}): Promise<DevServer> {
  const file = resolve(modulePath)
  const source = options.eventSource ?? 'apigw-v2'
  if (!DEV_EVENT_SOURCES.includes(source))
    throw new TypeError(`dev: eventSource must be one of ${DEV_EVENT_SOURCES.join(', ')} (got ${String(source)})`)
  const exportName = options.exportName ?? 'handler'
  const log = options.log ?? ((line: string) => console.log(line))
  const clock = options.clock ?? systemClock
  const emulator = await startEmulator({
    functionName: options.functionName ?? basename(file, extname(file)).replace(/[^A-Za-z0-9-_]/g, '-'),
    timeoutMs: options.timeoutMs ?? 30_000,
    memory: options.memory,
    env: {
      _HANDLER: `${basename(file, extname(file))}.${exportName}`,
      LAMBDA_TASK_ROOT: dirname(file),
      ...options.env,
    },
    command: options.command ?? bootstrapCommand(file, exportName),
    cwd: process.cwd(),
    onOutput: options.onOutput,
    clock,
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = clock.now()
    const head = req.method === 'HEAD'
    let answer: DecodedHttpResult | undefined
    let streamed: StreamedAnswer | undefined
    try {
      const body = await readBody(req, MAX_SYNC_PAYLOAD)
      let event: Record<string, unknown>
      try {
        event = requestToEvent(req, body, source)
      } catch (error) {
        // A malformed %-escape in the path cannot be decoded into the event's path: the client's fault.
        if (error instanceof URIError) throw new BadRequest(error.message)
        throw error
      }
      const result = await emulator.invoke(event, {
        onStream: (stream, contentType) => {
          streamed = streamAnswer(res, stream, contentType, head)
        },
      })
      if (result.functionError) log(`${result.error?.errorType ?? 'Error'}: ${result.error?.errorMessage ?? ''}`)
      if (streamed) {
        // Written as it arrived; a stream that ended with error trailers cuts the connection, as Lambda does.
        const status = await streamed.finished
        const invalid = streamed.invalid()
        if (invalid !== undefined) log(`the function's response is not valid HTTP: ${invalid}`)
        if (result.functionError && res.headersSent) res.destroy()
        else if (status === undefined) answer = failureAnswer(source)
        else res.end()
        log(`${req.method} ${req.url} ${status ?? answer?.status} ${Math.round(clock.now() - started)}ms`)
        if (answer) send(res, answer, head)
        return
      }
      if (result.functionError) {
        answer = failureAnswer(source)
      } else if (result.contentType === HTTP_INTEGRATION_CONTENT_TYPE) {
        answer = decodeStreamedHttpResult(result.payload) ?? failureAnswer(source)
      } else {
        let value: unknown
        try {
          value = result.json()
        } catch {
          value = undefined
        }
        answer = (value === undefined ? undefined : decodeHttpResult(value, source)) ?? failureAnswer(source)
      }
    } catch (error) {
      answer =
        error instanceof BodyTooLarge
          ? {
              status: 413,
              headers: [['content-type', 'application/json']],
              body: Buffer.from('{"message":"Request Entity Too Large"}'),
            }
          : error instanceof BadRequest
            ? {
                status: 400,
                headers: [['content-type', 'application/json']],
                body: Buffer.from('{"message":"Bad Request"}'),
              }
            : { status: 500, headers: [['content-type', 'text/plain']], body: Buffer.from(String(error)) }
    }
    if (res.headersSent) return void res.destroy()
    const invalid = send(res, answer, head)
    if (invalid !== undefined) {
      log(`the function's response is not valid HTTP: ${invalid}`)
      answer = failureAnswer(source)
      send(res, answer, head)
    }
    log(`${req.method} ${req.url} ${answer.status} ${Math.round(clock.now() - started)}ms`)
  }

  const server: Server = createServer((req, res) => {
    // Whatever goes wrong with one request is answered (or the connection cut), never the process's end.
    handle(req, res).catch((error: unknown) => {
      log(`${req.method} ${req.url} failed: ${error instanceof Error ? error.message : String(error)}`)
      if (!res.headersSent) send(res, failureAnswer(source), false)
      else res.destroy()
    })
  })
  try {
    await new Promise<void>((resolvePromise, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 9000, options.host ?? '127.0.0.1', () => {
        server.off('error', reject)
        resolvePromise()
      })
    })
  } catch (error) {
    // A busy port: stop the emulator (and the function's runtime process) it started before.
    await emulator.close()
    throw error
  }
  const address = server.address() as AddressInfo

  let watcher: FSWatcher | undefined
  let debounce: TimerHandle | undefined
  if (options.watch ?? true) {
    try {
      watcher = watch(dirname(file), { recursive: true }, (_event, name) => {
        const changed = name ? String(name) : ''
        if (changed.includes('node_modules') || (changed && !WATCHED.has(extname(changed)))) return
        if (debounce !== undefined) clock.clearTimeout(debounce)
        debounce = clock.setTimeout(() => {
          log(`reloading (${changed || basename(file)} changed)`)
          void emulator.restart()
        }, 100)
      })
      watcher.on('error', () => {})
    } catch {
      watcher = undefined
    }
  }

  return {
    url: `http://${address.address}:${address.port}`,
    port: address.port,
    emulator,
    reload: () => emulator.restart(),
    async close() {
      if (debounce !== undefined) clock.clearTimeout(debounce)
      watcher?.close()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
      await emulator.close()
    },
  }
}

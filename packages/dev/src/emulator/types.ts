import type { Readable } from 'node:stream'
import type { Clock } from '@turret/core'
import type { FunctionErrorPayload } from '@turret/lambda/internal'

export type { FunctionErrorPayload } from '@turret/lambda/internal'

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** The function's name (Invoke API path, ARN, AWS_LAMBDA_FUNCTION_NAME). Defaults to `'function'`. */
  readonly functionName?: string | undefined
  /** The function timeout, in milliseconds; an invocation still running then fails with `Sandbox.Timedout`. Defaults to `3000` (Lambda's default). */
  readonly timeoutMs?: number | undefined
  /** The function's memory size in MB (AWS_LAMBDA_FUNCTION_MEMORY_SIZE). Defaults to `128`. */
  readonly memory?: number | undefined
  /** Extra environment variables for the runtime process (they override the Lambda ones). Defaults to none. */
  readonly env?: Readonly<Record<string, string>> | undefined
  /** The port to listen on. Defaults to `0` (any free port). */
  readonly port?: number | undefined
  /** The address to listen on. Defaults to `'127.0.0.1'`. */
  readonly host?: string | undefined
  /** The region used in ARNs and AWS_REGION. Defaults to `'us-east-1'`. */
  readonly region?: string | undefined
  /** The account id used in ARNs. Defaults to `'123456789012'`. */
  readonly accountId?: string | undefined
  /**
   * The runtime to run as a child process, `[command, ...args]`, started with the Lambda environment
   * (AWS_LAMBDA_RUNTIME_API and friends) and restarted after it exits or times out. Defaults to
   * none: a runtime attaches itself to `runtimeApi`.
   */
  readonly command?: readonly string[] | undefined
  /** The working directory of the runtime process. Defaults to the current directory. */
  readonly cwd?: string | undefined
  /** Receives the runtime process's output. Defaults to writing it to this process's stdout/stderr. */
  readonly onOutput?: ((text: string, stream: 'stdout' | 'stderr') => void) | undefined
  /**
   * How long a managed runtime process may take from start to its first `/next` (Lambda's init phase);
   * past it the process is killed and the invocation waiting for it fails with `Sandbox.Timedout`.
   * Defaults to `10000`.
   */
  readonly initTimeoutMs?: number | undefined
  /**
   * The clock of every time the emulator keeps: function and init timeouts, the grace before a runtime that
   * reported an init error is killed, durations, and the deadlines it sends (epoch time read once at start,
   * then moved on by this clock). Defaults to `systemClock`.
   */
  readonly clock?: Clock | undefined
}

/** Options of one {@link Emulator.invoke}. */
export interface EmulatorInvokeOptions {
  /** The client context, sent to the runtime as JSON in Lambda-Runtime-Client-Context. Defaults to none. */
  readonly clientContext?: unknown
  /** The Cognito identity, sent as JSON in Lambda-Runtime-Cognito-Identity. Defaults to none. */
  readonly identity?: unknown
  /** The X-Ray trace header. Defaults to a fresh `Root=1-…;Parent=…;Sampled=0`. */
  readonly traceId?: string | undefined
  /** The qualifier (version or alias) appended to the invoked ARN. Defaults to none. */
  readonly qualifier?: string | undefined
  /** The tenant id (Lambda-Runtime-Aws-Tenant-Id). Defaults to none. */
  readonly tenantId?: string | undefined
  /**
   * Receives a streamed response's body as it arrives (with the Content-Type the runtime posted); the result
   * then has an empty payload, and an `error` when the stream ended with error trailers. Defaults to none
   * (streamed responses are buffered into the result's payload).
   */
  readonly onStream?: ((body: Readable, contentType: string | undefined) => void) | undefined
}

/** The outcome of one invocation, as the Invoke API reports it. */
export interface EmulatorInvokeResult {
  /** The invocation's request id. */
  readonly requestId: string
  /** The response bytes; the error document when the function failed. */
  readonly payload: Buffer
  /** The Content-Type the runtime posted the response with. */
  readonly contentType: string | undefined
  /** `'Unhandled'` when the function failed (X-Amz-Function-Error), else `undefined`. */
  readonly functionError: 'Unhandled' | undefined
  /** The parsed error document when the function failed. */
  readonly error: FunctionErrorPayload | undefined
  /** Whether the runtime streamed the response. */
  readonly streamed: boolean
  /** Milliseconds from dispatch to the runtime until the response. */
  readonly durationMs: number
  /** The runtime's output during the invocation (managed runtime only), with START/END/REPORT lines. */
  readonly logs: string
  /** The payload as UTF-8 text. */
  text(): string
  /** The payload parsed as JSON. */
  json(): unknown
}

/** A running emulator. */
export interface Emulator {
  /** The base URL, e.g. `http://127.0.0.1:9001` (Invoke API endpoint for the AWS SDK). */
  readonly url: string
  /** The AWS_LAMBDA_RUNTIME_API value, e.g. `127.0.0.1:9001`. */
  readonly runtimeApi: string
  /** The function's name. */
  readonly functionName: string
  /** The environment a runtime process gets (AWS_LAMBDA_RUNTIME_API, AWS_LAMBDA_FUNCTION_NAME, …). */
  readonly env: Readonly<Record<string, string>>
  /** Invokes the function synchronously (RequestResponse) and resolves with what the Invoke API would return. */
  invoke(event: unknown, options?: EmulatorInvokeOptions): Promise<EmulatorInvokeResult>
  /** Kills the managed runtime process (if any) and starts a fresh one; in-flight invocations fail. */
  restart(): Promise<void>
  /** Stops the server and the runtime process; pending invocations reject with `ClosedError`. */
  close(): Promise<void>
}

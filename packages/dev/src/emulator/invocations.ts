import { randomBytes, randomUUID } from 'node:crypto'
import { type Clock, ClosedError, type TimerHandle } from '@turret/core'
import {
  errorOutcome,
  type InvocationOutcome,
  RuntimeApi,
  type RuntimeApiHooks,
  type RuntimeInvocation,
} from '@turret/lambda/internal'
import type { LogBuffer } from './logs'
import type { EmulatorInvokeOptions, EmulatorInvokeResult } from './types'

/** One invocation of the emulated function, from `invoke()` to its result. */
export interface EmulatedInvocation extends RuntimeInvocation {
  /** The invoked ARN (with the qualifier, if any). */
  readonly arn: string
  /** The `/next` headers besides request id, deadline and ARN. */
  readonly headers: Readonly<Record<string, string>>
  /** The function timeout's timer, while it runs. */
  timer: TimerHandle | undefined
  /** Whether it was handed to the runtime. */
  dispatched: boolean
  /** When it was handed to the runtime, on the clock. */
  started: number
  /** Where its output starts in the log. */
  logStart: number
  readonly onStream: EmulatorInvokeOptions['onStream']
  readonly resolve: (result: EmulatorInvokeResult) => void
  readonly reject: (error: Error) => void
}

/** What the invocation queue tells the process supervisor. */
export interface InvocationEvents {
  /** A runtime asked for `/next`. */
  polled(): void
  /** Invocations were handed out (or could not be): start a runtime, arm the init deadline. */
  pumped(): void
  /** The runtime reported an init error. */
  initError(): void
  /** An invocation timed out: Lambda tears the environment down. */
  timedOut(): void
}

/** Options of {@link Invocations}. */
export interface InvocationsOptions {
  readonly clock: Clock
  readonly timeoutMs: number
  readonly memory: number
  readonly functionArn: string
  readonly logs: LogBuffer
  readonly events: InvocationEvents
}

/**
 * The emulator's invocations: the queue and state (lambda's Runtime API serves them to the runtime), the
 * function timeout on the clock, START/END/REPORT log lines, and the result each `invoke()` resolves with.
 */
export class Invocations {
  readonly api: RuntimeApi<EmulatedInvocation>
  readonly #options: InvocationsOptions
  readonly #epoch = Date.now()
  readonly #clockStart: number
  #closed = false

  constructor(options: InvocationsOptions) {
    this.#options = options
    this.#clockStart = options.clock.now()
    const { events } = options
    const hooks: RuntimeApiHooks<EmulatedInvocation> = {
      dispatch: (inv) => this.#dispatch(inv),
      completed: (inv, outcome) => this.#completed(inv, outcome),
      initError: (outcome) => {
        // Served in response to the first invoke; the environment is torn down.
        this.api.failFirst(outcome)
        events.initError()
      },
      polled: () => events.polled(),
      pumped: () => events.pumped(),
      onStream: (inv) => inv.onStream,
    }
    this.api = new RuntimeApi(hooks)
  }

  /** Epoch milliseconds: the wall time read when the emulator started, moved on by the clock. */
  wallNow(): number {
    return this.#epoch + (this.#options.clock.now() - this.#clockStart)
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed
  }

  /** Queues an invocation; resolves with its result. */
  enqueue(payload: Buffer, options: EmulatorInvokeOptions = {}): Promise<EmulatorInvokeResult> {
    if (this.#closed) return Promise.reject(new ClosedError('emulator closed'))
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { 'Lambda-Runtime-Trace-Id': options.traceId ?? this.#traceHeader() }
      if (options.clientContext !== undefined)
        headers['Lambda-Runtime-Client-Context'] = JSON.stringify(options.clientContext)
      if (options.identity !== undefined) headers['Lambda-Runtime-Cognito-Identity'] = JSON.stringify(options.identity)
      if (options.tenantId !== undefined) headers['Lambda-Runtime-Aws-Tenant-Id'] = options.tenantId
      const { functionArn } = this.#options
      this.api.enqueue({
        id: randomUUID(),
        payload,
        arn: options.qualifier ? `${functionArn}:${options.qualifier}` : functionArn,
        headers,
        state: 'queued',
        upload: undefined,
        timer: undefined,
        dispatched: false,
        started: 0,
        logStart: 0,
        onStream: options.onStream,
        resolve,
        reject,
      })
    })
  }

  /** Fails every invocation the runtime holds (it exited or was killed) with `Runtime.ExitError: <reason>`. */
  failRunning(reason: (inv: EmulatedInvocation) => string): number {
    const running = [...this.api.active.values()]
    for (const inv of running) this.api.complete(inv, errorOutcome('Runtime.ExitError', reason(inv)))
    return running.length
  }

  /** Fails the first queued invocation (the one a runtime that failed its init was started for). */
  failFirstQueued(errorType: string, message: (inv: EmulatedInvocation) => string): void {
    const first = this.api.queue[0]
    if (first) this.api.complete(first, errorOutcome(errorType, message(first)))
  }

  /** Rejects every pending invocation with `ClosedError`. */
  close(): void {
    this.#closed = true
    const error = new ClosedError('emulator closed')
    for (const inv of [...this.api.queue, ...this.api.active.values()]) {
      if (inv.state === 'done') continue
      inv.state = 'done'
      if (inv.timer !== undefined) this.#options.clock.clearTimeout(inv.timer)
      inv.reject(error)
    }
    this.api.queue.length = 0
    this.api.active.clear()
    this.api.closeWaiting()
  }

  #dispatch(inv: EmulatedInvocation): Readonly<Record<string, string>> {
    const { clock, timeoutMs, logs } = this.#options
    inv.dispatched = true
    inv.started = clock.now()
    inv.logStart = logs.mark()
    logs.append(`START RequestId: ${inv.id} Version: $LATEST\n`)
    inv.timer = clock.setTimeout(() => this.#timedOut(inv), timeoutMs)
    return {
      'Lambda-Runtime-Aws-Request-Id': inv.id,
      'Lambda-Runtime-Deadline-Ms': String(Math.round(this.wallNow() + timeoutMs)),
      'Lambda-Runtime-Invoked-Function-Arn': inv.arn,
      ...inv.headers,
    }
  }

  #timedOut(inv: EmulatedInvocation): void {
    if (inv.state === 'done') return
    inv.timer = undefined
    inv.upload?.destroy()
    const seconds = (this.#options.timeoutMs / 1000).toFixed(2)
    const message = `RequestId: ${inv.id} Error: Task timed out after ${seconds} seconds`
    this.api.complete(inv, errorOutcome('Sandbox.Timedout', message), 'timeout')
    this.#options.events.timedOut()
  }

  #completed(inv: EmulatedInvocation, outcome: InvocationOutcome): void {
    const { clock, memory, logs } = this.#options
    if (inv.timer !== undefined) clock.clearTimeout(inv.timer)
    const ran = inv.dispatched
    inv.timer = undefined
    const durationMs = ran ? clock.now() - inv.started : 0
    let text = ''
    if (ran) {
      const billed = Math.max(1, Math.ceil(durationMs))
      logs.append(
        `END RequestId: ${inv.id}\nREPORT RequestId: ${inv.id}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${memory} MB\n`,
      )
      text = logs.since(inv.logStart)
    }
    const { payload } = outcome
    inv.resolve({
      requestId: inv.id,
      payload,
      contentType: outcome.contentType,
      functionError: outcome.error ? 'Unhandled' : undefined,
      error: outcome.error,
      streamed: outcome.streamed ?? false,
      durationMs,
      logs: text,
      text: () => payload.toString('utf8'),
      json: () => JSON.parse(payload.toString('utf8')),
    })
  }

  /** A fresh X-Ray trace header. */
  #traceHeader(): string {
    const epoch = Math.floor(this.wallNow() / 1000).toString(16)
    return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`
  }
}

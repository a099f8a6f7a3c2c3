import type { Clock, TimerHandle } from '@turret/core'
import { errorOutcome } from '@turret/lambda/internal'
import type { Invocations } from './invocations'
import { RuntimeProcess } from './process'

/** How long a runtime that reported an init error may linger before it is killed (it should exit by itself). */
export const INIT_ERROR_GRACE_MS = 500

/** Options of {@link Supervisor}. */
export interface SupervisorOptions {
  readonly command: readonly string[]
  readonly cwd: string | undefined
  readonly env: Record<string, string>
  readonly onOutput: (text: string, stream: 'stdout' | 'stderr') => void
  readonly clock: Clock
  readonly initTimeoutMs: number
  readonly invocations: Invocations
}

/**
 * Supervises the managed runtime process, as Lambda supervises an execution environment: starts it when an
 * invocation waits, fails the invocation waiting for a runtime whose init timed out, crashed or reported an
 * error (and kills one that lingers after reporting it), and kills and restarts it after a timeout. Every
 * timer is on the injected clock.
 */
export class Supervisor {
  readonly #options: SupervisorOptions
  readonly #process: RuntimeProcess
  #polled = false
  #initErrorReported = false
  #initTimer: TimerHandle | undefined
  #killTimer: TimerHandle | undefined

  constructor(options: SupervisorOptions) {
    this.#options = options
    this.#process = new RuntimeProcess({
      command: options.command,
      cwd: options.cwd,
      env: options.env,
      onOutput: options.onOutput,
      onExit: (code, signal) => this.#exited(code, signal),
    })
  }

  /** Starts the runtime process (unless one runs). */
  start(): void {
    this.#clearInitTimer()
    this.#polled = false
    this.#initErrorReported = false
    this.#process.start()
  }

  /** A runtime asked for `/next`: its init is over. */
  polled(): void {
    this.#polled = true
    this.#clearInitTimer()
  }

  /** After invocations were handed out: start a runtime for the ones waiting, arm the init deadline. */
  pumped(): void {
    const { invocations } = this.#options
    if (invocations.api.queue.length > 0 && !this.#process.running && !invocations.closed) this.start()
    this.#armInitTimer()
  }

  /** The runtime reported an init error: it should exit; if it lingers, kill that process (not a successor). */
  initError(): void {
    this.#initErrorReported = true
    const pid = this.#process.pid
    if (pid === undefined) return
    const { clock } = this.#options
    if (this.#killTimer !== undefined) clock.clearTimeout(this.#killTimer)
    this.#killTimer = clock.setTimeout(() => {
      this.#killTimer = undefined
      if (this.#process.pid === pid) void this.stop('Runtime exited after an init error').then(() => this.#pump())
    }, INIT_ERROR_GRACE_MS)
  }

  /** An invocation timed out: Lambda tears the environment down; a managed runtime is killed and restarted. */
  timedOut(): void {
    if (this.#process.running) void this.stop('Runtime killed after a timeout').then(() => this.#pump())
  }

  /** Kills the process; the invocations it held fail with `Runtime.ExitError: <reason>`. */
  async stop(reason: string): Promise<void> {
    await this.#process.stop()
    this.#options.invocations.failRunning((inv) => `RequestId: ${inv.id} Error: ${reason}`)
  }

  /** Stops the process and every timer. */
  async close(): Promise<void> {
    this.#clearInitTimer()
    if (this.#killTimer !== undefined) this.#options.clock.clearTimeout(this.#killTimer)
    this.#killTimer = undefined
    await this.#process.stop()
  }

  #pump(): void {
    this.#options.invocations.api.pump()
  }

  #clearInitTimer(): void {
    if (this.#initTimer !== undefined) this.#options.clock.clearTimeout(this.#initTimer)
    this.#initTimer = undefined
  }

  /** Arms the init deadline while an invocation waits for a managed runtime that has not polled yet. */
  #armInitTimer(): void {
    const { invocations, clock, initTimeoutMs } = this.#options
    if (!this.#process.running || this.#polled || this.#initTimer !== undefined) return
    if (invocations.api.queue.length === 0) return
    const pid = this.#process.pid
    this.#initTimer = clock.setTimeout(() => {
      this.#initTimer = undefined
      if (this.#polled || this.#process.pid !== pid) return
      const first = invocations.api.queue[0]
      const seconds = (initTimeoutMs / 1000).toFixed(2)
      void this.#process.stop().then(() => {
        if (first && first.state !== 'done')
          invocations.api.complete(
            first,
            errorOutcome('Sandbox.Timedout', `RequestId: ${first.id} Error: Init timed out after ${seconds} seconds`),
          )
        this.#pump()
      })
    }, initTimeoutMs)
  }

  #exited(code: number | null, signal: NodeJS.Signals | null): void {
    const reason =
      code !== null ? `exit status ${code}` : signal ? `signal: ${signal.toLowerCase()}` : 'failed to start'
    const { invocations } = this.#options
    const message = (inv: { id: string }) => `RequestId: ${inv.id} Error: Runtime exited with error: ${reason}`
    const failed = invocations.failRunning(message)
    // A runtime that dies during init fails the invocation that was waiting for it (unless it reported why).
    if (failed === 0 && !this.#polled && !this.#initErrorReported)
      invocations.failFirstQueued('Runtime.ExitError', message)
    if (!invocations.closed) this.#pump()
  }
}

import { type ChildProcess, spawn } from 'node:child_process'

/** How a managed runtime process is started. */
export interface RuntimeProcessOptions {
  readonly command: readonly string[]
  readonly cwd: string | undefined
  readonly env: Record<string, string>
  readonly onOutput: (text: string, stream: 'stdout' | 'stderr') => void
  /** Called when the process exits on its own (not after {@link RuntimeProcess.stop}). */
  readonly onExit: (code: number | null, signal: NodeJS.Signals | null) => void
}

/** The runtime child process of an emulator: started on demand, killed on timeout, restarted. */
export class RuntimeProcess {
  #child: ChildProcess | undefined
  #stopping: Promise<void> | undefined

  constructor(readonly options: RuntimeProcessOptions) {}

  /** Whether a process is running (or starting). */
  get running(): boolean {
    return this.#child !== undefined
  }

  /** The running process's id. */
  get pid(): number | undefined {
    return this.#child?.pid
  }

  /** Starts the process unless one runs already. */
  start(): void {
    if (this.#child) return
    const [command, ...args] = this.options.command
    if (!command) throw new Error('emulator: empty runtime command')
    const child = spawn(command, args, {
      cwd: this.options.cwd,
      env: this.options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.#child = child
    child.stdout?.setEncoding('utf8').on('data', (text: string) => this.options.onOutput(text, 'stdout'))
    child.stderr?.setEncoding('utf8').on('data', (text: string) => this.options.onOutput(text, 'stderr'))
    child.on('error', (error) => {
      this.options.onOutput(`emulator: runtime ${command}: ${error.message}\n`, 'stderr')
      if (this.#child !== child || child.pid !== undefined) return
      this.#child = undefined
      this.options.onExit(null, null)
    })
    child.on('exit', (code, signal) => {
      if (this.#child !== child) return
      this.#child = undefined
      this.options.onExit(code, signal)
    })
  }

  /** Kills the process (SIGKILL, as Lambda does to a timed-out environment) and waits for it to exit. */
  stop(): Promise<void> {
    const child = this.#child
    if (!child) return this.#stopping ?? Promise.resolve()
    this.#child = undefined
    const stopping = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.once('error', () => resolve())
      child.kill('SIGKILL')
    })
    this.#stopping = stopping
    return stopping
  }
}

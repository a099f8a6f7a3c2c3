import { ClosedError, NotReadyError, TurretError } from '../errors'
import { readyWith, WaitQueue } from '../internal/wait'
import type { Ready, Service } from '../service'
import type { BufferService } from './index'

/**
 * The service behind a `buffer` failed its readiness check, so the buffer takes no more calls
 * (tower's `ServiceError`); `cause` is the inner error.
 */
export class ServiceFailedError extends TurretError {
  override name = 'ServiceFailedError'
  override readonly code = 'ERR_SERVICE_FAILED'
}

interface Message {
  state: 'queued' | 'held' | 'done'
  /** Calls the inner service (in the caller's async context) and settles the caller's promise. */
  dispatch(): void
  reject(error: unknown): void
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
}

/** The buffer: its slots, its queue and its worker loop. */
export class Buffer<Req, Res> implements BufferService<Req, Res> {
  readonly layerName = 'buffer'
  #free: number
  #reserved = 0
  #queue: Message[] = []
  #head = 0
  readonly #waiters = new WaitQueue()
  #error: Error | undefined
  #running = false
  /** The worker holds an inner reservation no request has used yet. */
  #innerReady = false
  /** The request the worker holds while it waits for the inner service. */
  #held: Message | undefined

  constructor(
    readonly inner: Service<Req, Res>,
    readonly bound: number,
    private readonly signalOf: (req: Req) => AbortSignal | undefined,
  ) {
    this.#free = bound
  }

  get available(): number {
    return this.#free
  }
  get reserved(): number {
    return this.#reserved
  }
  get queued(): number {
    let n = 0
    for (let i = this.#head; i < this.#queue.length; i++) if (this.#queue[i]?.state === 'queued') n++
    return n
  }
  get waiting(): number {
    return this.#waiters.length
  }

  ready(signal?: AbortSignal): Ready {
    if (this.#error) throw this.#error
    if (this.#free > 0 && this.#waiters.length === 0) {
      this.#free--
      this.#reserved++
      return undefined
    }
    const wait = this.#waiters.wait(signal)
    if (!signal) return wait
    return wait.then(() => {
      if (!signal.aborted) return
      // Granted a slot in the same tick as the abort: give it back.
      this.#reserved--
      this.#freeSlot()
      throw signal.reason
    })
  }

  /** A slot came free: it goes to the oldest waiter (already counted as reserved) or back to the pool. */
  #freeSlot(): void {
    if (this.#error === undefined && this.#waiters.wakeOne()) this.#reserved++
    else this.#free++
  }

  call(req: Req): Promise<Res> {
    if (this.#reserved === 0) {
      return Promise.reject(this.#error ?? new NotReadyError('buffer: no slot reserved; call ready() first'))
    }
    this.#reserved--
    if (this.#error) {
      this.#free++
      return Promise.reject(this.#error)
    }
    return new Promise<Res>((resolve, reject) => {
      let dispatch!: () => void
      // The continuation is registered here, so the inner call runs in the caller's async context
      // (AsyncLocalStorage: tracing spans, request-scoped stores), not the worker's.
      new Promise<void>((go) => {
        dispatch = go
      }).then(() => {
        let res: Promise<Res>
        try {
          res = this.inner.call(req)
        } catch (error) {
          res = Promise.reject(error)
        }
        resolve(res)
      })
      const msg: Message = { state: 'queued', dispatch, reject, signal: undefined, onAbort: undefined }
      const signal = this.signalOf(req)
      if (signal) {
        if (signal.aborted) {
          msg.state = 'done'
          this.#freeSlot()
          return reject(signal.reason)
        }
        msg.signal = signal
        msg.onAbort = () => {
          if (msg.state === 'queued') this.#freeSlot()
          if (msg.state !== 'done') {
            msg.state = 'done'
            reject(signal.reason)
          }
        }
        signal.addEventListener('abort', msg.onAbort, { once: true })
      }
      this.#queue.push(msg)
      if (!this.#running) void this.#run()
    })
  }

  #settle(msg: Message): boolean {
    if (msg.state === 'done') return false
    msg.state = 'done'
    if (msg.onAbort) msg.signal?.removeEventListener('abort', msg.onAbort)
    return true
  }

  #next(): Message | undefined {
    while (this.#head < this.#queue.length) {
      const msg = this.#queue[this.#head++] as Message
      if (msg.state === 'queued') {
        if (this.#head > 64 && this.#head * 2 > this.#queue.length) {
          this.#queue = this.#queue.slice(this.#head)
          this.#head = 0
        }
        return msg
      }
    }
    this.#queue = []
    this.#head = 0
    return undefined
  }

  /** The worker: takes each request in turn, waits for the inner service, and calls it. */
  async #run(): Promise<void> {
    this.#running = true
    try {
      for (;;) {
        if (this.#error) return
        const msg = this.#next()
        if (!msg) return
        msg.state = 'held'
        this.#freeSlot()
        if (!this.#innerReady) {
          this.#held = msg
          try {
            // The request's signal also abandons this wait (turret limiters then free what it held).
            const pending = readyWith(this.inner, msg.signal)
            if (pending !== undefined) await pending
          } catch (error) {
            if ((msg.state as Message['state']) === 'done' && error === msg.signal?.reason) continue // canceled, not failed
            this.#fail(error)
            return
          } finally {
            this.#held = undefined
          }
          this.#innerReady = true
          if (this.#error) return
        }
        if (!this.#settle(msg)) continue // canceled while waiting: keep the reservation for the next
        this.#innerReady = false
        msg.dispatch()
      }
    } finally {
      this.#running = false
    }
  }

  #fail(cause: unknown): void {
    const detail = cause instanceof Error ? cause.message : String(cause)
    const error = new ServiceFailedError(`buffered service failed: ${detail}`, { cause })
    this.#shutdown(error)
  }

  close(): void {
    if (!this.#error) this.#shutdown(new ClosedError("buffer's worker closed"))
  }

  #shutdown(error: Error): void {
    this.#error = error
    const held = this.#held
    if (held && this.#settle(held)) held.reject(error)
    for (let i = this.#head; i < this.#queue.length; i++) {
      const msg = this.#queue[i] as Message
      const queued = msg.state === 'queued'
      if (this.#settle(msg)) {
        if (queued) this.#free++
        msg.reject(error)
      }
    }
    this.#queue = []
    this.#head = 0
    this.#waiters.rejectAll(error)
  }
}

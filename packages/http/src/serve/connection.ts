/** What serve() keeps per connection: its abort signal, its requests in flight and its latest response. */
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { IncomingSource } from './request'

const CONNECTION = Symbol('turret.connection')

/**
 * What serve() keeps per connection instead of per request: the signal `ready()` gets (an AbortSignal
 * costs ~5 µs on Node 20), the requests in flight (their signals abort if the client leaves), and the
 * latest response (so a graceful close can close the connection once it is sent). One `close`
 * listener per connection replaces one per request.
 */
export class Connection {
  #controller: AbortController | undefined
  /** Requests whose response is not completely written yet (usually one; more when pipelined). */
  readonly inflight: IncomingSource[] = []
  last: ServerResponse | undefined

  constructor(
    socket: Socket,
    readonly all: Set<Connection>,
  ) {
    all.add(this)
    socket.once('close', () => this.#closed())
  }

  /** Aborted when the client disconnects. */
  get signal(): AbortSignal {
    this.#controller ??= new AbortController()
    return this.#controller.signal
  }

  done(req: IncomingSource): void {
    const i = this.inflight.indexOf(req)
    if (i !== -1) this.inflight.splice(i, 1)
  }

  #closed(): void {
    this.all.delete(this)
    const reason = new Error('client disconnected')
    this.#controller?.abort(reason)
    for (const req of this.inflight.splice(0)) req.abort(reason)
  }
}

/** The connection state of `socket`, made on its first request. */
export function connectionOf(socket: Socket, all: Set<Connection>): Connection {
  const holder = socket as Socket & { [CONNECTION]?: Connection }
  let conn = holder[CONNECTION]
  if (conn === undefined) {
    conn = new Connection(socket, all)
    holder[CONNECTION] = conn
  }
  return conn
}

/** The connection state of `socket` if a request on it made one. */
export function existingConnection(socket: Socket): Connection | undefined {
  return (socket as Socket & { [CONNECTION]?: Connection })[CONNECTION]
}

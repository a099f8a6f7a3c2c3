/**
 * A Runtime API proxy for fault injection: it sits between a runtime and the emulator, records
 * every request (which invocation, what the runtime was told, what the emulator said) and, on
 * request, answers a status itself or resets the connection before or after forwarding.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** Which Runtime API call a request is. */
export type CallKind = 'next' | 'response' | 'error' | 'init-error' | 'other'

/** A fault to inject on the next matching call. */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly body?: string }
  /** Destroys the runtime's connection without forwarding. */
  | { readonly kind: 'reset-before' }
  /** Forwards, lets the emulator answer, then destroys the runtime's connection instead of relaying. */
  | { readonly kind: 'reset-after' }

/** One request the runtime made. */
export interface ProxyRecord {
  readonly kind: CallKind
  readonly method: string
  readonly path: string
  /** The invocation: from the path of a POST, from the emulator's answer for `/next`. */
  requestId: string | undefined
  /** What the runtime got: a status, `'reset'`, or `'pending'` while in flight. */
  client: number | 'reset' | 'pending'
  /** What the emulator answered, when the request was forwarded. */
  upstream: number | undefined
  /** The body the runtime sent (POSTs) or received (`/next`), capped at 4 kB. */
  body: string
}

export interface FaultProxy {
  /** `127.0.0.1:<port>`: give it to the runtime as AWS_LAMBDA_RUNTIME_API. */
  readonly endpoint: string
  /** Every request, in arrival order. */
  readonly records: ProxyRecord[]
  /** Sets where requests go (`host:port` of the emulator); requests wait until it is set. */
  setTarget(target: string): void
  /** Injects `fault` on the next `times` calls of `kind`. */
  inject(kind: CallKind, fault: Fault, times?: number): void
  /** Resolves once no POST is in flight (the emulator may finish an invocation before its 202 is relayed). */
  settled(): Promise<void>
  /** Posts the emulator accepted (202), per invocation. */
  accepted(requestId: string): ProxyRecord[]
  close(): Promise<void>
}

function classify(method: string, path: string): { kind: CallKind; requestId: string | undefined } {
  if (path.endsWith('/runtime/invocation/next')) return { kind: 'next', requestId: undefined }
  if (path.endsWith('/runtime/init/error')) return { kind: 'init-error', requestId: undefined }
  const m = /\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path)
  if (m && method === 'POST')
    return { kind: m[2] as 'response' | 'error', requestId: decodeURIComponent(m[1] as string) }
  return { kind: 'other', requestId: undefined }
}

const CAP = 4096

export async function startFaultProxy(): Promise<FaultProxy> {
  const records: ProxyRecord[] = []
  const faults: { kind: CallKind; fault: Fault; times: number }[] = []
  let target: { host: string; port: number } | undefined
  let targetSet: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    targetSet = resolve
  })
  const sockets = new Set<Socket>()

  const take = (kind: CallKind): Fault | undefined => {
    const i = faults.findIndex((f) => f.kind === kind && f.times > 0)
    if (i < 0) return undefined
    const f = faults[i] as (typeof faults)[number]
    f.times--
    if (f.times === 0) faults.splice(i, 1)
    return f.fault
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET'
    const path = req.url ?? '/'
    const { kind, requestId } = classify(method, path)
    const record: ProxyRecord = { kind, method, path, requestId, client: 'pending', upstream: undefined, body: '' }
    records.push(record)
    const fault = take(kind)
    if (fault?.kind === 'reset-before') {
      record.client = 'reset'
      req.socket.destroy()
      return
    }
    if (fault?.kind === 'status') {
      req.on('data', (c: Buffer) => {
        if (record.body.length < CAP) record.body += c.toString('utf8').slice(0, CAP)
      })
      req.on('end', () => {
        record.client = fault.status
        res.writeHead(fault.status, { 'content-type': 'application/json' }).end(fault.body ?? '{}')
      })
      return
    }
    await ready
    const to = target as { host: string; port: number }
    const upstream = request({ host: to.host, port: to.port, method, path, headers: req.headers, agent: false })
    // The runtime went away (e.g. a /next long poll aborted on shutdown): let the emulator know.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy()
    })
    upstream.on('error', () => {
      if (record.client === 'pending') {
        record.client = 'reset'
        req.socket.destroy()
      }
    })
    upstream.on('response', (up) => {
      record.upstream = up.statusCode ?? 0
      if (kind === 'next') record.requestId = up.headers['lambda-runtime-aws-request-id'] as string | undefined
      const chunks: Buffer[] = []
      up.on('data', (c: Buffer) => chunks.push(c))
      up.on('end', () => {
        const body = Buffer.concat(chunks)
        if (kind === 'next') record.body = body.toString('utf8').slice(0, CAP)
        if (fault?.kind === 'reset-after') {
          record.client = 'reset'
          req.socket.destroy()
          return
        }
        record.client = up.statusCode ?? 0
        const headers = { ...up.headers }
        delete headers['transfer-encoding']
        delete headers.connection
        headers['content-length'] = String(body.length)
        res.writeHead(up.statusCode ?? 502, headers).end(body)
      })
    })
    // A chunked body (streaming, maybe with trailers) is relayed as it comes; any other body is
    // sent in one piece with its length, as a runtime sends it (so an early 413 reads the same).
    const chunked = req.headers['transfer-encoding'] !== undefined
    const body: Buffer[] = []
    req.on('data', (c: Buffer) => {
      if (record.body.length < CAP) record.body += c.toString('utf8').slice(0, CAP)
      if (chunked) upstream.write(c)
      else body.push(c)
    })
    req.on('end', () => {
      if (!chunked) return void upstream.end(Buffer.concat(body))
      if (Object.keys(req.trailers).length > 0) upstream.addTrailers(req.trailers)
      upstream.end()
    })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy())
  })
  server.keepAliveTimeout = 0
  server.requestTimeout = 0
  server.headersTimeout = 0
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    endpoint: `127.0.0.1:${port}`,
    records,
    setTarget(t) {
      const [host, p] = t.split(':')
      target = { host: host as string, port: Number(p) }
      targetSet()
    },
    inject(kind, fault, times = 1) {
      faults.push({ kind, fault, times })
    },
    async settled() {
      for (let i = 0; i < 500; i++) {
        if (!records.some((r) => r.kind !== 'next' && r.client === 'pending')) return
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
    accepted(requestId) {
      return records.filter(
        (r) => (r.kind === 'response' || r.kind === 'error') && r.requestId === requestId && r.upstream === 202,
      )
    },
    close() {
      for (const s of sockets) s.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

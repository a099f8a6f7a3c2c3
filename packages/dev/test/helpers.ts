import { Agent, request } from 'node:http'

/** What the tiny runtime's handler gets: the event and the /next headers. */
export interface MiniInvocation {
  readonly event: unknown
  readonly requestId: string
  readonly headers: Record<string, string | string[] | undefined>
}

function call(
  agent: Agent,
  api: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const [hostname, port] = api.split(':')
    const req = request({ agent, hostname, port: Number(port), method, path, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (c: string) => {
        text += c
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * A tiny hand-written Runtime API loop (in this process), for testing the emulator without any
 * runtime library: `/next` → handler → `/response` or `/error`. Returns a stop function.
 */
export function miniRuntime(api: string, handler: (inv: MiniInvocation) => unknown): () => void {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  let stopped = false
  void (async () => {
    while (!stopped) {
      let next: Awaited<ReturnType<typeof call>>
      try {
        next = await call(agent, api, 'GET', '/2018-06-01/runtime/invocation/next')
      } catch {
        return
      }
      const requestId = next.headers['lambda-runtime-aws-request-id'] as string
      const base = `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}`
      try {
        const result = await handler({ event: JSON.parse(next.body), requestId, headers: next.headers })
        await call(agent, api, 'POST', `${base}/response`, JSON.stringify(result ?? null))
      } catch (error) {
        const e = error as Error
        const doc = { errorType: e.name, errorMessage: e.message, stackTrace: [] }
        await call(agent, api, 'POST', `${base}/error`, JSON.stringify(doc), {
          'Lambda-Runtime-Function-Error-Type': e.name,
        }).catch(() => {})
      }
    }
  })()
  return () => {
    stopped = true
    agent.destroy()
  }
}

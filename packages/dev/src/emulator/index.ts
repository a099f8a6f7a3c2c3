/**
 * A local Lambda environment: the Runtime API (for turret's `run()`, aws-lambda-ric or any other
 * runtime) and Lambda's Invoke API (for `@aws-sdk/client-lambda` and the AWS CLI). The Runtime API is
 * `@turret/lambda`'s one implementation; this module adds the Invoke API, the log buffer and the
 * supervision of a runtime process.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { systemClock } from '@turret/core'
import { MAX_STREAMED_RESPONSE, runtimeError } from '@turret/lambda/internal'
import { Invocations } from './invocations'
import { InvokeApi, MAX_ASYNC_PAYLOAD, MAX_SYNC_PAYLOAD } from './invoke-api'
import { LogBuffer } from './logs'
import { Supervisor } from './supervisor'
import type { Emulator, EmulatorOptions } from './types'

export type {
  Emulator,
  EmulatorInvokeOptions,
  EmulatorInvokeResult,
  EmulatorOptions,
  FunctionErrorPayload,
} from './types'
export { MAX_ASYNC_PAYLOAD, MAX_STREAMED_RESPONSE, MAX_SYNC_PAYLOAD }

/** Listens on `host:port`; resolves with the server and its `host:port` (IPv6 in brackets). */
async function listen(server: Server, port: number, host: string): Promise<string> {
  // /next is a long poll and runtimes keep their connection alive between invocations.
  server.keepAliveTimeout = 0
  server.requestTimeout = 0
  server.headersTimeout = 0
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  return `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
}

/**
 * Starts an emulated Lambda environment on 127.0.0.1: the Runtime API for a runtime process and
 * the Invoke API for clients.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ functionName: 'hello', command: ['node', 'bootstrap.js'] })
 * const res = await emu.invoke({ name: 'world' })
 * res.json() // the handler's result
 * await emu.close()
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const functionName = options.functionName ?? 'function'
  const timeoutMs = options.timeoutMs ?? 3_000
  const memory = options.memory ?? 128
  const region = options.region ?? 'us-east-1'
  const accountId = options.accountId ?? '123456789012'
  const clock = options.clock ?? systemClock
  const initTimeoutMs = options.initTimeoutMs ?? 10_000
  const onOutput =
    options.onOutput ??
    ((text: string, stream: 'stdout' | 'stderr') => (stream === 'stdout' ? process.stdout : process.stderr).write(text))
  const functionArn = `arn:aws:lambda:${region}:${accountId}:function:${functionName}`

  const logs = new LogBuffer()
  // The supervisor exists only with a `command`; without one, a runtime attaches itself.
  const supervisor: { current: Supervisor | undefined } = { current: undefined }
  const invocations = new Invocations({
    clock,
    timeoutMs,
    memory,
    functionArn,
    logs,
    events: {
      polled: () => supervisor.current?.polled(),
      pumped: () => supervisor.current?.pumped(),
      initError: () => supervisor.current?.initError(),
      timedOut: () => supervisor.current?.timedOut(),
    },
  })
  const invokeApi = new InvokeApi({ functionName, functionArn, accountId, invocations })

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string
    const served = async () => (await invocations.api.route(req, res, path)) || (await invokeApi.route(req, res, path))
    served().then(
      (ok) => {
        if (ok) return
        req.resume()
        runtimeError(res, 404, 'NotFound', `no route for ${req.method ?? 'GET'} ${path}`)
      },
      (error: unknown) => {
        if (!res.headersSent) runtimeError(res, 500, 'InternalServerError', String(error))
        else res.destroy()
      },
    )
  })
  const runtimeApi = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1')

  const env: Record<string, string> = {
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memory),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(Math.ceil(timeoutMs / 1000)),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${new Date(invocations.wallNow()).toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    ...options.env,
  }

  if (options.command) {
    supervisor.current = new Supervisor({
      command: options.command,
      cwd: options.cwd,
      env: { ...(process.env as Record<string, string>), ...env },
      onOutput: (text, stream) => {
        logs.append(text)
        onOutput(text, stream)
      },
      clock,
      initTimeoutMs,
      invocations,
    })
    supervisor.current.start()
  }

  return {
    url: `http://${runtimeApi}`,
    runtimeApi,
    functionName,
    env,
    invoke(event, invokeOptions) {
      const payload =
        event instanceof Uint8Array ? Buffer.from(event) : Buffer.from(JSON.stringify(event === undefined ? {} : event))
      return invocations.enqueue(payload, invokeOptions)
    },
    async restart() {
      const current = supervisor.current
      if (!current) return
      await current.stop('Runtime restarted')
      if (!invocations.closed) current.start()
    },
    async close() {
      if (invocations.closed) return
      invocations.close()
      await supervisor.current?.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * A managed-Node.js-style runtime: `node bootstrap.js <module> [export]` loads the handler module, then serves
 * invocations from the Runtime API at AWS_LAMBDA_RUNTIME_API (what the emulator sets). It is `@turret/lambda`'s
 * `run()` around the handler: promise and callback handlers, the `awslambda` global (`streamifyResponse`,
 * `HttpResponseStream.from`) for streamed responses with error trailers, and init failures reported to
 * `/runtime/init/error`, all from lambda's one Runtime API client.
 */
import { RuntimeApiClient, run } from '@turret/lambda'
import { errorRequest, fromManagedHandler, installManagedAwsLambda } from '@turret/lambda/internal'
import { loadHandler, RuntimeFailure } from '../internal/load'

installManagedAwsLambda()

/** The invocation last delivered (an uncaught exception fails it). */
let current: string | undefined

const [modulePath, exportName] = process.argv.slice(2)
if (!modulePath) {
  console.error('usage: bootstrap <module> [export]')
  process.exit(2)
}

// As aws-lambda-ric: an uncaught exception fails the current invocation (or init), then the process exits.
process.on('uncaughtException', (error) => {
  console.error(`Uncaught ${error.name}: ${error.message}`)
  let client: RuntimeApiClient
  try {
    client = new RuntimeApiClient()
  } catch {
    process.exit(129)
  }
  client
    .call(errorRequest(current, error))
    .catch(() => {})
    .finally(() => process.exit(129))
})

run(
  async () => {
    let service: ReturnType<typeof fromManagedHandler>
    try {
      service = fromManagedHandler(await loadHandler(modulePath, exportName || 'handler'))
    } catch (error) {
      // Printed as aws-lambda-ric does; run() reports it to /runtime/init/error and exits 1.
      const type = error instanceof RuntimeFailure ? error.errorType : (error as Error)?.name
      console.error(`${type ?? typeof error}: ${(error as Error)?.message ?? String(error)}`)
      throw error
    }
    return {
      ready: () => service.ready(),
      call(event) {
        current = event.context.requestId
        return service.call(event)
      },
    }
  },
  { logger: { error: (message, ...details) => console.error(`bootstrap: ${message}`, ...details) } },
).catch((error: unknown) => {
  console.error('bootstrap:', error)
  process.exit(1)
})

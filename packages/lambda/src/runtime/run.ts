import type { Clock, Service } from '@turret/core'
import { type FunctionEnvironment, functionEnvironment, type LambdaEvent } from '../context/index'
import { RuntimeApiClient, type RuntimeApiRequest, type RuntimeApiResponse } from './client'
import { panicToFunctionError } from './panic-to-function-error'
import { postToRuntimeApi, type RuntimeLogger } from './post'
import { errorRequest, NEXT_PATH, type NextInvocation, toRuntimeApiRequest } from './response'

/** Where `run()` hears SIGTERM from (`process` by default; an `EventEmitter` in tests). */
export interface SignalSource {
  /** Adds a listener. */
  on(event: 'SIGTERM', listener: () => void): unknown
  /** Removes a listener. */
  off(event: 'SIGTERM', listener: () => void): unknown
}

/** Options of {@link run}. */
export interface RunOptions {
  /** `host:port` of the Runtime API. Defaults to `env.AWS_LAMBDA_RUNTIME_API`. */
  readonly runtimeApi?: string | undefined
  /** Invocations handled at once (Lambda Managed Instances). Defaults to `env.AWS_LAMBDA_MAX_CONCURRENCY`, else 1. */
  readonly concurrency?: number | undefined
  /** Runs once before the first invocation; a throw is reported to `/runtime/init/error`. Defaults to none. */
  readonly init?: (() => void | PromiseLike<void>) | undefined
  /** Times each invocation's deadline signal. Defaults to `systemClock`. */
  readonly clock?: Clock | undefined
  /** The variables the runtime reads. Defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  /** Ends the process: `exit(1)` after a fatal error, `exit(0)` after SIGTERM. Defaults to `process.exit`. */
  readonly exit?: ((code: number) => void) | undefined
  /** Stops the loop (in-flight invocations finish; `exit` is not called). Defaults to none. */
  readonly signal?: AbortSignal | undefined
  /** Where SIGTERM comes from. Defaults to `process`. */
  readonly signals?: SignalSource | undefined
  /** Where runtime problems are logged. Defaults to `console`. */
  readonly logger?: RuntimeLogger | undefined
}

/** A service, or a function that builds one (its failure is an init error). */
export type ServiceOrFactory<T, R> =
  | Service<LambdaEvent<T>, R>
  | (() => Service<LambdaEvent<T>, R> | PromiseLike<Service<LambdaEvent<T>, R>>)

/** Options of {@link runtimeStack}. */
export interface RuntimeStackOptions {
  /** The client that talks to the Runtime API. */
  readonly client: Service<RuntimeApiRequest, RuntimeApiResponse>
  /** See {@link RunOptions.clock}. */
  readonly clock?: Clock | undefined
  /** The function's environment. Defaults to `functionEnvironment(process.env)`. */
  readonly env?: FunctionEnvironment | undefined
  /** Set `_X_AMZN_TRACE_ID` per invocation. Defaults to `false`. */
  readonly traceEnv?: boolean | undefined
  /** See {@link RunOptions.logger}. */
  readonly logger?: RuntimeLogger | undefined
}

/**
 * The stack `run()` drives, outermost first: `postToRuntimeApi` → `toRuntimeApiRequest` → `panicToFunctionError` → your service.
 *
 * @example
 * ```ts
 * describeStack(runtimeStack(svc, { client })) // ['postToRuntimeApi', 'toRuntimeApiRequest', 'panicToFunctionError', …]
 * ```
 */
export function runtimeStack<T, R>(
  service: Service<LambdaEvent<T>, R>,
  options: RuntimeStackOptions,
): Service<NextInvocation, RuntimeApiResponse> {
  const respond = toRuntimeApiRequest({ env: options.env, clock: options.clock, traceEnv: options.traceEnv })
  return postToRuntimeApi(options.client, { logger: options.logger })(
    respond(panicToFunctionError()(service) as Service<LambdaEvent<unknown>, unknown>),
  )
}

/** Waits for `pending`, or until `signal` aborts (then resolves: the caller checks the signal). */
function untilStopped(pending: PromiseLike<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => resolve()
    signal.addEventListener('abort', onAbort, { once: true })
    Promise.resolve(pending).then(
      () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

function isService<T, R>(value: ServiceOrFactory<T, R>): value is Service<LambdaEvent<T>, R> {
  return typeof (value as Service<LambdaEvent<T>, R>).ready === 'function'
}

function concurrencyFrom(env: Readonly<Record<string, string | undefined>>): number {
  const n = Number.parseInt(env.AWS_LAMBDA_MAX_CONCURRENCY ?? '', 10)
  return Number.isFinite(n) && n > 1 ? n : 1
}

/**
 * Runs a service as a custom Lambda runtime: the Runtime API loop (lambda_runtime's `run`). It awaits
 * `service.ready()` before each `GET /next`, reports failures to `/error` and keeps going, reports init
 * failures to `/runtime/init/error` and exits 1, exits 1 when `/next` fails, runs
 * `AWS_LAMBDA_MAX_CONCURRENCY` loops over one keep-alive pool, and on SIGTERM lets in-flight
 * invocations finish, then exits 0. Resolves when the loop stops.
 *
 * @example
 * ```ts
 * // bootstrap.ts
 * await run(serviceFn(async ({ payload, context }: LambdaEvent<Order>) => ship(payload, context.signal)))
 * ```
 */
export async function run<T, R>(service: ServiceOrFactory<T, R>, options: RunOptions = {}): Promise<void> {
  const env = options.env ?? process.env
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const logger = options.logger ?? console
  const signals = options.signals ?? process
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? concurrencyFrom(env)))

  let client: RuntimeApiClient
  try {
    client = new RuntimeApiClient({ endpoint: options.runtimeApi ?? env.AWS_LAMBDA_RUNTIME_API })
  } catch (error) {
    logger.error('turret: cannot start the Lambda runtime', error)
    exit(1)
    return
  }

  const initFailed = async (error: unknown) => {
    logger.error('turret: Lambda init failed', error)
    try {
      await client.call(errorRequest(undefined, error))
    } catch (postError) {
      logger.error('turret: cannot report the init error', postError)
    }
    client.close()
    exit(1)
  }

  let svc: Service<LambdaEvent<T>, R>
  try {
    await options.init?.()
    svc = isService(service) ? service : await service()
  } catch (error) {
    await initFailed(error)
    return
  }

  const stack = runtimeStack(svc, {
    client,
    clock: options.clock,
    env: functionEnvironment(env),
    traceEnv: concurrency === 1,
    logger,
  })

  const stopper = new AbortController()
  let exitCode: number | undefined
  let fetched = false
  let initError: { readonly error: unknown } | undefined
  const stop = (code: number | undefined) => {
    if (exitCode === undefined || (code ?? 0) > exitCode) exitCode = code
    stopper.abort()
  }
  const onSigterm = () => stop(0)
  const onAbort = () => stop(undefined)
  signals.on('SIGTERM', onSigterm)
  options.signal?.addEventListener('abort', onAbort, { once: true })
  if (options.signal?.aborted) onAbort()

  const loop = async () => {
    while (!stopper.signal.aborted) {
      try {
        const pending = stack.ready()
        if (pending !== undefined) await untilStopped(pending, stopper.signal)
      } catch (error) {
        if (!fetched) initError ??= { error }
        else logger.error('turret: the service failed', error)
        return stop(1)
      }
      if (stopper.signal.aborted) return
      let next: RuntimeApiResponse
      try {
        next = await client.call({ method: 'GET', path: NEXT_PATH, signal: stopper.signal })
      } catch (error) {
        if (stopper.signal.aborted) return
        logger.error('turret: GET /next failed', error)
        return stop(1)
      }
      fetched = true
      if (next.status !== 200) {
        logger.error(`turret: GET /next answered ${next.status}`, Buffer.from(next.body).toString('utf8'))
        return stop(1)
      }
      try {
        await stack.call(next)
      } catch (error) {
        logger.error('turret: cannot report the invocation to the Runtime API', error)
        return stop(1)
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, loop))
  signals.off('SIGTERM', onSigterm)
  options.signal?.removeEventListener('abort', onAbort)
  if (initError !== undefined) {
    await initFailed(initError.error)
    return
  }
  client.close()
  if (exitCode !== undefined) exit(exitCode)
}

import { type Next, PassThrough, type Service } from '@turret/core'
import { RuntimeApiError, type RuntimeApiRequest, type RuntimeApiResponse } from './client'
import { errorRequest, type NextInvocation } from './response'

/** Where the runtime writes what goes wrong outside the handler. */
export interface RuntimeLogger {
  /** Logs one problem. */
  error(message: string, ...details: unknown[]): void
}

/** Options of {@link postToRuntimeApi}. */
export interface PostToRuntimeApiOptions {
  /** Where rejected POSTs (400, 403) are logged. Defaults to `console`. */
  readonly logger?: RuntimeLogger | undefined
}

/** The response POSTed to `/response` was refused as too large (413) and reported as an error instead. */
const tooLarge = {
  name: 'Runtime.ResponseTooLarge',
  message: 'the response was refused by the Runtime API as too large (413)',
}

class PostToRuntimeApiService extends PassThrough<
  NextInvocation,
  RuntimeApiResponse,
  NextInvocation,
  RuntimeApiRequest
> {
  readonly layerName = 'postToRuntimeApi'
  readonly #logger: RuntimeLogger

  constructor(
    inner: Service<NextInvocation, RuntimeApiRequest>,
    readonly client: Service<RuntimeApiRequest, RuntimeApiResponse>,
    options: PostToRuntimeApiOptions,
  ) {
    super(inner)
    this.#logger = options.logger ?? console
  }

  protected async handle(
    invocation: NextInvocation,
    next: Next<NextInvocation, RuntimeApiRequest>,
  ): Promise<RuntimeApiResponse> {
    const req = await next(invocation)
    let res = await this.#send(req)
    if (res.status === 413 && req.requestId !== undefined && req.path.endsWith('/response')) {
      res = await this.#send(errorRequest(req.requestId, tooLarge))
    }
    if (res.status >= 500) {
      throw new RuntimeApiError(`POST ${req.path} answered ${res.status}: container error`, { status: res.status })
    }
    if (res.status !== 202) {
      this.#logger.error(`POST ${req.path} answered ${res.status}`, Buffer.from(res.body).toString('utf8'))
    }
    return res
  }

  async #send(req: RuntimeApiRequest): Promise<RuntimeApiResponse> {
    const pending = this.client.ready()
    if (pending !== undefined) await pending
    return this.client.call(req)
  }
}

/**
 * lambda_runtime's `RuntimeApiClientService`: sends the request the inner service built for an
 * invocation to the Runtime API. A 413 on `/response` is re-sent to `/error`; a 5xx or a transport
 * failure rejects with {@link RuntimeApiError} (the loop then exits, as the spec requires).
 *
 * @example
 * ```ts
 * const stack = postToRuntimeApi(client)(toRuntimeApiRequest()(panicToFunctionError()(svc)))
 * ```
 */
export function postToRuntimeApi(
  client: Service<RuntimeApiRequest, RuntimeApiResponse>,
  options: PostToRuntimeApiOptions = {},
): (inner: Service<NextInvocation, RuntimeApiRequest>) => Service<NextInvocation, RuntimeApiResponse> {
  return function postToRuntimeApi(inner) {
    return new PostToRuntimeApiService(inner, client, options)
  }
}

import { readyWith } from '../internal/wait'
import type { Ready, Service } from '../service'
import { type Completion, type CompletionHandle, completeOnResponse, type LoadService, track } from './completion'

/** Options of {@link pendingRequests}. */
export interface PendingRequestsOptions<Res> {
  /** When a call stops counting. Defaults to when its response (or error) arrives. */
  readonly completion?: Completion<Res> | undefined
}

class PendingRequests<Req, Res> implements LoadService<Req, Res> {
  readonly layerName = 'pendingRequests'
  #pending = 0
  constructor(
    readonly inner: Service<Req, Res>,
    private readonly completion: Completion<Res>,
  ) {}
  load(): number {
    return this.#pending
  }
  /** Forwards readiness, and the optional abort signal, to the inner service. */
  ready(signal?: AbortSignal): Ready {
    return readyWith(this.inner, signal)
  }
  call(req: Req): Promise<Res> {
    this.#pending++
    let open = true
    const handle: CompletionHandle = {
      done: () => {
        if (open) {
          open = false
          this.#pending--
        }
      },
    }
    return track(this.inner, req, handle, this.completion)
  }
}

/**
 * Load = the number of calls in flight (tower's `PendingRequests`).
 *
 * @example
 * ```ts
 * const lb = balance(pendingRequestsDiscover(serviceList(replicas)))
 * ```
 */
export function pendingRequests(
  options?: PendingRequestsOptions<never>,
): <Req, Res>(inner: Service<Req, Res>) => LoadService<Req, Res>
export function pendingRequests<Res>(
  options: PendingRequestsOptions<Res>,
): <Req>(inner: Service<Req, Res>) => LoadService<Req, Res>
export function pendingRequests(
  options: { readonly completion?: unknown } = {},
): <Req, Res>(inner: Service<Req, Res>) => LoadService<Req, Res> {
  const completion = (options.completion as Completion<unknown> | undefined) ?? completeOnResponse
  return function pendingRequests<Req, Res>(inner: Service<Req, Res>): LoadService<Req, Res> {
    return new PendingRequests(inner, completion as Completion<Res>)
  }
}

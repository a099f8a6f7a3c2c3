import type { Layered, Service } from '../service'

/** A service that reports its load: lower is preferred by `balance` (tower's `Load`). */
export interface Load {
  /** The current load metric. */
  load(): number
}

/** A service with a load metric, built by the layers of this module. */
export interface LoadService<Req, Res> extends Service<Req, Res>, Layered, Load {
  readonly inner: Service<Req, Res>
}

/** Marks the end of one tracked call; calling `done()` more than once has no further effect. */
export interface CompletionHandle {
  /** The call is complete: stop counting it. */
  done(): void
}

/**
 * Decides when a call stops counting towards the load (tower's `TrackCompletion`). It receives
 * the response and the call's handle and returns the response to hand out; the default calls
 * `handle.done()` as soon as the response arrives. Keep the handle (for example in a streamed
 * body) to count the call until later.
 */
export type Completion<Res> = (res: Res, handle: CompletionHandle) => Res

export function completeOnResponse<Res>(res: Res, handle: CompletionHandle): Res {
  handle.done()
  return res
}

/** Calls `inner` and hands its outcome to `completion` (failures complete at once). */
export function track<Req, Res>(
  inner: Service<Req, Res>,
  req: Req,
  handle: CompletionHandle,
  completion: Completion<Res>,
) {
  let res: Promise<Res>
  try {
    res = inner.call(req)
  } catch (error) {
    handle.done()
    return Promise.reject(error)
  }
  return res.then(
    (value) => completion(value, handle),
    (error: unknown) => {
      handle.done()
      throw error
    },
  )
}

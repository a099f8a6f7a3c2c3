/**
 * `requestBodyLimit`: refuses request bodies over a size with `413 Payload Too Large`.
 * @module
 */
import { type Next, PassThrough, TurretError, type TurretErrorOptions } from '@turret/core'
import { withRequest } from '../extensions/index'
import type { HttpService } from '../types'
import { textResponse } from '../util/response'

/** A request body stream went past the limit (the error the inner service sees when it reads on). */
export class LengthLimitError extends TurretError {
  override name = 'LengthLimitError'
  override readonly code = 'ERR_LENGTH_LIMIT'
  constructor(message = 'length limit exceeded', options?: TurretErrorOptions) {
    super(message, options)
  }
}

function payloadTooLarge(): Response {
  return textResponse(413, 'length limit exceeded')
}

/** A body stream that errors with `LengthLimitError` once more than `limit` bytes went through. */
function limited(body: ReadableStream<Uint8Array>, limit: number, onTrip: () => void): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  let seen = 0
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= body.getReader()
        const { done, value } = await reader.read()
        if (done) {
          controller.close()
          return
        }
        seen += value.byteLength
        if (seen > limit) {
          onTrip()
          const error = new LengthLimitError()
          reader.cancel(error).catch(() => {})
          controller.error(error)
          return
        }
        controller.enqueue(value)
      },
      cancel(reason) {
        return (reader ?? body).cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
}

class RequestBodyLimit extends PassThrough<Request, Response> {
  readonly layerName = 'requestBodyLimit'
  constructor(
    inner: HttpService,
    private readonly limit: number,
  ) {
    super(inner)
  }

  protected handle(req: Request, next: Next<Request, Response>): Promise<Response> {
    const header = req.headers.get('content-length')
    let limit = this.limit
    if (header !== null && /^\d+$/.test(header)) {
      const length = Number(header)
      if (length > limit) {
        // Answered without reading: let go of the body.
        req.body?.cancel().catch(() => {})
        return Promise.resolve(payloadTooLarge())
      }
      limit = length // a body longer than its Content-Length is cut off too
    }
    const body = req.body
    if (body === null) return next(req)
    let tripped = false
    let counted: Request
    try {
      counted = withRequest(req, req.url, {
        body: limited(body, limit, () => {
          tripped = true
        }),
        duplex: 'half',
      } as RequestInit)
    } catch (error) {
      return Promise.reject(error)
    }
    return next(counted).then(
      (res) => {
        if (tripped && res.status >= 500) {
          res.body?.cancel().catch(() => {})
          return payloadTooLarge()
        }
        return res
      },
      (error: unknown) => {
        if (tripped) return payloadTooLarge()
        throw error
      },
    )
  }
}

/**
 * Limits request bodies to `bytes`. A `Content-Length` over the limit is answered `413` (body
 * `length limit exceeded`) at once, without calling the inner service. Otherwise the body is
 * streamed through a counter — whether `Content-Length` is absent, honest or lying — and reading
 * past the limit (or past the declared length) fails the inner read with {@link LengthLimitError};
 * if the inner call then rejects, or answers a 5xx (a framework's error handler), the answer is
 * `413` instead.
 *
 * @example
 * ```ts
 * requestBodyLimit(1024 * 1024)(fromFetch(app)) // 1 MiB
 * ```
 */
export function requestBodyLimit(bytes: number): (inner: HttpService) => HttpService {
  if (!(Number.isInteger(bytes) && bytes >= 0))
    throw new RangeError(`requestBodyLimit: bytes must be an integer >= 0, got ${bytes}`)
  return function requestBodyLimit(inner: HttpService): HttpService {
    return new RequestBodyLimit(inner, bytes)
  }
}

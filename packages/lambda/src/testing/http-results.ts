/**
 * Decoders from a function's HTTP results (buffered or streamed) back to HTTP responses, as each event source
 * reads them.
 * @module
 */
import { Buffer } from 'node:buffer'
import type { HttpEventSource, LambdaHttpResult } from '../http/types'

const NULL_BODY = new Set([101, 103, 204, 205, 304])

/** An HTTP response decoded from a Lambda result: status, header lines in order (repeats kept), body bytes. */
export interface DecodedHttpResult {
  /** The HTTP status. */
  readonly status: number
  /** `[name, value]` pairs, names lower-cased; `set-cookie` once per cookie. */
  readonly headers: ReadonlyArray<readonly [string, string]>
  /** The body, base64-decoded when `isBase64Encoded`. */
  readonly body: Buffer
}

type ResultShape = {
  statusCode?: unknown
  headers?: Record<string, unknown> | null
  multiValueHeaders?: Record<string, unknown[] | null> | null
  cookies?: unknown[] | null
  body?: unknown
  isBase64Encoded?: unknown
}

/**
 * Decodes a function's result the way `source` turns it into an HTTP response: API Gateway HTTP API and Function
 * URLs take any non-`statusCode` JSON as a `200 application/json` body and read `cookies`; REST and ALB read
 * `multiValueHeaders` (over `headers`); a body that is not a string is sent as JSON. `undefined` means the source
 * cannot use the result (no or an invalid `statusCode` where one is required): it answers with its own error.
 * Without a `source`, every field is read and a missing `statusCode` means 200.
 *
 * @example
 * ```ts
 * decodeHttpResult({ statusCode: 201, cookies: ['a=1'], body: 'ok' }, 'apigw-v2')?.status // 201
 * decodeHttpResult({ hello: 'world' }, 'apigw-v1') // undefined: REST needs a statusCode
 * ```
 */
export function decodeHttpResult(result: unknown, source?: HttpEventSource): DecodedHttpResult | undefined {
  const v2 = source === 'apigw-v2' || source === 'function-url'
  const shaped = typeof result === 'object' && result !== null && !Array.isArray(result) && 'statusCode' in result
  if (!shaped && source !== undefined) {
    if (!v2) return undefined
    const body = typeof result === 'string' ? result : JSON.stringify(result)
    return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body ?? '') }
  }
  const r = (typeof result === 'object' && result !== null ? result : {}) as ResultShape
  const status = r.statusCode === undefined && source === undefined ? 200 : Number(r.statusCode)
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined
  const lines = new Map<string, string[]>()
  const add = (name: string, value: unknown) => {
    const key = name.toLowerCase()
    lines.set(key, [...(lines.get(key) ?? []), String(value)])
  }
  for (const [name, value] of Object.entries(r.headers ?? {})) if (value != null) add(name, value)
  if (!v2) {
    for (const [name, values] of Object.entries(r.multiValueHeaders ?? {})) {
      lines.delete(name.toLowerCase())
      for (const value of values ?? []) add(name, value)
    }
  }
  if (source === undefined || v2) for (const cookie of r.cookies ?? []) add('set-cookie', cookie)
  const raw = r.body == null ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body)
  const body = r.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8')
  const headers = [...lines].flatMap(([name, values]) => values.map((value) => [name, value] as const))
  return { status, headers, body }
}

/**
 * Decodes a streamed HTTP integration response (`application/vnd.awslambda.http-integration-response`): the JSON
 * prelude `{ statusCode, headers, cookies }`, 8 NUL bytes, then the body. `undefined` when there is no valid prelude.
 *
 * @example
 * ```ts
 * const fake = fakeAwsLambda()
 * // … run a streaming handler with fake.aws …
 * decodeStreamedHttpResult(fake.wire)?.status
 * ```
 */
export function decodeStreamedHttpResult(bytes: Uint8Array): DecodedHttpResult | undefined {
  const payload = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const separator = payload.indexOf(Buffer.alloc(8))
  if (separator < 0) return undefined
  let prelude: unknown
  try {
    prelude = JSON.parse(payload.subarray(0, separator).toString('utf8'))
  } catch {
    return undefined
  }
  if (typeof prelude !== 'object' || prelude === null || Array.isArray(prelude)) return undefined
  const p = prelude as { statusCode?: unknown; headers?: Record<string, unknown> | null; cookies?: unknown[] | null }
  const headers: Array<readonly [string, string]> = []
  for (const [name, value] of Object.entries(p.headers ?? {})) headers.push([name.toLowerCase(), String(value)])
  for (const cookie of p.cookies ?? []) headers.push(['set-cookie', String(cookie)])
  const status = typeof p.statusCode === 'number' && p.statusCode ? p.statusCode : 200
  return { status, headers, body: payload.subarray(separator + 8) }
}

/**
 * Decodes a Lambda HTTP result back into a `Response` (headers, multi-value headers, cookies, base64 bodies),
 * for asserting on what a client would receive. With a `source`, the result is read as that event source reads
 * it (see {@link decodeHttpResult}); a result the source cannot use throws a `TypeError`.
 *
 * @example
 * ```ts
 * const res = resultToResponse(await oneshot(httpAdapter()(app), lambdaEvent(apigwV2Event())))
 * expect(await res.text()).toBe('hello')
 * ```
 */
export function resultToResponse(result: LambdaHttpResult, source?: HttpEventSource): Response {
  const decoded = decodeHttpResult(result, source)
  if (decoded === undefined) throw new TypeError(`the result is not one ${source ?? 'an HTTP event source'} can send`)
  const headers = new Headers()
  for (const [name, value] of decoded.headers) headers.append(name, value)
  const { status, body } = decoded
  return new Response(NULL_BODY.has(status) || body.length === 0 ? null : new Uint8Array(body), { status, headers })
}

import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { BodyTooLarge, decodePath, header, MAX_SYNC_PAYLOAD, readBody, sendJson } from '@turret/lambda/internal'
import type { Invocations } from './invocations'
import type { EmulatorInvokeOptions, EmulatorInvokeResult } from './types'

export { MAX_SYNC_PAYLOAD }
/** Lambda's limit on an asynchronous (`Event`) invocation's payload: 1 MB. */
export const MAX_ASYNC_PAYLOAD = 1024 * 1024

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/

/** The Lambda control plane's error shape (restJson1): `x-amzn-ErrorType` header and `{ Type, message }` body. */
export function apiError(res: ServerResponse, status: number, errorType: string, message: string): void {
  sendJson(
    res,
    status,
    { Type: status >= 500 ? 'Service' : 'User', message },
    { 'x-amzn-errortype': errorType, 'x-amzn-requestid': randomUUID() },
  )
}

/** Who the Invoke API answers for. */
export interface InvokeApiOptions {
  readonly functionName: string
  readonly functionArn: string
  readonly accountId: string
  readonly invocations: Invocations
}

/**
 * Lambda's Invoke API (`POST /2015-03-31/functions/<name>/invocations`, what `@aws-sdk/client-lambda` and the AWS
 * CLI call): RequestResponse, Event and DryRun, payload limits, client context, `LogType: Tail`.
 */
export class InvokeApi {
  constructor(readonly options: InvokeApiOptions) {}

  /** Serves an Invoke API request; resolves `false` when the path is not the Invoke API's. */
  async route(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const match = INVOKE.exec(path)
    if (!match) return false
    if (req.method !== 'POST') apiError(res, 405, 'MethodNotAllowed', 'use POST')
    else await this.#invoke(req, res, match[1] as string)
    return true
  }

  /** Whether `base` names this function (its name, its ARN, or `<account>:function:<name>`). */
  #matches(base: string | undefined): boolean {
    const { functionName, functionArn, accountId } = this.options
    return base === functionName || base === functionArn || base === `${accountId}:function:${functionName}`
  }

  async #invoke(req: IncomingMessage, res: ServerResponse, rawName: string): Promise<void> {
    const name = decodePath(rawName)
    if (name === undefined) {
      req.resume()
      return apiError(res, 400, 'ValidationException', 'the function name is not valid percent-encoding')
    }
    const [base, nameQualifier] = name.startsWith('arn:')
      ? [name.split(':').slice(0, 7).join(':'), name.split(':')[7]]
      : name.includes(':function:')
        ? [name.split(':').slice(0, 3).join(':'), name.split(':')[3]]
        : name.split(':')
    if (!this.#matches(base)) {
      req.resume()
      return apiError(res, 404, 'ResourceNotFoundException', `Function not found: ${name}`)
    }
    const url = new URL(req.url ?? '/', 'http://localhost')
    const qualifier = url.searchParams.get('Qualifier') ?? nameQualifier
    const type = header(req, 'x-amz-invocation-type') ?? 'RequestResponse'
    if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
      req.resume()
      return apiError(res, 400, 'InvalidParameterValueException', `Unsupported InvocationType: ${type}`)
    }
    const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD
    let body: Buffer
    try {
      body = await readBody(req, limit)
    } catch (error) {
      if (error instanceof BodyTooLarge)
        return apiError(
          res,
          413,
          'RequestTooLargeException',
          `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
        )
      throw error
    }
    if (body.length === 0) body = Buffer.from('{}')
    try {
      JSON.parse(body.toString('utf8'))
    } catch (error) {
      return apiError(
        res,
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${(error as Error).message}`,
      )
    }
    let clientContext: unknown
    const encodedContext = header(req, 'x-amz-client-context')
    if (encodedContext) {
      try {
        clientContext = JSON.parse(Buffer.from(encodedContext, 'base64').toString('utf8'))
      } catch {
        return apiError(res, 400, 'InvalidRequestContentException', 'Client context must be base64-encoded JSON')
      }
    }
    const common = { 'x-amz-executed-version': '$LATEST' }
    if (type === 'DryRun') return void res.writeHead(204, common).end()
    const invokeOptions: EmulatorInvokeOptions = {
      qualifier: qualifier || undefined,
      clientContext,
      traceId: header(req, 'x-amzn-trace-id'),
    }
    const pending = this.options.invocations.enqueue(body, invokeOptions)
    if (type === 'Event') {
      pending.catch(() => {})
      return void res.writeHead(202, { ...common, 'content-length': 0 }).end()
    }
    let result: EmulatorInvokeResult
    try {
      result = await pending
    } catch (error) {
      return apiError(res, 500, 'ServiceException', (error as Error).message)
    }
    const headers: Record<string, string | number> = {
      ...common,
      'content-type': 'application/json',
      'content-length': result.payload.length,
      'x-amzn-requestid': result.requestId,
    }
    if (result.functionError) headers['x-amz-function-error'] = result.functionError
    if (header(req, 'x-amz-log-type') === 'Tail') {
      const logs = Buffer.from(result.logs)
      headers['x-amz-log-result'] = logs.subarray(Math.max(0, logs.length - 4096)).toString('base64')
    }
    res.writeHead(200, headers).end(result.payload)
  }
}

import { request } from 'node:http'
import { TestClock } from '@turret/core/testing'
import { describe, expect, it } from 'vitest'
import { type Emulator, MAX_SYNC_PAYLOAD, startEmulator } from './index'
import { start } from './support.test-util'

interface Next {
  readonly id: string
  readonly headers: Headers
  readonly event: unknown
}

async function next(emu: Emulator): Promise<Next> {
  const res = await fetch(`${emu.url}/2018-06-01/runtime/invocation/next`)
  expect(res.status).toBe(200)
  const id = res.headers.get('lambda-runtime-aws-request-id') as string
  return { id, headers: res.headers, event: await res.json() }
}

function post(
  emu: Emulator,
  path: string,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
) {
  return fetch(`${emu.url}/2018-06-01/runtime/${path}`, { method: 'POST', body, headers })
}

/** POSTs a chunked, streaming response with optional error trailers through node:http. */
function postStream(
  emu: Emulator,
  id: string,
  chunks: string[],
  trailers?: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      'Lambda-Runtime-Function-Response-Mode': 'streaming',
      'Transfer-Encoding': 'chunked',
      'Content-Type': 'application/octet-stream',
    }
    if (trailers) headers.Trailer = Object.keys(trailers).join(', ')
    const url = new URL(`${emu.url}/2018-06-01/runtime/invocation/${id}/response`)
    const req = request(url, { method: 'POST', headers }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (c: string) => {
        body += c
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    for (const chunk of chunks) req.write(chunk)
    if (trailers) req.addTrailers(trailers)
    req.end()
  })
}

describe('startEmulator: Runtime API', () => {
  it('listens on 127.0.0.1 and exposes the AWS_LAMBDA_RUNTIME_API value and Lambda environment', async () => {
    const emu = await start({ memory: 256, env: { FOO: 'bar' } })
    expect(emu.runtimeApi).toMatch(/^127\.0\.0\.1:\d+$/)
    expect(emu.url).toBe(`http://${emu.runtimeApi}`)
    expect(emu.env).toMatchObject({
      AWS_LAMBDA_RUNTIME_API: emu.runtimeApi,
      AWS_LAMBDA_FUNCTION_NAME: 'fn',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/fn',
      AWS_REGION: 'us-east-1',
      FOO: 'bar',
    })
    expect(emu.env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/)
  })

  it('long-polls /next and delivers the event with every invocation header', async () => {
    const emu = await start({ timeoutMs: 5_000 })
    const polling = next(emu)
    const before = Date.now()
    const result = emu.invoke(
      { hello: 'world' },
      {
        clientContext: { client: { app_title: 'x' }, custom: { a: 1 } },
        identity: { cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' },
        traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1',
        qualifier: 'live',
        tenantId: 'tenant-7',
      },
    )
    const { id, headers, event } = await polling
    expect(event).toEqual({ hello: 'world' })
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    const deadline = Number(headers.get('lambda-runtime-deadline-ms'))
    expect(deadline).toBeGreaterThanOrEqual(before + 5_000)
    expect(deadline).toBeLessThanOrEqual(Date.now() + 5_000)
    expect(headers.get('lambda-runtime-invoked-function-arn')).toBe(
      'arn:aws:lambda:us-east-1:123456789012:function:fn:live',
    )
    expect(headers.get('lambda-runtime-trace-id')).toBe(
      'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1',
    )
    expect(JSON.parse(headers.get('lambda-runtime-client-context') as string)).toEqual({
      client: { app_title: 'x' },
      custom: { a: 1 },
    })
    expect(JSON.parse(headers.get('lambda-runtime-cognito-identity') as string)).toEqual({
      cognitoIdentityId: 'id-1',
      cognitoIdentityPoolId: 'pool-1',
    })
    expect(headers.get('lambda-runtime-aws-tenant-id')).toBe('tenant-7')
    const accepted = await post(emu, `invocation/${encodeURIComponent(id)}/response`, '{"ok":true}')
    expect(accepted.status).toBe(202)
    const res = await result
    expect(res.requestId).toBe(id)
    expect(res.functionError).toBeUndefined()
    expect(res.json()).toEqual({ ok: true })
  })

  it('generates a fresh X-Ray trace header and no client context or identity headers by default', async () => {
    const emu = await start()
    emu.invoke({}).catch(() => {})
    const { headers } = await next(emu)
    expect(headers.get('lambda-runtime-trace-id')).toMatch(
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
    )
    expect(headers.get('lambda-runtime-client-context')).toBeNull()
    expect(headers.get('lambda-runtime-cognito-identity')).toBeNull()
    expect(headers.get('lambda-runtime-invoked-function-arn')).toBe('arn:aws:lambda:us-east-1:123456789012:function:fn')
  })

  it('queues invocations until the runtime asks, and serves them in order, one per /next', async () => {
    const emu = await start()
    const a = emu.invoke({ n: 1 })
    const b = emu.invoke({ n: 2 })
    const first = await next(emu)
    expect(first.event).toEqual({ n: 1 })
    await post(emu, `invocation/${first.id}/response`, '1')
    const second = await next(emu)
    expect(second.event).toEqual({ n: 2 })
    await post(emu, `invocation/${second.id}/response`, '2')
    expect((await a).json()).toBe(1)
    expect((await b).json()).toBe(2)
  })

  it('reports /error as a function error with the runtime’s error document, verbatim', async () => {
    const emu = await start()
    const result = emu.invoke({})
    const { id } = await next(emu)
    const doc = { errorType: 'TypeError', errorMessage: 'boom', trace: ['TypeError: boom', '    at x'] }
    const res = await post(emu, `invocation/${id}/error`, JSON.stringify(doc), {
      'Lambda-Runtime-Function-Error-Type': 'TypeError',
      'Content-Type': 'application/vnd.aws.lambda.error+json',
    })
    expect(res.status).toBe(202)
    const out = await result
    expect(out.functionError).toBe('Unhandled')
    expect(out.error).toEqual(doc)
    expect(out.json()).toEqual(doc)
  })

  it('builds the error from the Error-Type header when the error body is unreadable', async () => {
    const emu = await start()
    const result = emu.invoke({})
    const { id } = await next(emu)
    await post(emu, `invocation/${id}/error`, '', { 'Lambda-Runtime-Function-Error-Type': 'Runtime.Unknown' })
    const out = await result
    expect(out.functionError).toBe('Unhandled')
    expect(out.error).toEqual({ errorType: 'Runtime.Unknown', errorMessage: '' })
  })

  it('answers 400 InvalidRequestID for an unknown id, 403 InvalidStateTransition for a second response to the same id', async () => {
    const emu = await start()
    const unknown = await post(emu, 'invocation/not-a-real-id/response', '{}')
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toEqual({ errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' })
    const result = emu.invoke({})
    const { id } = await next(emu)
    expect((await post(emu, `invocation/${id}/response`, '"once"')).status).toBe(202)
    const again = await post(emu, `invocation/${id}/response`, '"twice"')
    expect(again.status).toBe(403)
    expect(((await again.json()) as { errorType: string }).errorType).toBe('InvalidStateTransition')
    const error = await post(emu, `invocation/${id}/error`, '{}')
    expect(error.status).toBe(403)
    expect((await result).json()).toBe('once')
  })

  it('answers 4xx, not 500, to a malformed %-escape in a request id or a function name', async () => {
    const emu = await start()
    const id = await post(emu, 'invocation/bad%E0%A4%A/response', '{}')
    expect(id.status).toBe(400)
    expect(((await id.json()) as { errorType: string }).errorType).toBe('InvalidRequestID')
    const invoke = await fetch(`${emu.url}/2015-03-31/functions/bad%E0%A4%A/invocations`, {
      method: 'POST',
      body: '{}',
    })
    expect(invoke.status).toBe(400)
    expect(invoke.headers.get('x-amzn-errortype')).toBe('ValidationException')
    expect(((await invoke.json()) as { Type: string }).Type).toBe('User')
  })

  it('rejects a response over 6 MB with 413 and fails the invocation with Function.ResponseSizeTooLarge', async () => {
    const emu = await start()
    const result = emu.invoke({})
    const { id } = await next(emu)
    const res = await post(emu, `invocation/${id}/response`, new Uint8Array(MAX_SYNC_PAYLOAD + 1024))
    expect(res.status).toBe(413)
    expect(((await res.json()) as { errorType: string }).errorType).toBe('RequestEntityTooLarge')
    const out = await result
    expect(out.functionError).toBe('Unhandled')
    expect(out.error?.errorType).toBe('Function.ResponseSizeTooLarge')
  })

  it('accepts a response of exactly 6 MB', async () => {
    const emu = await start()
    const result = emu.invoke({})
    const { id } = await next(emu)
    const body = `"${'x'.repeat(MAX_SYNC_PAYLOAD - 2)}"`
    expect((await post(emu, `invocation/${id}/response`, body)).status).toBe(202)
    expect((await result).payload.length).toBe(MAX_SYNC_PAYLOAD)
  })

  it('answers 400 for a Response-Mode other than streaming', async () => {
    const emu = await start()
    emu.invoke({}).catch(() => {})
    const { id } = await next(emu)
    const res = await post(emu, `invocation/${id}/response`, '{}', {
      'Lambda-Runtime-Function-Response-Mode': 'buffered',
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { errorType: string }).errorType).toBe('InvalidFunctionResponseMode')
  })

  it('collects a streamed (chunked) response', async () => {
    const emu = await start()
    const result = emu.invoke({})
    const { id } = await next(emu)
    const res = await postStream(emu, id, ['hello ', 'streaming ', 'world'])
    expect(res.status).toBe(202)
    const out = await result
    expect(out.streamed).toBe(true)
    expect(out.functionError).toBeUndefined()
    expect(out.text()).toBe('hello streaming world')
    expect(out.contentType).toBe('application/octet-stream')
  })

  it('turns error trailers of a streamed response into a function error (Error-Body is base64 JSON)', async () => {
    const emu = await start()
    const result = emu.invoke({})
    const { id } = await next(emu)
    const doc = { errorType: 'Error', errorMessage: 'mid-stream failure', trace: [] }
    const res = await postStream(emu, id, ['partial'], {
      'Lambda-Runtime-Function-Error-Type': 'Error',
      'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(doc)).toString('base64'),
    })
    expect(res.status).toBe(202)
    const out = await result
    expect(out.streamed).toBe(true)
    expect(out.functionError).toBe('Unhandled')
    expect(out.error).toEqual(doc)
  })

  it('onStream hands a streamed body to the invoker as it arrives; trailers still give the outcome', async () => {
    const emu = await start()
    let received = ''
    let type: string | undefined
    const result = emu.invoke(
      {},
      {
        onStream: (body, contentType) => {
          type = contentType
          body.setEncoding('utf8').on('data', (chunk: string) => {
            received += chunk
          })
        },
      },
    )
    const { id } = await next(emu)
    await postStream(emu, id, ['a', 'b', 'c'])
    const out = await result
    expect(received).toBe('abc')
    expect(type).toBe('application/octet-stream')
    expect(out.streamed).toBe(true)
    expect(out.payload.length).toBe(0)
    const failing = emu.invoke({}, { onStream: (body) => body.resume() })
    const second = await next(emu)
    await postStream(emu, second.id, ['x'], {
      'Lambda-Runtime-Function-Error-Type': 'Error',
      'Lambda-Runtime-Function-Error-Body': Buffer.from('{"errorType":"Error","errorMessage":"late"}').toString(
        'base64',
      ),
    })
    expect((await failing).error).toEqual({ errorType: 'Error', errorMessage: 'late' })
  })

  it('serves an init error in response to the first invoke', async () => {
    const emu = await start()
    const res = await post(
      emu,
      'init/error',
      JSON.stringify({ errorType: 'Runtime.ImportModuleError', errorMessage: 'no' }),
      {
        'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError',
      },
    )
    expect(res.status).toBe(202)
    const out = await emu.invoke({})
    expect(out.functionError).toBe('Unhandled')
    expect(out.error).toEqual({ errorType: 'Runtime.ImportModuleError', errorMessage: 'no' })
  })

  it('enforces the deadline: Task timed out, and a late response gets 410', async () => {
    const clock = new TestClock()
    const emu = await start({ timeoutMs: 1_000, clock })
    const result = emu.invoke({})
    const { id } = await next(emu)
    await clock.advance(999)
    let settled = false
    void result.then(() => {
      settled = true
    })
    await Promise.resolve()
    expect(settled).toBe(false)
    await clock.advance(1)
    const out = await result
    expect(out.functionError).toBe('Unhandled')
    expect(out.error).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${id} Error: Task timed out after 1.00 seconds`,
    })
    const late = await post(emu, `invocation/${id}/response`, '{}')
    expect(late.status).toBe(410)
    expect(((await late.json()) as { errorType: string }).errorType).toBe('InvokeTimeout')
  })

  it('close() rejects pending invocations and ends parked /next polls', async () => {
    const emu = await startEmulator()
    const pending = emu.invoke({})
    const { id } = await next(emu)
    expect(id).toBeTruthy()
    const parked = fetch(`${emu.url}/2018-06-01/runtime/invocation/next`).then(
      () => 'answered',
      () => 'dropped',
    )
    await new Promise((r) => setTimeout(r, 20))
    await emu.close()
    await expect(pending).rejects.toMatchObject({ name: 'ClosedError' })
    expect(await parked).toBe('dropped')
    await expect(emu.invoke({})).rejects.toMatchObject({ name: 'ClosedError' })
  })

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    const emu = await start()
    expect((await fetch(`${emu.url}/nope`)).status).toBe(404)
    expect((await fetch(`${emu.url}/2018-06-01/runtime/invocation/next`, { method: 'POST' })).status).toBe(405)
  })
})

describe('startEmulator: managed runtime process', () => {
  it('fails the waiting invocation when the runtime never reaches /next within initTimeoutMs', async () => {
    const clock = new TestClock()
    const emu = await start({
      clock,
      initTimeoutMs: 10_000,
      command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
      onOutput: () => {},
    })
    const result = emu.invoke({})
    await new Promise((r) => setTimeout(r, 20))
    await clock.advance(10_000)
    const out = await result
    expect(out.functionError).toBe('Unhandled')
    expect(out.error?.errorType).toBe('Sandbox.Timedout')
    expect(out.error?.errorMessage).toMatch(/Init timed out after 10\.00 seconds$/)
  })

  it('a runtime that exits before its first /next fails the invocation waiting for it with Runtime.ExitError', async () => {
    const emu = await start({ command: [process.execPath, '-e', 'process.exit(7)'], onOutput: () => {} })
    const out = await emu.invoke({})
    expect(out.error).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${out.requestId} Error: Runtime exited with error: exit status 7`,
    })
  }, 15_000)
})

import { request } from 'node:http'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { run } from '../runtime/index'
import { decodeStreamedHttpResult, type RuntimeApiServer, startRuntimeApiServer } from '../testing/index'
import { fromManagedHandler, HTTP_INTEGRATION_CONTENT_TYPE, managedAwsLambda, streamified } from './index'

let api: RuntimeApiServer
let controller: AbortController
let done: Promise<void>
beforeEach(async () => {
  api = await startRuntimeApiServer()
  controller = new AbortController()
})
afterEach(async () => {
  controller.abort()
  await done
  await api.close()
})

type Handler = Parameters<typeof fromManagedHandler>[0]
function serve(handler: unknown): void {
  const exit = vi.fn()
  done = run(fromManagedHandler(handler as Handler), {
    runtimeApi: api.endpoint,
    env: {},
    exit,
    logger: { error: () => {} },
    signal: controller.signal,
  })
}

describe('fromManagedHandler under run(): the runtime of turret dev', () => {
  it('promise and callback handlers answer on /response', async () => {
    serve(async (event: { n: number }) => ({ n: event.n + 1 }))
    expect((await api.invoke({ n: 1 })).json()).toEqual({ n: 2 })
  })

  it('a callback handler answers through the callback; its error goes to /error', async () => {
    serve((event: { fail?: boolean }, _context: unknown, callback: (e: unknown, r?: unknown) => void) => {
      setImmediate(() => (event.fail ? callback(new TypeError('nope')) : callback(null, 'ok')))
    })
    expect((await api.invoke({})).json()).toBe('ok')
    const failed = await api.invoke({ fail: true })
    expect(failed.kind).toBe('error')
    expect(failed.json()).toMatchObject({ errorType: 'TypeError', errorMessage: 'nope' })
  })

  it('a streamifyResponse handler streams: HttpResponseStream.from sets the prelude and content type', async () => {
    const handler = managedAwsLambda.streamifyResponse(async (_event, stream) => {
      const http = managedAwsLambda.HttpResponseStream.from(stream, {
        statusCode: 201,
        headers: { 'content-type': 'text/plain' },
        cookies: ['a=1'],
      })
      http.write('hello ')
      http.write('world')
      http.end()
    })
    expect(streamified(handler)).toEqual({ highWaterMark: undefined })
    serve(handler)
    const post = await api.invoke({})
    expect(post.headers['lambda-runtime-function-response-mode']).toBe('streaming')
    expect(post.headers['content-type']).toBe(HTTP_INTEGRATION_CONTENT_TYPE)
    const decoded = decodeStreamedHttpResult(post.body)
    expect(decoded?.status).toBe(201)
    expect(decoded?.headers).toEqual([
      ['content-type', 'text/plain'],
      ['set-cookie', 'a=1'],
    ])
    expect(decoded?.body.toString()).toBe('hello world')
  })

  it('a streaming handler that fails before writing reports to /error; after writing, in the error trailers', async () => {
    serve(
      managedAwsLambda.streamifyResponse(async (event: { late?: boolean }, stream) => {
        if (event.late) {
          stream.write('partial')
          await new Promise((r) => setImmediate(r))
        }
        throw new RangeError(event.late ? 'late' : 'early')
      }),
    )
    const early = await api.invoke({})
    expect(early.kind).toBe('error')
    expect(early.json()).toMatchObject({ errorType: 'RangeError', errorMessage: 'early' })
    const late = await api.invoke({ late: true })
    expect(late.kind).toBe('response')
    expect(late.body.toString()).toBe('partial')
    expect(late.trailers['lambda-runtime-function-error-type']).toBe('RangeError')
  })

  it('a streaming handler that returns without ending the stream ends it', async () => {
    serve(
      managedAwsLambda.streamifyResponse(async (_event, stream) => {
        stream.write('no end')
      }),
    )
    const post = await api.invoke({})
    expect([post.headers['content-type'], post.body.toString()]).toEqual(['application/octet-stream', 'no end'])
  })
})

describe('the shared Runtime API (RAPID answers) behind startRuntimeApiServer', () => {
  function post(path: string, body = '{}'): Promise<number> {
    const [host, port] = api.endpoint.split(':') as [string, string]
    return new Promise((resolve, reject) => {
      const req = request({ host, port, method: 'POST', path }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end(body)
    })
  }

  it('an unknown request id is 400, a second answer 403, an unknown path 404', async () => {
    done = Promise.resolve()
    expect(await post('/2018-06-01/runtime/invocation/nope/response')).toBe(400)
    const invoked = api.invoke({})
    const next = await fetch(`http://${api.endpoint}/2018-06-01/runtime/invocation/next`)
    const id = next.headers.get('lambda-runtime-aws-request-id') as string
    await next.arrayBuffer()
    expect(await post(`/2018-06-01/runtime/invocation/${id}/response`, '"ok"')).toBe(202)
    expect((await invoked).json()).toBe('ok')
    expect(await post(`/2018-06-01/runtime/invocation/${id}/response`, '"again"')).toBe(403)
    expect(await post('/2018-06-01/elsewhere')).toBe(404)
  })
})

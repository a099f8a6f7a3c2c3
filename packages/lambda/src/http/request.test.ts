import { extensions, key, withRequest } from '@turret/http'
import { globalsInstalled, installGlobals } from '@turret/http/internal'
import { describe, expect, it } from 'vitest'
import { mockContext } from '../testing/context'
import { albEvent, apigwV1Event, apigwV2Event, functionUrlEvent, websocketEvent } from '../testing/index'
import { eventToRequest } from './adapter'
import { lambdaContext, type StagePath } from './index'
import { detectSource, normalizeUrl } from './request'

function toRequest(payload: unknown, stagePath?: StagePath): Request {
  const converted = eventToRequest({ payload: payload as never, context: mockContext() }, stagePath)
  if (!('request' in converted)) throw new Error(converted.message)
  return converted.request
}

describe('source detection', () => {
  it('recognises each source from its shape (lambda_http / Hono getProcessor cases)', () => {
    expect(detectSource(apigwV1Event())).toBe('apigw-v1')
    expect(detectSource(apigwV2Event())).toBe('apigw-v2')
    expect(detectSource(functionUrlEvent())).toBe('function-url')
    expect(detectSource(albEvent())).toBe('alb')
    expect(detectSource(albEvent({ multiValue: true }))).toBe('alb')
    expect(detectSource(websocketEvent({ eventType: 'CONNECT' }))).toBe('websocket')
    expect(detectSource(websocketEvent({ eventType: 'MESSAGE' }))).toBe('websocket')
    expect(detectSource(websocketEvent({ eventType: 'DISCONNECT' }))).toBe('websocket')
    // no requestContext at all → v1 (Hono: "no requestContext → V1")
    expect(detectSource({ httpMethod: 'GET', path: '/' })).toBe('apigw-v1')
    // A REST event behind a custom-domain base-path mapping also carries rawPath: still v1 (Hono test)
    expect(detectSource({ ...apigwV1Event(), rawPath: '/base/hello' })).toBe('apigw-v1')
    expect(detectSource({ Records: [] })).toBeUndefined()
    expect(detectSource('hello')).toBeUndefined()
    expect(detectSource(null)).toBeUndefined()
  })
})

describe('URL', () => {
  it('takes the Host header over domainName, and x-forwarded-proto (https by default)', () => {
    const ev = apigwV1Event({ path: '/a', host: 'api.example.com' })
    ev.requestContext.domainName = 'other.execute-api.us-east-1.amazonaws.com'
    expect(toRequest(ev).url).toBe('https://api.example.com/a')
    expect(
      toRequest(apigwV1Event({ path: '/a', host: 'api.example.com', headers: { 'X-Forwarded-Proto': 'http' } })).url,
    ).toBe('http://api.example.com/a')
    const noProto = apigwV2Event({ path: '/b', host: 'x.example.com' })
    delete noProto.headers['x-forwarded-proto']
    expect(toRequest(noProto).url).toBe('https://x.example.com/b')
  })

  it('falls back to domainName, and to http://localhost (path kept) without any host', () => {
    const v2 = apigwV2Event({ path: '/c' })
    delete v2.headers.host
    expect(toRequest(v2).url).toBe('https://abcdef1234.execute-api.us-east-1.amazonaws.com/c')
    expect(toRequest(albEvent({ path: '/v1/health/', host: null })).url).toBe('http://localhost/v1/health/')
    expect(toRequest(apigwV1Event({ path: '/hello', host: null, query: { name: 'me' } })).url).toBe(
      'http://localhost/hello?name=me',
    )
  })

  it('percent-encodes spaces and keeps ? and # in a path from becoming query or fragment', () => {
    expect(new URL(toRequest(apigwV2Event({ path: '/my/path-with space' })).url).pathname).toBe('/my/path-with%20space')
    const req = toRequest(apigwV1Event({ path: '/what?/#x', query: { a: '1' } }))
    const url = new URL(req.url)
    expect(url.pathname).toBe('/what%3F/%23x')
    expect(url.search).toBe('?a=1')
    expect(url.hash).toBe('')
  })

  it('rejects a Host header that would smuggle a path or userinfo', () => {
    for (const host of ['evil.com/x', 'a@b.com', 'a b', 'x?y']) {
      const converted = eventToRequest({ payload: apigwV2Event({ host }), context: mockContext() })
      expect('request' in converted).toBe(false)
    }
  })

  it('the path as API Gateway sends it by default; stagePath strips or adds the stage', () => {
    // v2 non-$default stage: rawPath already has it (lambda_http issue #919, serverless-express #653)
    const v2 = apigwV2Event({ path: '/Prod/my/path', stage: 'Prod' })
    expect(new URL(toRequest(v2).url).pathname).toBe('/Prod/my/path')
    expect(new URL(toRequest(v2, 'strip').url).pathname).toBe('/my/path')
    expect(new URL(toRequest(v2, 'add').url).pathname).toBe('/Prod/my/path') // not doubled
    const root = apigwV2Event({ path: '/Prod', stage: 'Prod' })
    expect(new URL(toRequest(root, 'strip').url).pathname).toBe('/')
    // v1: path has no stage on the execute-api host; lambda_http adds it
    const v1 = apigwV1Event({ path: '/hello', stage: 'test' })
    expect(new URL(toRequest(v1).url).pathname).toBe('/hello')
    expect(new URL(toRequest(v1, 'add').url).pathname).toBe('/test/hello')
    expect(new URL(toRequest(v1, 'strip').url).pathname).toBe('/hello')
    // $default never changes anything
    expect(new URL(toRequest(apigwV2Event({ path: '/x' }), 'add').url).pathname).toBe('/x')
    // a stage name that is only a prefix of the first segment is not stripped
    expect(new URL(toRequest(apigwV2Event({ path: '/Production/x', stage: 'Prod' }), 'strip').url).pathname).toBe(
      '/Production/x',
    )
  })

  it('normalizeUrl agrees with the WHATWG parser', () => {
    for (const href of [
      'https://a.example.com/x/y?z=1',
      'https://A.example.com/x',
      'https://a.example.com:443/x',
      'http://127.0.0.1:3000/x',
      'https://a.example.com/a/../b',
      'https://a.example.com/a/%2e%2E/b',
      'https://a.example.com/x y?q=a b',
      "https://a.example.com/x?q='",
      'https://a.example.com/é?q=é',
      'https://1.2.3/x',
    ]) {
      expect(normalizeUrl(href)).toBe(new URL(href).href)
    }
  })
})

describe('query', () => {
  it('v1: multi-value map preferred, values re-encoded (APIGW decodes them), empty values kept', () => {
    const ev = apigwV1Event({ query: { name: 'John Doe', jp: '日本語', k: ['a=b=c', 'a&b&c'], empty: '' } })
    const url = new URL(toRequest(ev).url)
    expect(url.searchParams.getAll('name')).toEqual(['John Doe'])
    expect(url.searchParams.getAll('jp')).toEqual(['日本語'])
    expect(url.searchParams.getAll('k')).toEqual(['a=b=c', 'a&b&c'])
    expect(url.searchParams.getAll('empty')).toEqual([''])
  })

  it('v1: multi-value query beats the single map (no duplicates), single map used alone', () => {
    const ev = apigwV1Event({ query: { q: ['1', '2', '3'] } })
    expect(ev.queryStringParameters).toEqual({ q: '3' })
    expect(new URL(toRequest(ev).url).searchParams.getAll('q')).toEqual(['1', '2', '3'])
    const single = apigwV1Event({ query: { q: 'only' }, multiValue: false })
    expect(new URL(toRequest(single).url).searchParams.getAll('q')).toEqual(['only'])
  })

  it('v2: rawQueryString verbatim (not the comma-joined queryStringParameters)', () => {
    const ev = apigwV2Event({ query: { p: ['value1', 'value2'], s: 'a,b' } })
    expect(ev.queryStringParameters).toEqual({ p: 'value1,value2', s: 'a,b' })
    const url = new URL(toRequest(ev).url)
    expect(url.searchParams.getAll('p')).toEqual(['value1', 'value2'])
    expect(url.searchParams.getAll('s')).toEqual(['a,b'])
  })

  it('ALB: values arrive encoded and are neither double-encoded nor double-decoded (single and multi mode)', () => {
    const single = albEvent({ query: { myKey: '?showAll=true' } })
    expect(single.queryStringParameters).toEqual({ myKey: '%3FshowAll%3Dtrue' })
    const req = toRequest(single)
    expect(new URL(req.url).search).toBe('?myKey=%3FshowAll%3Dtrue')
    expect(new URL(req.url).searchParams.get('myKey')).toBe('?showAll=true')
    const multi = albEvent({ query: { myKey: ['?showAll=true', '?showAll=false'], 'a b': 'c d' }, multiValue: true })
    const url = new URL(toRequest(multi).url)
    expect(url.searchParams.getAll('myKey')).toEqual(['?showAll=true', '?showAll=false'])
    expect(url.searchParams.get('a b')).toBe('c d')
  })
})

describe('headers', () => {
  it('v1: every value of a repeated header is kept (lambda_http collapses them to the headers value)', () => {
    const ev = apigwV1Event({ headers: { 'X-Forwarded-For': ['1.1.1.1', '2.2.2.2'], Accept: 'a/b' } })
    expect(ev.headers['X-Forwarded-For']).toBe('2.2.2.2')
    const req = toRequest(ev)
    expect(req.headers.get('x-forwarded-for')).toBe('1.1.1.1, 2.2.2.2')
    expect(req.headers.get('accept')).toBe('a/b')
  })

  it('v1: multi-value headers win over single ones, single-only names are added (Hono test)', () => {
    const ev = apigwV1Event({ headers: { header2: ['value1', 'value2', 'value3'] } })
    ev.headers.onlySingle = 'yes'
    expect(toRequest(ev).headers.get('header2')).toBe('value1, value2, value3')
    expect(toRequest(ev).headers.get('onlysingle')).toBe('yes')
  })

  it('v2: cookies joined with "; " into one Cookie header, replacing a cookie header', () => {
    const ev = functionUrlEvent({ cookies: ['a=1', 'b=2'], headers: { cookie: 'a=1' } })
    expect(toRequest(ev).headers.get('cookie')).toBe('a=1; b=2')
    expect(toRequest(apigwV2Event()).headers.has('cookie')).toBe(false)
  })

  it('ALB multi-value cookie headers join with "; "', () => {
    const ev = albEvent({ headers: { cookie: ['name1=value1', 'name2=value2'] }, multiValue: true })
    expect(toRequest(ev).headers.get('cookie')).toBe('name1=value1; name2=value2')
  })

  it('a non-ASCII header value arrives as its UTF-8 bytes (as node:http presents them)', () => {
    const req = toRequest(apigwV2Event({ headers: { 'x-name': '日本' } }))
    expect(Buffer.from(req.headers.get('x-name') as string, 'latin1').toString('utf8')).toBe('日本')
  })

  it('Content-Length comes from the actual body (an understated client value is replaced)', async () => {
    const req = toRequest(apigwV1Event({ method: 'POST', body: 'hello world', headers: { 'Content-Length': '3' } }))
    expect(req.headers.get('content-length')).toBe('11')
    expect(await req.text()).toBe('hello world')
    const none = toRequest(apigwV1Event({ method: 'POST', headers: { 'Content-Length': '10' } }))
    expect(none.headers.get('content-length')).toBe('0')
    expect(none.body).toBeNull()
  })
})

describe('body', () => {
  it('binary upload: base64 decoded to the exact bytes (Powertools decodes to a lossy string)', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
    for (const ev of [
      apigwV1Event({ method: 'POST', body: bytes }),
      apigwV2Event({ method: 'POST', body: bytes }),
      albEvent({ method: 'POST', body: bytes }),
      functionUrlEvent({ method: 'PUT', body: bytes }),
    ]) {
      const req = toRequest(ev)
      expect(new Uint8Array(await req.arrayBuffer())).toEqual(bytes)
      expect(req.headers.get('content-length')).toBe('256')
    }
  })

  it('text bodies as UTF-8; no body on GET and HEAD (ALB sends "")', async () => {
    expect(await toRequest(apigwV2Event({ method: 'POST', body: 'héllo ✓' })).text()).toBe('héllo ✓')
    expect(toRequest(albEvent({ method: 'GET' })).body).toBeNull()
    expect(toRequest(albEvent({ method: 'HEAD', body: 'x' })).body).toBeNull()
    expect(toRequest(apigwV1Event({ method: 'GET', body: 'ignored' })).body).toBeNull()
  })

  it('WebSocket: MESSAGE is a POST to /{routeKey} with the body; CONNECT without a method is a GET', async () => {
    const msg = toRequest(websocketEvent({ routeKey: 'sendMessage', body: '{"a":1}' }))
    expect(msg.method).toBe('POST')
    expect(new URL(msg.url).pathname).toBe('/sendMessage')
    expect(await msg.json()).toEqual({ a: 1 })
    const connect = toRequest(websocketEvent({ eventType: 'CONNECT', query: { token: 't' } }))
    expect(connect.method).toBe('GET')
    expect(connect.url).toBe('https://abcdef1234.execute-api.us-east-1.amazonaws.com/$connect?token=t')
    expect(toRequest(websocketEvent({ eventType: 'DISCONNECT' })).url).toMatch(/\/\$disconnect$/)
  })
})

describe('the Request the service receives', () => {
  it('is a real Request whose every property and body method works', async () => {
    installGlobals()
    expect(globalsInstalled()).toBe(true)
    const ev = apigwV2Event({
      method: 'post',
      path: '/p',
      body: 'a=1&b=2',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    const req = toRequest(ev)
    expect(req).toBeInstanceOf(Request)
    expect(req.method).toBe('POST')
    expect(req.cache).toBe('default')
    expect(req.mode).toBe('cors')
    expect(req.redirect).toBe('follow')
    expect(req.bodyUsed).toBe(false)
    const clone = req.clone()
    expect(clone).toBeInstanceOf(Request)
    expect(await clone.text()).toBe('a=1&b=2')
    const form = await req.formData()
    expect(form.get('b')).toBe('2')
    expect(req.bodyUsed).toBe(true)
    await expect(req.text()).rejects.toThrow(TypeError)
  })

  it('body readers consume once; a second read rejects; new Request(req) and withRequest work', async () => {
    const req = toRequest(apigwV1Event({ method: 'PUT', body: '{"x":1}' }))
    expect(await req.json()).toEqual({ x: 1 })
    expect(req.bodyUsed).toBe(true)
    await expect(req.arrayBuffer()).rejects.toThrow(TypeError)
    expect(() => new Request(req)).toThrow(TypeError) // body already used, as with any Request

    const fresh = toRequest(apigwV1Event({ method: 'PUT', path: '/q', body: 'abc' }))
    const tag = key<string>('tag')
    extensions(fresh).set(tag, 'kept')
    const copied = withRequest(fresh, 'https://other.example.com/moved')
    expect(copied.method).toBe('PUT')
    expect(await copied.text()).toBe('abc')
    expect(extensions(copied).get(tag)).toBe('kept')
    expect(lambdaContext(copied)).toBe(lambdaContext(fresh))
  })

  it('blob(), bytes() and the body stream give the bytes; signal is the invocation signal', async () => {
    installGlobals()
    const context = mockContext()
    const ev = { payload: functionUrlEvent({ method: 'POST', body: new Uint8Array([1, 2, 3]) }), context }
    const converted = eventToRequest(ev)
    if (!('request' in converted)) throw new Error(converted.message)
    const req = converted.request
    expect(req.signal).toBe(context.signal)
    const reader = (req.body as ReadableStream<Uint8Array>).getReader()
    const chunk = await reader.read()
    expect([...(chunk.value as Uint8Array)]).toEqual([1, 2, 3])
    const again = eventToRequest(ev)
    if (!('request' in again)) throw new Error(again.message)
    expect([...new Uint8Array(await (await again.request.blob()).arrayBuffer())]).toEqual([1, 2, 3])
    const third = eventToRequest(ev)
    if (!('request' in third)) throw new Error(third.message)
    expect([...(await (third.request as Request & { bytes(): Promise<Uint8Array> }).bytes())]).toEqual([1, 2, 3])
  })

  it('headers mutated before the request is materialised are kept by clone()', async () => {
    const req = toRequest(apigwV2Event({ headers: { 'x-a': '1' } }))
    req.headers.set('x-b', '2')
    const clone = req.clone()
    expect(clone.headers.get('x-a')).toBe('1')
    expect(clone.headers.get('x-b')).toBe('2')
  })
})

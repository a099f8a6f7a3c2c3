import { defaultTextMapGetter, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray'
import { oneshot, serviceFn } from '@turret/core'
import { httpAdapter, lambdaHandler, toAwsContext } from '@turret/lambda'
import { apigwV2Event, lambdaEvent, mockContext, sqsEvent, sqsRecord } from '@turret/lambda/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { installSdk, type TestSdk } from '../../test/sdk'
import { otelHttp } from '../http/index'
import { otelLambda } from './index'
import { faasTrigger } from './trigger'

let sdk: TestSdk
beforeEach(() => {
  sdk = installSdk()
})
afterEach(async () => {
  await sdk.uninstall()
})

const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:orders'
const xrayTraceId = '5759e988bd862e3fe1be46a994272793'
const xrayParent = '53995c3f42cd8ad8'
const xrayHeader = `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${xrayParent};Sampled=1`
const w3cTraceId = '4bf92f3577b34da6a3ce929d0e0e4736'
const w3cParent = '00f067aa0ba902b7'
const traceparent = `00-${w3cTraceId}-${w3cParent}-01`
const echo = serviceFn(async (_: { payload: unknown }) => 'done')

describe('otelLambda', () => {
  // First in the file: the first invocation of the module is the cold start.
  it('makes the invocation span with the FaaS attributes; faas.coldstart is true once', async () => {
    const svc = otelLambda()(echo)
    const context = { invokedFunctionArn: arn, requestId: 'req-1', env: { functionName: 'orders' } }
    await oneshot(svc, lambdaEvent(sqsEvent([sqsRecord({ id: 1 })]), context))
    await oneshot(svc, lambdaEvent(sqsEvent([sqsRecord({ id: 2 })]), { ...context, requestId: 'req-2' }))
    const [first, second] = sdk.spans()
    expect(first?.name).toBe('orders')
    expect(first?.kind).toBe(SpanKind.SERVER)
    expect(first?.attributes).toEqual({
      'faas.invocation_id': 'req-1',
      'faas.trigger': 'pubsub',
      'faas.coldstart': true,
      'cloud.provider': 'aws',
      'cloud.platform': 'aws_lambda',
      'cloud.resource_id': arn,
      'cloud.account.id': '123456789012',
    })
    expect(second?.attributes['faas.coldstart']).toBe(false)
    expect(second?.attributes['faas.invocation_id']).toBe('req-2')
  })

  it('continues the X-Ray trace of the invocation (Lambda-Runtime-Trace-Id) through an X-Ray propagator', async () => {
    const svc = otelLambda({ xrayPropagator: new AWSXRayPropagator() })(echo)
    await oneshot(svc, lambdaEvent({ job: 1 }, { xrayTraceId: xrayHeader }))
    const span = sdk.spans()[0]
    expect(span?.spanContext().traceId).toBe(xrayTraceId)
    expect(span?.parentSpanContext?.spanId).toBe(xrayParent)
    expect(span?.parentSpanContext?.isRemote).toBe(true)
  })

  it('continues the X-Ray trace of _X_AMZN_TRACE_ID under lambdaHandler()', async () => {
    const main = lambdaHandler(otelLambda({ xrayPropagator: new AWSXRayPropagator() })(echo))
    const saved = process.env._X_AMZN_TRACE_ID
    process.env._X_AMZN_TRACE_ID = xrayHeader
    try {
      expect(await main({ job: 1 }, toAwsContext(mockContext({ invokedFunctionArn: arn })))).toBe('done')
    } finally {
      if (saved === undefined) delete process.env._X_AMZN_TRACE_ID
      else process.env._X_AMZN_TRACE_ID = saved
    }
    const span = sdk.spans()[0]
    expect(span?.spanContext().traceId).toBe(xrayTraceId)
    expect(span?.parentSpanContext?.spanId).toBe(xrayParent)
    expect(span?.attributes['cloud.resource_id']).toBe(arn)
  })

  it("takes the HTTP event's traceparent before X-Ray ('fallback'), X-Ray first with 'prefer', never X-Ray with 'off'", async () => {
    const event = () =>
      lambdaEvent(apigwV2Event({ headers: { Traceparent: traceparent } }), { xrayTraceId: xrayHeader })
    const xrayPropagator = new AWSXRayPropagator()
    await oneshot(otelLambda({ xrayPropagator, spanName: () => 'fallback' })(echo), event())
    await oneshot(otelLambda({ xrayPropagator, xray: 'prefer', spanName: () => 'prefer' })(echo), event())
    await oneshot(
      otelLambda({ xrayPropagator, xray: 'off', spanName: () => 'off' })(echo),
      lambdaEvent({ job: 1 }, { xrayTraceId: xrayHeader }),
    )
    expect(sdk.span('fallback').spanContext().traceId).toBe(w3cTraceId)
    expect(sdk.span('fallback').parentSpanContext?.spanId).toBe(w3cParent)
    expect(sdk.span('fallback').attributes['faas.trigger']).toBe('http')
    expect(sdk.span('prefer').spanContext().traceId).toBe(xrayTraceId)
    expect(sdk.span('off').parentSpanContext).toBeUndefined()
  })

  it('takes the parent from eventContextExtractor when given', async () => {
    const svc = otelLambda<{ trace: string }>({
      eventContextExtractor: (event) => {
        const carrier = { traceparent: event.trace }
        return new W3CTraceContextPropagator().extract(ROOT_CONTEXT, carrier, defaultTextMapGetter)
      },
    })(serviceFn(async () => 1))
    await oneshot(svc, lambdaEvent({ trace: traceparent }))
    expect(sdk.spans()[0]?.parentSpanContext?.spanId).toBe(w3cParent)
  })

  it('is the parent of the otelHttp span behind the HTTP adapter', async () => {
    const app = otelHttp()(serviceFn(async () => new Response('hi')))
    const svc = otelLambda({ spanName: () => 'invocation' })(httpAdapter()(app))
    const result = await oneshot(svc, lambdaEvent(apigwV2Event({ path: '/hello', headers: { traceparent } })))
    expect(result.statusCode).toBe(200)
    const invocation = sdk.span('invocation')
    const request = sdk.span('GET')
    expect(invocation.parentSpanContext?.spanId).toBe(w3cParent)
    expect(request.parentSpanContext?.spanId).toBe(invocation.spanContext().spanId)
    expect(request.spanContext().traceId).toBe(w3cTraceId)
    expect(invocation.attributes['http.response.status_code']).toBe(200)
  })

  it('sets status ERROR and error.type on a rejection, and flushes before answering', async () => {
    const flushed: string[] = []
    const failing = serviceFn(async (_: { payload: unknown }) => {
      throw new TypeError('bad payload')
    })
    const svc = otelLambda({
      flush: async () => {
        flushed.push(sdk.spans().length === 1 ? 'after the span ended' : 'too early')
      },
    })(failing)
    await expect(oneshot(svc, lambdaEvent({}))).rejects.toThrow('bad payload')
    const span = sdk.spans()[0]
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad payload' })
    expect(span?.attributes['error.type']).toBe('TypeError')
    expect(flushed).toEqual(['after the span ended'])
  })
})

describe('otelLambda without an SDK', () => {
  it('calls the inner service directly and flushes nothing', async () => {
    await sdk.uninstall()
    let flushed = 0
    const svc = otelLambda({
      flush: async () => {
        flushed++
      },
    })(echo)
    expect(await oneshot(svc, lambdaEvent({}))).toBe('done')
    expect(flushed).toBe(0)
    expect(sdk.spans()).toEqual([])
    sdk = installSdk()
  })
})

describe('faasTrigger', () => {
  it('tells the trigger from the event shape', () => {
    expect(faasTrigger(apigwV2Event())).toBe('http')
    expect(faasTrigger(sqsEvent([sqsRecord('x')]))).toBe('pubsub')
    expect(faasTrigger({ Records: [{ EventSource: 'aws:sns' }] })).toBe('pubsub')
    expect(faasTrigger({ Records: [{ eventSource: 'aws:dynamodb' }] })).toBe('datasource')
    expect(faasTrigger({ Records: [{ eventSource: 'aws:s3' }] })).toBe('datasource')
    expect(faasTrigger({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} })).toBe('timer')
    expect(faasTrigger({ source: 'orders', 'detail-type': 'OrderPlaced', detail: {} })).toBe('pubsub')
    expect(faasTrigger({ anything: 1 })).toBe('other')
    expect(faasTrigger('text')).toBe('other')
  })
})

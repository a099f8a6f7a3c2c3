import { TestClock } from '@turret/core/testing'
import type { Context as AwsContext } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { awsContextOf } from './build'
import {
  contextFromRuntimeHeaders,
  DeadlineExceededError,
  fromAwsContext,
  functionEnvironment,
  InvalidInvocationError,
  toAwsContext,
} from './index'

const env = functionEnvironment({
  AWS_LAMBDA_FUNCTION_NAME: 'fn',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/fn',
})

describe('functionEnvironment', () => {
  it('reads Lambda variables and tolerates missing ones', () => {
    expect(env).toEqual({
      functionName: 'fn',
      functionVersion: '$LATEST',
      memoryLimitInMB: 512,
      logGroupName: '/aws/lambda/fn',
      logStreamName: '',
    })
    expect(functionEnvironment({}).memoryLimitInMB).toBe(0)
  })
})

describe('contextFromRuntimeHeaders', () => {
  it('reads every /next header', () => {
    const deadline = Date.now() + 1_000
    const ctx = contextFromRuntimeHeaders(
      {
        'lambda-runtime-aws-request-id': 'req-1',
        'lambda-runtime-deadline-ms': String(deadline),
        'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:eu-west-1:1:function:fn',
        'lambda-runtime-trace-id': 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1',
        'lambda-runtime-client-context': '{"custom":{"a":1}}',
        'lambda-runtime-cognito-identity': '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}',
        'lambda-runtime-aws-tenant-id': 'tenant-7',
      },
      { env },
    )
    expect(ctx.requestId).toBe('req-1')
    expect(ctx.deadline).toBe(deadline)
    expect(ctx.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:1:function:fn')
    expect(ctx.xrayTraceId).toBe('Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1')
    expect(ctx.clientContext).toEqual({ custom: { a: 1 } })
    expect(ctx.identity).toEqual({ cognitoIdentityId: 'id', cognitoIdentityPoolId: 'pool' })
    expect(ctx.tenantId).toBe('tenant-7')
    expect(ctx.env).toBe(env)
    expect(ctx.remainingTimeMs()).toBeLessThanOrEqual(1_000)
    expect(ctx.remainingTimeMs()).toBeGreaterThan(900)
    ctx.dispose()
  })

  it('rejects a missing request id, a bad deadline and malformed JSON headers', () => {
    expect(() => contextFromRuntimeHeaders({ 'lambda-runtime-deadline-ms': '1' })).toThrow(InvalidInvocationError)
    expect(() => contextFromRuntimeHeaders({ 'lambda-runtime-aws-request-id': 'r' })).toThrow(/Deadline-Ms/)
    expect(() =>
      contextFromRuntimeHeaders({ 'lambda-runtime-aws-request-id': 'r', 'lambda-runtime-deadline-ms': 'soon' }),
    ).toThrow(InvalidInvocationError)
    expect(() =>
      contextFromRuntimeHeaders({
        'lambda-runtime-aws-request-id': 'r',
        'lambda-runtime-deadline-ms': String(Date.now() + 1000),
        'lambda-runtime-client-context': '{nope',
      }),
    ).toThrow(/Client-Context/)
  })

  it('aborts its signal at the deadline on the given clock, and counts down remainingTimeMs', async () => {
    const clock = new TestClock()
    const ctx = contextFromRuntimeHeaders(
      { 'lambda-runtime-aws-request-id': 'r', 'lambda-runtime-deadline-ms': String(Date.now() + 1_000) },
      { clock, env },
    )
    const before = ctx.remainingTimeMs()
    await clock.advance(400)
    expect(ctx.remainingTimeMs()).toBe(before - 400)
    expect(ctx.signal.aborted).toBe(false)
    await clock.advance(600)
    expect(ctx.signal.aborted).toBe(true)
    expect(ctx.signal.reason).toBeInstanceOf(DeadlineExceededError)
    expect(ctx.remainingTimeMs()).toBe(0)
  })

  it('is aborted at once when the deadline already passed; dispose clears the timer', () => {
    const clock = new TestClock()
    const late = contextFromRuntimeHeaders(
      { 'lambda-runtime-aws-request-id': 'r', 'lambda-runtime-deadline-ms': String(Date.now() - 5) },
      { clock, env },
    )
    expect(late.signal.aborted).toBe(true)
    const ctx = contextFromRuntimeHeaders(
      { 'lambda-runtime-aws-request-id': 'r', 'lambda-runtime-deadline-ms': String(Date.now() + 5_000) },
      { clock, env },
    )
    expect(clock.pending).toBe(0) // nothing is built until the signal is read
    expect(ctx.signal.aborted).toBe(false)
    expect(clock.pending).toBe(1)
    ctx.dispose()
    expect(clock.pending).toBe(0)
  })

  it('builds its signal on first read, timed from the context clock; none is armed after dispose', async () => {
    const clock = new TestClock()
    const headers = { 'lambda-runtime-aws-request-id': 'r', 'lambda-runtime-deadline-ms': String(Date.now() + 1_000) }
    const ctx = contextFromRuntimeHeaders(headers, { clock, env })
    await clock.advance(1_500)
    expect(ctx.signal.aborted).toBe(true) // first read after the deadline
    expect(ctx.signal.reason).toBeInstanceOf(DeadlineExceededError)
    const mid = contextFromRuntimeHeaders(
      { ...headers, 'lambda-runtime-deadline-ms': String(Date.now() + 1_000) },
      { clock, env },
    )
    await clock.advance(700)
    const signal = mid.signal // read with ≈ 300 ms left (Date.now() may move a millisecond meanwhile)
    expect(signal).toBe(mid.signal)
    await clock.advance(280)
    expect(signal.aborted).toBe(false)
    await clock.advance(20)
    expect(signal.aborted).toBe(true)
    const done = contextFromRuntimeHeaders(headers, { clock, env })
    done.dispose()
    expect(done.signal.aborted).toBe(false)
    expect(clock.pending).toBe(0)
  })
})

describe('fromAwsContext / toAwsContext', () => {
  const aws: AwsContext = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'fn',
    functionVersion: '3',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:fn:live',
    memoryLimitInMB: '256',
    awsRequestId: 'aws-req',
    logGroupName: 'g',
    logStreamName: 's',
    tenantId: 't',
    getRemainingTimeInMillis: () => 2_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  }

  it('maps the managed runtime context and remembers it', () => {
    const ctx = fromAwsContext(aws, { clock: new TestClock() })
    expect(ctx.requestId).toBe('aws-req')
    expect(ctx.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:1:function:fn:live')
    expect(ctx.env).toEqual({
      functionName: 'fn',
      functionVersion: '3',
      memoryLimitInMB: 256,
      logGroupName: 'g',
      logStreamName: 's',
    })
    expect(ctx.tenantId).toBe('t')
    expect(ctx.remainingTimeMs()).toBeGreaterThan(1_900)
    expect(awsContextOf(ctx)).toBe(aws)
    expect(
      awsContextOf(
        contextFromRuntimeHeaders({ 'lambda-runtime-aws-request-id': 'r', 'lambda-runtime-deadline-ms': '1' }),
      ),
    ).toBe(undefined)
  })

  it("takes the trace id from the runtime's context, else from _X_AMZN_TRACE_ID when first read", () => {
    const saved = process.env._X_AMZN_TRACE_ID
    try {
      process.env._X_AMZN_TRACE_ID = 'Root=1-env'
      const fromEnv = fromAwsContext(aws, { clock: new TestClock() })
      expect(fromEnv.xrayTraceId).toBe('Root=1-env')
      process.env._X_AMZN_TRACE_ID = 'Root=1-later'
      expect(fromEnv.xrayTraceId).toBe('Root=1-env') // read once
      const own = fromAwsContext({ ...aws, xRayTraceId: 'Root=1-own' } as typeof aws, { clock: new TestClock() })
      expect(own.xrayTraceId).toBe('Root=1-own')
      delete process.env._X_AMZN_TRACE_ID
      expect(fromAwsContext(aws, { clock: new TestClock() }).xrayTraceId).toBe(undefined)
    } finally {
      if (saved === undefined) delete process.env._X_AMZN_TRACE_ID
      else process.env._X_AMZN_TRACE_ID = saved
    }
  })

  it('round-trips through toAwsContext', () => {
    const ctx = fromAwsContext(aws, { clock: new TestClock() })
    const back = toAwsContext(ctx)
    expect(back).toMatchObject({
      functionName: 'fn',
      functionVersion: '3',
      memoryLimitInMB: '256',
      awsRequestId: 'aws-req',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:fn:live',
      logGroupName: 'g',
      logStreamName: 's',
      tenantId: 't',
      callbackWaitsForEmptyEventLoop: true,
    })
    expect(back.getRemainingTimeInMillis()).toBeGreaterThan(1_900)
  })

  it('tolerates a hand-made context without getRemainingTimeInMillis, and far deadlines', async () => {
    const clock = new TestClock()
    const partial = { awsRequestId: 'x', functionName: 'f' } as AwsContext
    const ctx = fromAwsContext(partial, { clock })
    expect(ctx.remainingTimeMs()).toBeGreaterThan(899_000)
    expect(ctx.env.functionName).toBe('f')
    const far = contextFromRuntimeHeaders(
      { 'lambda-runtime-aws-request-id': 'r', 'lambda-runtime-deadline-ms': String(Date.now() + 2 ** 40) },
      { env },
    )
    const signal = far.signal // builds the signal and its timer
    await new Promise((r) => setTimeout(r, 10)) // a real Node timer: an overflowing one would have fired by now
    expect(signal.aborted).toBe(false)
    far.dispose()
  })
})

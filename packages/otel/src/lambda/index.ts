/**
 * `otelLambda`: the OpenTelemetry invocation span of a Lambda function, with the FaaS semantic
 * conventions, continuing the trace from the X-Ray trace header or the HTTP event's headers.
 * @module
 */
import {
  type Attributes,
  context,
  defaultTextMapGetter,
  type MeterProvider,
  metrics,
  type Context as OtelContext,
  ProxyTracerProvider,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapPropagator,
  type TracerProvider,
  trace,
} from '@opentelemetry/api'
import { type Next, PassThrough, type Service } from '@turret/core'
import type { Context, LambdaEvent } from '@turret/lambda'
import { observeCore } from '../internal/observer'
import { asException, errorType, extract, type ProviderOptions, TracerSource } from '../internal/sdk'
import { faasTrigger } from './trigger'

/** How {@link otelLambda} uses the invocation's X-Ray trace header. */
export type XrayMode =
  /** Only when the event's headers carry no trace context (`AWSXRayLambdaPropagator`'s rule). */
  | 'fallback'
  /** Before the event's headers (the older instrumentation's default, `disableAwsContextPropagation: false`). */
  | 'prefer'
  /** Never (`disableAwsContextPropagation: true`): the parent comes from the event only. */
  | 'off'

/** Options of {@link otelLambda}. */
export interface OtelLambdaOptions<T> extends ProviderOptions {
  /**
   * Finds the parent context in the event (ADOT's `eventContextExtractor`). Defaults to extracting,
   * with `propagator`, from the event's `headers` (API Gateway, ALB, Function URL events).
   */
  readonly eventContextExtractor?: ((event: T, context: Context) => OtelContext) | undefined
  /**
   * Whether and when the parent comes from the X-Ray trace header (`context.xrayTraceId`:
   * `Lambda-Runtime-Trace-Id` under `run()`, `_X_AMZN_TRACE_ID` under `handler()`). Defaults to
   * `'fallback'`.
   */
  readonly xray?: XrayMode | undefined
  /**
   * The propagator that reads the X-Ray header (`@opentelemetry/propagator-aws-xray`'s
   * `AWSXRayPropagator`). Defaults to `propagator`, i.e. the registered one — as when ADOT's
   * `OTEL_PROPAGATORS` includes `xray`.
   */
  readonly xrayPropagator?: TextMapPropagator | undefined
  /**
   * What runs after the span ends and before the result goes back (Lambda may freeze the process
   * right after). `true` flushes the tracer and meter providers (`forceFlush`), `false` nothing,
   * a function is awaited. Flush failures never fail the invocation. Defaults to `true`.
   */
  readonly flush?: boolean | (() => Promise<void>) | undefined
  /** The span name. Defaults to the function's name (`AWS_LAMBDA_FUNCTION_NAME`). */
  readonly spanName?: ((event: T, context: Context) => string) | undefined
}

/** Reads an event's `headers` (any case) and, failing that, `multiValueHeaders`. */
const eventHeadersGetter: TextMapGetter<Record<string, unknown>> = {
  get(carrier, key) {
    const headers = carrier.headers as Record<string, unknown> | undefined
    const multi = carrier.multiValueHeaders as Record<string, unknown> | undefined
    for (const map of [headers, multi]) {
      if (map === undefined || map === null || typeof map !== 'object') continue
      const direct = map[key]
      const value = direct ?? Object.entries(map).find(([k]) => k.toLowerCase() === key)?.[1]
      if (typeof value === 'string') return value
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[]
    }
    return undefined
  },
  keys(carrier) {
    const headers = carrier.headers
    return typeof headers === 'object' && headers !== null ? Object.keys(headers).map((k) => k.toLowerCase()) : []
  },
}

let coldstart = true

interface Config<T> {
  readonly tracer: TracerSource
  readonly extractor: (event: T, context: Context) => OtelContext
  readonly xray: XrayMode
  readonly xrayPropagator: TextMapPropagator | undefined
  readonly flush: (() => Promise<void>) | undefined
  readonly spanName: ((event: T, context: Context) => string) | undefined
}

class OtelLambda<T, R> extends PassThrough<LambdaEvent<T>, R> {
  readonly layerName = 'otelLambda'
  constructor(
    inner: Service<LambdaEvent<T>, R>,
    private readonly config: Config<T>,
  ) {
    super(inner)
  }

  protected handle(event: LambdaEvent<T>, next: Next<LambdaEvent<T>, R>): Promise<R> {
    const config = this.config
    const isColdstart = coldstart && process.env.AWS_LAMBDA_INITIALIZATION_TYPE !== 'provisioned-concurrency'
    coldstart = false
    const tracer = config.tracer.get()
    if (tracer === undefined) return next(event)
    const { payload, context: ctx } = event
    const parent = this.#parent(payload, ctx)
    const arn = ctx.invokedFunctionArn
    const attributes: Attributes = {
      'faas.invocation_id': ctx.requestId,
      'faas.trigger': faasTrigger(payload),
      'faas.coldstart': isColdstart,
      'cloud.provider': 'aws',
      'cloud.platform': 'aws_lambda',
    }
    if (arn) {
      attributes['cloud.resource_id'] = arn
      const account = arn.split(':')[4]
      if (account) attributes['cloud.account.id'] = account
    }
    const name = config.spanName?.(payload, ctx) ?? (ctx.env.functionName || arn.split(':')[6] || 'lambda')
    const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent)
    let pending: Promise<R>
    try {
      pending = context.with(trace.setSpan(parent, span), () => next(event))
    } catch (error) {
      pending = Promise.reject(error)
    }
    return pending.then(
      async (result) => {
        const status = httpStatus(result)
        if (status !== undefined) {
          span.setAttribute('http.response.status_code', status)
          if (status >= 500) {
            span.setStatus({ code: SpanStatusCode.ERROR })
            span.setAttribute('error.type', String(status))
          }
        }
        span.end()
        await this.#flush()
        return result
      },
      async (error: unknown) => {
        span.recordException(asException(error))
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) })
        span.setAttribute('error.type', errorType(error))
        span.end()
        await this.#flush()
        throw error
      },
    )
  }

  #parent(payload: T, ctx: Context): OtelContext {
    const { xray, extractor, xrayPropagator } = this.config
    const header = xray === 'off' ? undefined : ctx.xrayTraceId
    const fromXray = (base: OtelContext) =>
      header === undefined ? base : extract(xrayPropagator, base, { 'x-amzn-trace-id': header }, defaultTextMapGetter)
    if (xray === 'prefer' && header !== undefined) {
      const found = fromXray(context.active())
      if (trace.getSpanContext(found) !== undefined) return found
    }
    const fromEvent = extractor(payload, ctx)
    if (xray === 'fallback' && trace.getSpanContext(fromEvent) === undefined) return fromXray(fromEvent)
    return fromEvent
  }

  async #flush(): Promise<void> {
    try {
      await this.config.flush?.()
    } catch {
      // A failed export must not fail the invocation.
    }
  }
}

function httpStatus(result: unknown): number | undefined {
  if (typeof result !== 'object' || result === null) return undefined
  const status = (result as { statusCode?: unknown }).statusCode
  return typeof status === 'number' ? status : undefined
}

type Flushable = { forceFlush?: () => Promise<void> }

function flushProviders(tracerProvider: TracerProvider | undefined, meterProvider: MeterProvider | undefined) {
  return async (): Promise<void> => {
    let tp: TracerProvider = tracerProvider ?? trace.getTracerProvider()
    if (tp instanceof ProxyTracerProvider) tp = tp.getDelegate()
    const mp = meterProvider ?? metrics.getMeterProvider()
    await Promise.allSettled([(tp as Flushable).forceFlush?.(), (mp as Flushable).forceFlush?.()])
  }
}

/**
 * Traces each invocation of a `lambdaHandler()`/`run()` stack as an OpenTelemetry SERVER span with the
 * FaaS semantic conventions: `faas.invocation_id` (the request id), `cloud.resource_id` (the
 * invoked ARN), `cloud.account.id`, `faas.coldstart` (true for the first invocation of the
 * process, unless provisioned concurrency initialized it), `faas.trigger` (from the event's
 * shape: `http` for HTTP events, `pubsub` for SQS, SNS, Kinesis and EventBridge, `datasource` for
 * DynamoDB and S3, `timer` for scheduled events, else `other`), and for HTTP results `http.response.status_code`. The status
 * is ERROR on a rejection or a 5xx result.
 *
 * The parent comes from the event's headers (`eventContextExtractor`) or from the X-Ray trace
 * header through an X-Ray propagator, as `xray` says, like the ADOT layer. The span is active
 * inside, so `otelHttp` behind `httpHandler` and core layers report under it. After the span ends,
 * the providers are flushed before the result goes back (see `flush`).
 *
 * With no tracer SDK registered, the layer calls the inner service directly.
 *
 * @example
 * ```ts
 * export const main = handler(otelLambda({ xrayPropagator: new AWSXRayPropagator() })(orders))
 * ```
 */
export function otelLambda<T = unknown>(
  options: OtelLambdaOptions<T> = {},
): <R>(inner: Service<LambdaEvent<T>, R>) => Service<LambdaEvent<T>, R> {
  observeCore()
  const { tracerProvider, meterProvider, propagator } = options
  const flush = options.flush ?? true
  const config: Config<T> = {
    tracer: new TracerSource(tracerProvider),
    extractor:
      options.eventContextExtractor ??
      ((event) =>
        typeof event === 'object' && event !== null
          ? extract(propagator, context.active(), event as Record<string, unknown>, eventHeadersGetter)
          : context.active()),
    xray: options.xray ?? 'fallback',
    xrayPropagator: options.xrayPropagator ?? propagator,
    flush: flush === true ? flushProviders(tracerProvider, meterProvider) : flush === false ? undefined : flush,
    spanName: options.spanName,
  }
  return function otelLambda<R>(inner: Service<LambdaEvent<T>, R>): Service<LambdaEvent<T>, R> {
    return new OtelLambda(inner, config)
  }
}

import { oneshot, type Service, TurretError, type TurretErrorOptions } from '@turret/core'
import type { Context, LambdaEvent } from '../context/index'

/** One record the event source should deliver again. */
export interface BatchItemFailure {
  /** The SQS `messageId`, or the Kinesis / DynamoDB Streams sequence number. */
  readonly itemIdentifier: string
}

/** The partial batch response (needs `ReportBatchItemFailures` on the event source mapping). */
export interface BatchResponse {
  /** Every record not processed successfully; empty when all succeeded. */
  readonly batchItemFailures: BatchItemFailure[]
}

/** Every record of a batch failed (or one without an identifier failed): the whole batch is retried. */
export class BatchFailedError extends TurretError {
  override name = 'BatchFailedError'
  override readonly code = 'ERR_BATCH_FAILED'
  /** The errors of the records that failed, in record order. */
  readonly errors: readonly unknown[]
  /** The response that would have been returned. */
  readonly response: BatchResponse
  constructor(message: string, errors: readonly unknown[], response: BatchResponse, options?: TurretErrorOptions) {
    super(message, options)
    this.errors = errors
    this.response = response
  }
}

/** The event is not the batch the helper expects (no `Records` array). */
export class InvalidEventError extends TurretError {
  override name = 'InvalidEventError'
  override readonly code = 'ERR_INVALID_EVENT'
}

/** Options every batch helper takes. */
export interface BatchOptions {
  /**
   * What to do when every record failed: `'throw'` rejects with {@link BatchFailedError} (the invocation
   * fails and shows in error metrics), `'report'` returns them all in `batchItemFailures`.
   * Defaults to `'throw'`.
   */
  readonly onFullBatchFailure?: 'throw' | 'report' | undefined
  /** Called with each record's failure (for logging). Defaults to none. */
  readonly onRecordError?: ((error: unknown, record: unknown) => void) | undefined
}

/** How a batch is walked. */
export interface BatchPlan<R> {
  /** The identifier reported for a failed record. */
  readonly id: (record: R) => string | undefined
  /** `'all'`: process every record (`concurrency` at a time); `'stop'`: in order, stop at the first failure; `'groups'`: in order, skip the rest of a failed record's group. */
  readonly mode: 'all' | 'stop' | 'groups'
  /** Records processed at once in `'all'` mode. */
  readonly concurrency: number
  /** The group of a record in `'groups'` mode. */
  readonly group?: ((record: R) => string | undefined) | undefined
}

const SKIPPED = Symbol('skipped')

/** Reads `event.Records`, or throws {@link InvalidEventError}. */
export function recordsOf<R>(payload: unknown, source: string): readonly R[] {
  const records = (payload as { Records?: unknown } | null | undefined)?.Records
  if (!Array.isArray(records)) throw new InvalidEventError(`expected a ${source} event with a Records array`)
  return records as R[]
}

/**
 * Runs `inner` once per record as `plan` says and builds the partial batch response.
 * Failed and skipped records are reported in record order.
 */
export async function processBatch<R>(
  records: readonly R[],
  context: Context,
  inner: Service<LambdaEvent<R>, unknown>,
  plan: BatchPlan<R>,
  options: BatchOptions,
): Promise<BatchResponse> {
  const outcome: unknown[] = new Array(records.length).fill(undefined)
  const failed: boolean[] = new Array(records.length).fill(false)
  const one = async (i: number) => {
    const record = records[i] as R
    try {
      await oneshot(inner, { payload: record, context })
    } catch (error) {
      failed[i] = true
      outcome[i] = error
      options.onRecordError?.(error, record)
    }
  }

  if (plan.mode === 'all') {
    let next = 0
    const worker = async () => {
      while (next < records.length) await one(next++)
    }
    const n = Math.max(1, Math.min(plan.concurrency, records.length))
    await Promise.all(Array.from({ length: n }, worker))
  } else {
    const failedGroups = new Set<string | undefined>()
    let stopped = false
    for (let i = 0; i < records.length; i++) {
      const group = plan.mode === 'groups' ? plan.group?.(records[i] as R) : undefined
      if (stopped || (plan.mode === 'groups' && failedGroups.has(group))) {
        failed[i] = true
        outcome[i] = SKIPPED
        continue
      }
      await one(i)
      if (failed[i]) {
        if (plan.mode === 'stop') stopped = true
        else failedGroups.add(group)
      }
    }
  }

  const batchItemFailures: BatchItemFailure[] = []
  const errors: unknown[] = []
  let unidentified = false
  for (let i = 0; i < records.length; i++) {
    if (!failed[i]) continue
    if (outcome[i] !== SKIPPED) errors.push(outcome[i])
    const itemIdentifier = plan.id(records[i] as R)
    if (itemIdentifier === undefined || itemIdentifier === '') unidentified = true
    else batchItemFailures.push({ itemIdentifier })
  }
  const response: BatchResponse = { batchItemFailures }
  if (unidentified) {
    throw new BatchFailedError(
      'a record without an identifier failed: the whole batch must be retried',
      errors,
      response,
      {
        cause: errors[0],
      },
    )
  }
  if (
    records.length > 0 &&
    batchItemFailures.length === records.length &&
    (options.onFullBatchFailure ?? 'throw') === 'throw'
  ) {
    throw new BatchFailedError(`all ${records.length} records of the batch failed`, errors, response, {
      cause: errors[0],
    })
  }
  return response
}

/** The service a batch helper builds: always ready, it awaits each record's readiness itself. */
export class BatchService<R> implements Service<LambdaEvent<unknown>, BatchResponse> {
  constructor(
    readonly layerName: string,
    readonly inner: Service<LambdaEvent<R>, unknown>,
    private readonly source: string,
    private readonly planFor: (records: readonly R[]) => BatchPlan<R>,
    private readonly options: BatchOptions,
  ) {}

  ready(): undefined {
    return undefined
  }

  async call(event: LambdaEvent<unknown>): Promise<BatchResponse> {
    const records = recordsOf<R>(event.payload, this.source)
    return processBatch(records, event.context, this.inner, this.planFor(records), this.options)
  }
}

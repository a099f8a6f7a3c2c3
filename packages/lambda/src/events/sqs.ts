import type { Service } from '@turret/core'
import type { SQSEvent, SQSRecord } from 'aws-lambda'
import type { LambdaEvent } from '../context/index'
import { type BatchOptions, type BatchResponse, BatchService } from './batch'

/** Options of {@link sqsBatch}. */
export interface SqsBatchOptions extends BatchOptions {
  /** Records processed at once from a standard queue (FIFO queues are always in order). Defaults to `1`. */
  readonly concurrency?: number | undefined
  /**
   * FIFO queues: after a failure, keep processing the other message groups (only the failed group's
   * later records are skipped and reported). Defaults to `false`: stop at the first failure and
   * report it and every later record.
   */
  readonly continueOtherGroups?: boolean | undefined
}

/** Whether a record comes from a FIFO queue (its `eventSourceARN` ends with `.fifo`). */
function isFifo(record: SQSRecord): boolean {
  return typeof record.eventSourceARN === 'string' && record.eventSourceARN.endsWith('.fifo')
}

/**
 * Turns a per-record service into an SQS batch service with partial batch failure responses:
 * each failed record's `messageId` goes in `batchItemFailures`. FIFO queues are processed in order
 * and stop at the first failure (the failed record and every later one are reported, so ordering holds).
 *
 * @example
 * ```ts
 * export const main = lambdaHandler(sqsBatch(new ChargeCustomer(stripe), { concurrency: 8 }))
 * ```
 */
export function sqsBatch(
  recordService: Service<LambdaEvent<SQSRecord>, unknown>,
  options: SqsBatchOptions = {},
): Service<LambdaEvent<SQSEvent>, BatchResponse> {
  const concurrency = options.concurrency ?? 1
  const continueOtherGroups = options.continueOtherGroups ?? false
  return new BatchService<SQSRecord>(
    'sqsBatch',
    recordService,
    'SQS',
    (records) =>
      records.some(isFifo)
        ? {
            id: (r) => r.messageId,
            mode: continueOtherGroups ? 'groups' : 'stop',
            concurrency: 1,
            group: (r) => r.attributes?.MessageGroupId,
          }
        : { id: (r) => r.messageId, mode: 'all', concurrency },
    options,
  )
}

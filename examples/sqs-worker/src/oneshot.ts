/**
 * A oneshot run: `node --import tsx src/oneshot.ts events/orders.json` runs the batch handler once
 * on the SQS event in the file and prints the batch response (as `turret invoke` does).
 * @module
 */
import { readFileSync } from 'node:fs'
import { oneshot } from '@turret/core'
import { functionEnvironment, InvocationContext } from '@turret/lambda'
import type { SQSEvent } from 'aws-lambda'
import { batch } from './handler'

const file = process.argv[2]
if (!file) {
  console.error('usage: oneshot.ts <sqs-event.json>')
  process.exit(2)
}
const payload = JSON.parse(readFileSync(file, 'utf8')) as SQSEvent
const context = new InvocationContext(
  'oneshot-1',
  Date.now() + 30_000,
  'arn:aws:lambda:us-east-1:000000000000:function:sqs-worker',
  undefined,
  undefined,
  undefined,
  undefined,
  functionEnvironment(),
)
const result = await oneshot(batch, { payload, context })
console.log(JSON.stringify(result, null, 2))

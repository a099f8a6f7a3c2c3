/** The `faas.trigger` rule of `otelLambda` (not exported by the package). */

/** The FaaS `faas.trigger` of an event: `http`, `pubsub`, `datasource`, `timer` or `other`. */
export function faasTrigger(event: unknown): 'http' | 'pubsub' | 'datasource' | 'timer' | 'other' {
  if (typeof event !== 'object' || event === null) return 'other'
  const e = event as Record<string, unknown>
  if (typeof e.requestContext === 'object' && e.requestContext !== null) return 'http'
  if (typeof e.httpMethod === 'string') return 'http'
  if (Array.isArray(e.Records) && typeof e.Records[0] === 'object' && e.Records[0] !== null) {
    const record = e.Records[0] as Record<string, unknown>
    const source = record.eventSource ?? record.EventSource
    if (source === 'aws:sqs' || source === 'aws:sns' || source === 'aws:kinesis') return 'pubsub'
    if (source === 'aws:dynamodb' || source === 'aws:s3') return 'datasource'
    return 'other'
  }
  if (typeof e['detail-type'] === 'string' && typeof e.source === 'string') {
    return e['detail-type'] === 'Scheduled Event' ? 'timer' : 'pubsub'
  }
  return 'other'
}

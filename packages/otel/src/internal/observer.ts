import { trace } from '@opentelemetry/api'
import { type CoreObserver, setObserver } from '@turret/core'
import { errorType, reportedErrorTypes } from './sdk'

/** Reports core layers' events into the active span. */
const spanObserver: CoreObserver = {
  retry(attempt, previous) {
    const span = trace.getActiveSpan()
    if (span === undefined || !span.isRecording()) return
    span.addEvent(
      'turret.retry',
      previous.ok
        ? { 'turret.retry.attempt': attempt }
        : { 'turret.retry.attempt': attempt, 'error.type': errorType(previous.error) },
    )
  },
  hedge() {
    const span = trace.getActiveSpan()
    if (span === undefined || !span.isRecording()) return
    span.addEvent('turret.hedge')
  },
  rejected(error, layer) {
    const span = trace.getActiveSpan()
    if (span === undefined || !span.isRecording()) return
    span.addEvent('turret.rejected', { 'turret.layer': layer, 'error.type': error.code })
    reportedErrorTypes.set(span, error.code)
  },
}

/**
 * Makes `@turret/core` layers report into the active span: each `retry` attempt and each `hedge`
 * send becomes a span event (`turret.retry` with `turret.retry.attempt`, `turret.hedge`), and a
 * `timeout`, `loadShed` or `concurrencyLimit` rejection a `turret.rejected` event (with `error.type`
 * = the error's `code`); when the traced request then fails — rejected, or answered with a 5xx by
 * an HTTP layer — the `@turret/otel` span's `error.type` is that code. A request a retry rescued
 * keeps its events and gets no `error.type`. Every `@turret/otel` layer calls it when built; call
 * it yourself to get these events under spans you start. Idempotent; it replaces an observer
 * installed with `setObserver`.
 *
 * @example
 * ```ts
 * observeCore()
 * tracer.startActiveSpan('job', (span) => oneshot(retrying, job).finally(() => span.end()))
 * ```
 */
export function observeCore(): void {
  setObserver(spanObserver)
}

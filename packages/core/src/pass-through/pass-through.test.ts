import { describe, expect, it } from 'vitest'
import { concurrencyLimit, type Next, oneshot, PassThrough, type Service, serviceFn } from '../index'

class Gate extends PassThrough<string, string> {
  readonly layerName = 'gate'
  protected handle(req: string, next: Next<string, string>): string | Promise<string> {
    if (req === 'answer') return 'answered here'
    if (req === 'throw') throw new Error('thrown here')
    if (req === 'reject') return Promise.reject(new Error('rejected here'))
    if (req === 'late') return Promise.resolve().then(() => 'answered later')
    if (req === 'twice') return next('a').then((a) => next('b').then((b) => a + b))
    return next(req)
  }
}

const flush = () => new Promise<'pending'>((resolve) => setImmediate(resolve, 'pending'))

describe('PassThrough', () => {
  it('keeps the reservation of a request answered, thrown or rejected without calling inner', async () => {
    const limited = concurrencyLimit(1)(serviceFn((s: string) => s.toUpperCase()))
    const svc = new Gate(limited)
    await expect(oneshot(svc, 'answer')).resolves.toBe('answered here')
    await expect(oneshot(svc, 'throw')).rejects.toThrow('thrown here')
    await expect(oneshot(svc, 'reject')).rejects.toThrow('rejected here')
    await expect(oneshot(svc, 'late')).resolves.toBe('answered later')
    // The one inner reservation is kept as a spare (the permit stays taken) and serves the next request.
    expect(svc.spare).toBe(1)
    await expect(Promise.race([oneshot(svc, 'ok'), flush()])).resolves.toBe('OK')
    expect(svc.spare).toBe(0)
    expect(limited.semaphore.available).toBe(1)
  })

  it('reserves anew for a second call of next in one request', async () => {
    const limited = concurrencyLimit(1)(serviceFn((s: string) => s))
    await expect(oneshot(new Gate(limited), 'twice')).resolves.toBe('ab')
    expect(limited.semaphore.available).toBe(1)
  })

  it('forwards ready(signal): an aborted wait gives its place back', async () => {
    let release!: () => void
    const slow: Service<string, string> = serviceFn(
      (s: string) => new Promise<string>((resolve) => (release = () => resolve(s))),
    )
    const limited = concurrencyLimit(1)(slow)
    const svc = new Gate(limited)
    const first = oneshot(svc, 'first')
    await flush()
    const ac = new AbortController()
    const waiting = svc.ready(ac.signal)
    ac.abort(new Error('gone'))
    await expect(waiting).rejects.toThrow('gone')
    release()
    await expect(first).resolves.toBe('first')
    const third = oneshot(svc, 'third')
    await flush()
    release()
    await expect(Promise.race([third, flush()])).resolves.toBe('third')
  })
})

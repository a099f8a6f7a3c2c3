import { TestClock } from '@turret/core/testing'
import { describe, expect, it } from 'vitest'
import { start } from './support.test-util'

describe('Supervisor: the runtime process on the injected clock', () => {
  it('a runtime that lingers after reporting an init error is killed after the grace period on the injected clock', async () => {
    const clock = new TestClock()
    const lingering = [
      "const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':')",
      "process.stdout.write('started\\n')",
      "const body = JSON.stringify({ errorType: 'Runtime.InitBroken', errorMessage: 'init failed' })",
      "const req = require('node:http').request({ host, port, method: 'POST', path: '/2018-06-01/runtime/init/error' }, (res) => res.resume())",
      'req.end(body)',
      'setInterval(() => {}, 1000)',
    ].join(';')
    const output: string[] = []
    const emu = await start({
      clock,
      command: [process.execPath, '-e', lingering],
      onOutput: (text) => output.push(text),
    })
    const first = await emu.invoke({})
    expect(first.error?.errorType).toBe('Runtime.InitBroken')
    // The function timeout is not armed (nothing was dispatched): the init deadline and the grace are on the clock.
    expect(clock.pending).toBe(2)
    const second = emu.invoke({})
    await clock.advance(499)
    expect(output.join('').match(/started/g)).toHaveLength(1)
    await clock.advance(1)
    // Killed, then restarted for the waiting invocation: the new runtime reports its init error too.
    expect((await second).error?.errorType).toBe('Runtime.InitBroken')
    expect(output.join('').match(/started/g)).toHaveLength(2)
  }, 15_000)
})

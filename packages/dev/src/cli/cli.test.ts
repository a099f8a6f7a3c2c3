import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { oneshot } from '@turret/core'
import { httpAdapter } from '@turret/lambda'
import { mockContext } from '@turret/lambda/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { app } from '../../test/fixtures/turret-app'
import { tsxLoader } from '../internal/paths'
import { type CliIo, main } from './index'

/** The repository root: the CLI runs with it as cwd, and fixtures are named relative to it. */
const repo = fileURLToPath(new URL('../../../../', import.meta.url))
const events = 'test/fixtures/events'
const fixtures = 'packages/dev/test/fixtures'
const bin = 'packages/dev/src/cli/bin.ts'

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = {
    out: (t) => {
      out += t
    },
    err: (t) => {
      err += t
    },
  }
  const cwd = process.cwd()
  process.chdir(repo)
  try {
    const code = await main(argv, io)
    return { code, out, err }
  } finally {
    process.chdir(cwd)
  }
}

const children: ChildProcess[] = []
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
})

/** Runs the real `turret` command from source: `node --import tsx packages/dev/src/cli/bin.ts …` in the repo root. */
function spawnCli(argv: string[]): {
  child: ChildProcess
  done: Promise<{ code: number | null; out: string; err: string }>
} {
  const child = spawn(process.execPath, ['--import', tsxLoader(), bin, ...argv], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let out = ''
  let err = ''
  child.stdout?.setEncoding('utf8').on('data', (t: string) => {
    out += t
  })
  child.stderr?.setEncoding('utf8').on('data', (t: string) => {
    err += t
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000)
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, out, err })
    }),
  )
  return { child, done }
}

/** A usage mistake: exit code 2, nothing on stdout, one line `turret <command>: …` on stderr. */
function expectOneLine(result: { code: number; out: string; err: string }): void {
  expect(result.code, result.err).toBe(2)
  expect(result.out).toBe('')
  expect(result.err).toMatch(/^turret [a-z-]+: [^\n]+\n$/)
}

function fixtureEvent(path: string): unknown {
  return JSON.parse(readFileSync(join(repo, events, path), 'utf8'))
}

describe('turret: help and usage errors', () => {
  it('--help lists the commands; <command> --help shows its options', async () => {
    const top = await run(['--help'])
    expect(top.code).toBe(0)
    for (const command of ['invoke', 'dev', 'emulate']) expect(top.out).toContain(`turret ${command}`)
    const invoke = await run(['invoke', '--help'])
    expect(invoke.code).toBe(0)
    expect(invoke.out).toContain('--event <file|->')
    expect((await run(['help', 'dev'])).out).toContain('--event-source')
    expect((await run(['emulate', '-h'])).out).toContain('AWS_LAMBDA_RUNTIME_API')
  })

  it('exit code 2 with a clear message for an unknown command, an unknown flag, a missing or absent module', async () => {
    const unknown = await run(['deploy'])
    expect(unknown).toMatchObject({ code: 2 })
    expect(unknown.err).toBe(
      'turret deploy: unknown command; the commands are invoke, dev, emulate (see turret --help)\n',
    )
    const flag = await run(['invoke', `${fixtures}/handlers.mjs`, '--bogus'])
    expect(flag.code).toBe(2)
    expect(flag.err).toContain('unknown flag --bogus')
    const missing = await run(['invoke'])
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('missing <module>')
    const absent = await run(['dev', 'no/such/module.ts'])
    expect(absent.code).toBe(2)
    expect(absent.err).toBe('turret dev: module not found (no/such/module.ts)\n')
    const source = await run(['dev', `${fixtures}/http-app.mjs`, '--event-source', 'v9'])
    expect(source.code).toBe(2)
    expect(source.err).toContain('--event-source must be one of apigw-v2, apigw-v1, alb, function-url (or v2, v1, url)')
    const timeout = await run(['invoke', `${fixtures}/handlers.mjs`, '--timeout', 'soon'])
    expect(timeout.code).toBe(2)
    expect(timeout.out).toBe('')
    for (const result of [unknown, flag, missing, absent, source, timeout]) expectOneLine(result)
  })

  it('no command: the help on stderr and exit code 2', async () => {
    const none = await run([])
    expect(none.code).toBe(2)
    expect(none.out).toBe('')
    for (const command of ['invoke', 'dev', 'emulate']) expect(none.err).toContain(`turret ${command}`)
  })

  it('a missing event file, a directory, a file that is not JSON: one line naming the file, exit code 2', async () => {
    const missing = await run(['invoke', `${fixtures}/handlers.mjs`, '--event', 'no/such/event.json'])
    expect(missing.err).toBe('turret invoke: event file not found (no/such/event.json)\n')
    const directory = await run(['invoke', `${fixtures}/handlers.mjs`, '--event', fixtures])
    expect(directory.err).toBe(`turret invoke: the event file is a directory (${fixtures})\n`)
    const notJson = await run(['invoke', `${fixtures}/handlers.mjs`, '-e', `${fixtures}/handlers.mjs`])
    expect(notJson.err).toMatch(
      /^turret invoke: the event is not JSON: .+ \(packages\/dev\/test\/fixtures\/handlers\.mjs\)\n$/,
    )
    for (const result of [missing, directory, notJson]) expectOneLine(result)
  })

  it('turret dev on a busy port: one line naming the address, exit code 2', async () => {
    const busy = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    const { port } = busy.address() as AddressInfo
    try {
      const result = await run(['dev', `${fixtures}/http-app.mjs`, '--port', String(port), '--no-watch'])
      expect(result.err).toBe(`turret dev: the port is already in use (127.0.0.1:${port})\n`)
      expectOneLine(result)
    } finally {
      await new Promise((resolve) => busy.close(resolve))
    }
  }, 20_000)

  it('as a real process: a usage mistake prints one line, no stack trace, exit code 2', async () => {
    const { done } = spawnCli(['invoke', `${fixtures}/handlers.mjs`, '--event', 'missing.json'])
    const { code, out, err } = await done
    expect({ code, out, err }).toEqual({
      code: 2,
      out: '',
      err: 'turret invoke: event file not found (missing.json)\n',
    })
  }, 30_000)
})

describe('turret invoke', () => {
  it.each([
    'apigw-v2/apigw_v2_proxy_request.json',
    'apigw-v2/apigw-v2-request-no-authorizer.json',
    'apigw-v1/apigw_proxy_request.json',
    'apigw-v1/apigw_multi_value_proxy_request.json',
    'alb/alb_request_encoded_query_parameters.json',
    'function-url/function-url-request-with-headers-and-cookies-and-text-body.json',
  ])('returns what a direct oneshot call returns for %s', async (fixture) => {
    const event = fixtureEvent(fixture)
    const direct = await oneshot(httpAdapter()(app), { payload: event as never, context: mockContext() })
    const cli = await run(['invoke', `${fixtures}/turret-app.ts`, '--event', join(events, fixture)])
    expect(cli.err).toBe('')
    expect(cli.code).toBe(0)
    expect(JSON.parse(cli.out)).toEqual(JSON.parse(JSON.stringify(direct)))
  })

  it('gives the handler a realistic context and environment (without --event, it says the event is {})', async () => {
    const cli = await run(['invoke', `${fixtures}/handlers.mjs`, '--function', 'greeter', '--timeout', '5000'])
    expect(cli.code).toBe(0)
    expect(cli.err).toBe('turret invoke: no --event given, the handler gets {} as its event\n')
    const out = JSON.parse(cli.out)
    expect(out).toMatchObject({
      event: {},
      functionName: 'greeter',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:greeter',
      memory: '128',
      remainingPositive: true,
      envName: 'greeter',
    })
    expect(out.requestId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('prints the error document and exits 1 when the handler throws', async () => {
    const cli = await run(['invoke', `${fixtures}/handlers.mjs`, '--event', `${fixtures}/fail-event.json`])
    expect(cli.code).toBe(1)
    const doc = JSON.parse(cli.out)
    expect(doc).toMatchObject({ errorType: 'TypeError', errorMessage: 'failed: on purpose' })
    expect(doc.trace[0]).toBe('TypeError: failed: on purpose')
    expect(cli.err).toContain('TypeError: failed: on purpose')
  })

  it('--export picks another (nested) export; callback handlers and CJS modules work', async () => {
    expect(JSON.parse((await run(['invoke', `${fixtures}/handlers.mjs`, '-x', 'nested.deep.fn'])).out)).toBe(
      'nested ok',
    )
    expect(JSON.parse((await run(['invoke', `${fixtures}/handlers.mjs`, '--export', 'callback'])).out)).toEqual({
      viaCallback: {},
    })
    expect(JSON.parse((await run(['invoke', `${fixtures}/handlers.cjs`])).out)).toEqual({ cjs: true, event: {} })
    const notFn = await run(['invoke', `${fixtures}/handlers.mjs`, '--export', 'notAFunction'])
    expect(notFn.code).toBe(1)
    expect(JSON.parse(notFn.out).errorType).toBe('Runtime.HandlerNotFound')
  })

  it('--timeout: a handler still running at the deadline fails with Task timed out', async () => {
    const cli = await run(['invoke', `${fixtures}/handlers.mjs`, '--export', 'slow', '--timeout', '50'])
    expect(cli.code).toBe(1)
    const doc = JSON.parse(cli.out)
    expect(doc.errorType).toBe('Sandbox.Timedout')
    expect(doc.errorMessage).toMatch(/Task timed out after 0\.05 seconds$/)
  })

  it('runs streaming handlers (awslambda.streamifyResponse) and returns the buffered HTTP result', async () => {
    const plain = await run(['invoke', `${fixtures}/stream-app.mjs`, '--event', `${fixtures}/stream-event.json`])
    expect(plain.code).toBe(0)
    expect(JSON.parse(plain.out)).toEqual({
      statusCode: 202,
      headers: { 'content-type': 'text/plain', 'x-streamed': 'yes' },
      cookies: ['s=1; Path=/', 't=2'],
      body: 'chunk one, path /streamed',
      isBase64Encoded: false,
    })
    const fixture = join(events, 'apigw-v2/apigw_v2_proxy_request.json')
    const streamed = JSON.parse((await run(['invoke', `${fixtures}/turret-stream-app.ts`, '--event', fixture])).out)
    const buffered = JSON.parse((await run(['invoke', `${fixtures}/turret-app.ts`, '--event', fixture])).out)
    expect(streamed.statusCode).toBe(buffered.statusCode)
    expect(streamed.body).toBe(buffered.body)
  })

  it('as a real process (TypeScript module, fixture event): stdout is the JSON result, exit code 0', async () => {
    const fixture = 'apigw-v2/apigw_v2_proxy_request.json'
    const direct = await oneshot(httpAdapter()(app), {
      payload: fixtureEvent(fixture) as never,
      context: mockContext(),
    })
    const { done } = spawnCli(['invoke', `${fixtures}/turret-app.ts`, '--event', join(events, fixture)])
    const { code, out, err } = await done
    expect(err).toBe('')
    expect(code).toBe(0)
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(direct)))
  }, 30_000)
})

describe('turret emulate', () => {
  it('prints the AWS_LAMBDA_RUNTIME_API value and serves the Invoke API until SIGTERM', async () => {
    const { child, done } = spawnCli(['emulate', '--port', '0', '--function', 'fn'])
    const line = await new Promise<string>((resolve, reject) => {
      let buffer = ''
      child.stdout?.on('data', (t: Buffer | string) => {
        buffer += String(t)
        if (buffer.includes('\n')) resolve(buffer.split('\n')[0] as string)
      })
      child.on('close', () => reject(new Error(`exited early: ${buffer}`)))
    })
    expect(line).toMatch(/^AWS_LAMBDA_RUNTIME_API=127\.0\.0\.1:\d+$/)
    const api = line.split('=')[1] as string
    const dry = await fetch(`http://${api}/2015-03-31/functions/fn/invocations`, {
      method: 'POST',
      headers: { 'X-Amz-Invocation-Type': 'DryRun' },
    })
    expect(dry.status).toBe(204)
    child.kill('SIGTERM')
    expect((await done).code).toBe(0)
  }, 30_000)
})

import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { miniRuntime } from '../../test/helpers'
import { type Emulator, MAX_SYNC_PAYLOAD, startEmulator } from './index'

let emu: Emulator
let stop: () => void
const seen: unknown[] = []

beforeAll(async () => {
  emu = await startEmulator({ functionName: 'greeter', onOutput: () => {} })
  stop = miniRuntime(emu.runtimeApi, async ({ event, headers }) => {
    seen.push(event)
    const e = event as { name?: string; fail?: boolean; context?: boolean }
    if (e.fail) throw new TypeError(`cannot greet ${e.name}`)
    if (e.context) return { clientContext: JSON.parse((headers['lambda-runtime-client-context'] as string) ?? 'null') }
    return { greeting: `hello ${e.name ?? 'nobody'}` }
  })
})
afterAll(async () => {
  stop()
  await emu.close()
})

function invoke(
  name: string,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
  query = '',
) {
  return fetch(`${emu.url}/2015-03-31/functions/${encodeURIComponent(name)}/invocations${query}`, {
    method: 'POST',
    body,
    headers,
  })
}

describe('startEmulator: Invoke API over HTTP', () => {
  it('RequestResponse: 200 with the payload, the request id and the executed version', async () => {
    const res = await invoke('greeter', '{"name":"ada"}')
    expect(res.status).toBe(200)
    expect(res.headers.get('x-amz-function-error')).toBeNull()
    expect(res.headers.get('x-amz-executed-version')).toBe('$LATEST')
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
    expect(await res.json()).toEqual({ greeting: 'hello ada' })
  })

  it('a function error: still 200, X-Amz-Function-Error: Unhandled and the error document as the body', async () => {
    const res = await invoke('greeter', '{"name":"bob","fail":true}')
    expect(res.status).toBe(200)
    expect(res.headers.get('x-amz-function-error')).toBe('Unhandled')
    expect(await res.json()).toEqual({ errorType: 'TypeError', errorMessage: 'cannot greet bob', stackTrace: [] })
  })

  it('accepts the function by name, ARN, partial ARN and with a qualifier', async () => {
    for (const name of [
      'arn:aws:lambda:us-east-1:123456789012:function:greeter',
      'arn:aws:lambda:us-east-1:123456789012:function:greeter:prod',
      '123456789012:function:greeter',
      'greeter:prod',
    ]) {
      const res = await invoke(name, '{"name":"arn"}')
      expect(res.status, name).toBe(200)
      expect(await res.json()).toEqual({ greeting: 'hello arn' })
    }
    expect((await invoke('greeter', '{}', {}, '?Qualifier=prod')).status).toBe(200)
  })

  it('404 ResourceNotFoundException for another function', async () => {
    const res = await invoke('other', '{}')
    expect(res.status).toBe(404)
    expect(res.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException')
    expect(((await res.json()) as { message: string }).message).toContain('Function not found')
  })

  it('Event: 202 at once, and the event still runs', async () => {
    const marker = `async-${Math.random()}`
    const res = await invoke('greeter', JSON.stringify({ name: marker }), { 'X-Amz-Invocation-Type': 'Event' })
    expect(res.status).toBe(202)
    expect(await res.text()).toBe('')
    for (let i = 0; i < 100 && !seen.some((e) => (e as { name?: string }).name === marker); i++)
      await new Promise((r) => setTimeout(r, 10))
    expect(seen).toContainEqual({ name: marker })
  })

  it('DryRun: 204 and nothing runs', async () => {
    const before = seen.length
    const res = await invoke('greeter', '{"name":"dry"}', { 'X-Amz-Invocation-Type': 'DryRun' })
    expect(res.status).toBe(204)
    expect(seen.length).toBe(before)
  })

  it('400 for a body that is not JSON, 413 over 6 MB; an empty body is the event {}', async () => {
    const bad = await invoke('greeter', 'not json')
    expect(bad.status).toBe(400)
    expect(bad.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException')
    const big = await invoke('greeter', new Uint8Array(MAX_SYNC_PAYLOAD + 1))
    expect(big.status).toBe(413)
    expect(big.headers.get('x-amzn-errortype')).toBe('RequestTooLargeException')
    const empty = await invoke('greeter', '')
    expect(await empty.json()).toEqual({ greeting: 'hello nobody' })
  })

  it('passes X-Amz-Client-Context (base64 JSON) to the runtime as Lambda-Runtime-Client-Context', async () => {
    const ctx = { custom: { tenant: 'acme' } }
    const res = await invoke('greeter', '{"context":true}', {
      'X-Amz-Client-Context': Buffer.from(JSON.stringify(ctx)).toString('base64'),
    })
    expect(await res.json()).toEqual({ clientContext: ctx })
  })
})

describe('startEmulator: @aws-sdk/client-lambda', () => {
  const client = () =>
    new LambdaClient({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    })

  it('InvokeCommand returns the payload', async () => {
    const out = await client().send(
      new InvokeCommand({ FunctionName: 'greeter', Payload: new TextEncoder().encode('{"name":"sdk"}') }),
    )
    expect(out.StatusCode).toBe(200)
    expect(out.FunctionError).toBeUndefined()
    expect(out.ExecutedVersion).toBe('$LATEST')
    expect(JSON.parse(new TextDecoder().decode(out.Payload))).toEqual({ greeting: 'hello sdk' })
  })

  it('InvokeCommand reports FunctionError for a failing function', async () => {
    const out = await client().send(
      new InvokeCommand({ FunctionName: 'greeter', Payload: new TextEncoder().encode('{"name":"x","fail":true}') }),
    )
    expect(out.StatusCode).toBe(200)
    expect(out.FunctionError).toBe('Unhandled')
    expect(JSON.parse(new TextDecoder().decode(out.Payload))).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'cannot greet x',
    })
  })

  it('InvokeCommand with Event, DryRun, a function ARN and LogType Tail', async () => {
    const c = client()
    const event = await c.send(
      new InvokeCommand({ FunctionName: 'greeter', InvocationType: 'Event', Payload: new TextEncoder().encode('{}') }),
    )
    expect(event.StatusCode).toBe(202)
    const dry = await c.send(new InvokeCommand({ FunctionName: 'greeter', InvocationType: 'DryRun' }))
    expect(dry.StatusCode).toBe(204)
    const arn = await c.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:greeter',
        LogType: 'Tail',
        Payload: new TextEncoder().encode('{"name":"arn"}'),
      }),
    )
    expect(JSON.parse(new TextDecoder().decode(arn.Payload))).toEqual({ greeting: 'hello arn' })
    const logs = Buffer.from(arn.LogResult ?? '', 'base64').toString('utf8')
    expect(logs).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/)
    expect(logs).toContain('REPORT RequestId:')
  })

  it('InvokeCommand on a missing function throws ResourceNotFoundException', async () => {
    await expect(client().send(new InvokeCommand({ FunctionName: 'missing' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    })
  })
})

/** The AWS CLI's version line, when the CLI test is asked for (it is slow to start: opt in with TURRET_TEST_AWS_CLI=1). */
const awsCli = (() => {
  if (!process.env.TURRET_TEST_AWS_CLI) return undefined
  try {
    return execFileSync('aws', ['--version'], { stdio: 'pipe', timeout: 30_000, encoding: 'utf8' }) || 'aws-cli/1'
  } catch (error) {
    return (error as { stderr?: string }).stderr?.startsWith('aws-cli/')
      ? (error as { stderr: string }).stderr
      : undefined
  }
})()

describe.skipIf(!awsCli)('startEmulator: AWS CLI (TURRET_TEST_AWS_CLI=1)', () => {
  it('aws lambda invoke --endpoint-url writes the payload and reports FunctionError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'turret-cli-'))
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    }
    try {
      const run = (payload: string, out: string) =>
        promisify(execFile)(
          'aws',
          [
            'lambda',
            'invoke',
            '--endpoint-url',
            emu.url,
            '--function-name',
            'greeter',
            // CLI v2 takes blobs as base64 unless told otherwise; v1 sends the string as it is.
            ...(awsCli?.startsWith('aws-cli/1') ? [] : ['--cli-binary-format', 'raw-in-base64-out']),
            '--payload',
            payload,
            join(dir, out),
          ],
          { env, timeout: 60_000 },
        )
      const ok = JSON.parse((await run('{"name":"cli"}', 'ok.json')).stdout)
      expect(ok.StatusCode).toBe(200)
      expect(JSON.parse(readFileSync(join(dir, 'ok.json'), 'utf8'))).toEqual({ greeting: 'hello cli' })
      const failed = JSON.parse((await run('{"name":"cli","fail":true}', 'err.json')).stdout)
      expect(failed.FunctionError).toBe('Unhandled')
      expect(JSON.parse(readFileSync(join(dir, 'err.json'), 'utf8')).errorType).toBe('TypeError')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})

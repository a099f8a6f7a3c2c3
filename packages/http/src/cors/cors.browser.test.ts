/**
 * A real browser against `cors`: headless Chromium loads a page from one `serve()` origin that
 * calls a second origin behind `cors`. The allowed origin's preflighted PUT with a custom header
 * succeeds; the same call from a disallowed origin is blocked by the browser (the PUT never
 * reaches the service). Chromium is Debian's `chromium`, installed by scripts/ci-setup.sh.
 *
 * Node 20 has no WebSocket for the DevTools protocol, so the pages report back over HTTP: each
 * page POSTs its outcome to its own origin and writes it into its DOM; the test waits for both
 * reports, then stops the browser.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serviceFn } from '@turret/core'
import { afterAll, describe, expect, it } from 'vitest'
import { type Server, serve } from '../serve/index'
import type { HttpService } from '../types'
import { cors } from './index'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const haveChromium = existsSync(CHROMIUM)
if (!haveChromium) {
  console.warn(
    `cors.browser.test: SKIPPED — no Chromium at ${CHROMIUM}; run scripts/ci-setup.sh (apt-get install chromium)`,
  )
}

interface Outcome {
  readonly who: string
  readonly ok: boolean
  readonly status?: number
  readonly body?: unknown
  readonly error?: string
}

function page(who: string, api: string, frame?: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${who}</title></head><body>
<pre id="out">pending</pre>
${frame ? `<iframe src="${frame}"></iframe>` : ''}
<script>
(async () => {
  let outcome
  try {
    const res = await fetch(${JSON.stringify(`${api}/items/1`)}, {
      method: 'PUT',
      headers: { 'x-custom': 'from-${who}', 'content-type': 'application/json' },
      body: JSON.stringify({ who: '${who}' }),
    })
    outcome = { who: '${who}', ok: true, status: res.status, body: await res.json() }
  } catch (e) {
    outcome = { who: '${who}', ok: false, error: String(e) }
  }
  document.getElementById('out').textContent = JSON.stringify(outcome)
  await fetch('/result', { method: 'POST', body: JSON.stringify(outcome) })
})()
</script></body></html>`
}

describe.skipIf(!haveChromium)('cors in a real browser (headless Chromium)', () => {
  const servers: Server[] = []
  let browser: ChildProcess | undefined
  let profile: string | undefined
  afterAll(async () => {
    if (browser?.pid !== undefined && browser.exitCode === null) {
      try {
        process.kill(-browser.pid, 'SIGKILL')
      } catch {}
    }
    await Promise.all(servers.map((s) => s.close()))
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true })
  })

  it('allows the preflighted PUT of an allowed origin and the browser blocks a disallowed one', async () => {
    const outcomes = new Map<string, Outcome>()
    let settle!: () => void
    const both = new Promise<void>((r) => {
      settle = r
    })
    const seen: { method: string; origin: string | null; custom: string | null }[] = []

    // The API origin, behind cors; a recorder outside cors sees the preflights too.
    const api = serviceFn(async (req: Request) => {
      seen.push({ method: req.method, origin: req.headers.get('origin'), custom: req.headers.get('x-custom') })
      return Response.json({ method: req.method, custom: req.headers.get('x-custom'), body: await req.json() })
    })
    const preflights: (string | null)[] = []
    const recorder = (inner: HttpService): HttpService => ({
      ready: () => inner.ready(),
      call: (req) => {
        if (req.method === 'OPTIONS') preflights.push(req.headers.get('origin'))
        return inner.call(req)
      },
    })
    const listen = (svc: HttpService) => serve(svc, { port: 0, hostname: '127.0.0.1', onError: () => {} })

    // Bind the page origins first so the API's allow-list can name the allowed one.
    const pageService = (getHtml: () => string): HttpService =>
      serviceFn(async (req: Request) => {
        const path = new URL(req.url).pathname
        if (req.method === 'POST' && path === '/result') {
          const o = (await req.json()) as Outcome
          outcomes.set(o.who, o)
          if (outcomes.size === 2) settle()
          return new Response(null, { status: 204 })
        }
        if (path === '/favicon.ico') return new Response(null, { status: 404 })
        return new Response(getHtml(), { headers: { 'content-type': 'text/html; charset=utf-8' } })
      })
    let apiOrigin = ''
    let evilOrigin = ''
    const allowedServer = await listen(pageService(() => page('allowed', apiOrigin, `${evilOrigin}/`)))
    const evilServer = await listen(pageService(() => page('evil', apiOrigin)))
    servers.push(allowedServer, evilServer)
    const allowedOrigin = `http://127.0.0.1:${allowedServer.port}`
    evilOrigin = `http://127.0.0.1:${evilServer.port}`
    const layer = cors({
      allowOrigin: [allowedOrigin],
      allowMethods: ['GET', 'PUT'],
      allowHeaders: ['x-custom', 'content-type'],
    })
    const apiServer = await listen(recorder(layer(api)))
    servers.push(apiServer)
    apiOrigin = `http://127.0.0.1:${apiServer.port}`

    profile = mkdtempSync(join(tmpdir(), 'turret-chromium-'))
    browser = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--no-default-browser-check',
        `--user-data-dir=${profile}`,
        `${allowedOrigin}/`,
      ],
      { stdio: 'ignore', detached: true },
    )
    const exited = new Promise<never>((_, reject) => {
      browser?.once('exit', (code) => reject(new Error(`chromium exited early (${code})`)))
      browser?.once('error', reject)
    })
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no browser report in time: ${JSON.stringify([...outcomes])}`)), 90_000)
    })
    try {
      await Promise.race([both, exited, timeout])
    } finally {
      clearTimeout(timer)
    }

    const allowed = outcomes.get('allowed')
    expect(allowed).toEqual({
      who: 'allowed',
      ok: true,
      status: 200,
      body: { method: 'PUT', custom: 'from-allowed', body: { who: 'allowed' } },
    })
    const evil = outcomes.get('evil')
    expect(evil?.ok).toBe(false)
    expect(evil?.error).toMatch(/TypeError/)
    // Both origins were preflighted (the custom header and PUT require it) …
    expect(preflights).toContain(allowedOrigin)
    expect(preflights).toContain(evilOrigin)
    // … and only the allowed origin's PUT reached the service.
    expect(seen).toEqual([{ method: 'PUT', origin: allowedOrigin, custom: 'from-allowed' }])
  }, 120_000)
})

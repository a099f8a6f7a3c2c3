/**
 * Decompression bombs, run by bomb.test.ts as `node --import tsx bomb-script.ts <br|gzip>` (from
 * the repo root, so tsconfig paths resolve `@turret/*` to source), so that the RSS it measures is
 * this process's alone. Builds a body that inflates to 1 GiB of zeros (brotli: one stream; gzip:
 * 1,024 members of 1 MiB each), then sends it through `decompression()` twice: to a service that
 * never reads the body (no cap: only backpressure keeps memory low), and to one that reads it all
 * (default cap: 413). Prints one JSON line: the statuses and the peak RSS growth of each phase.
 */
import * as zlib from 'node:zlib'
import { oneshot, serviceFn } from '@turret/core'
import { decompression } from '@turret/http'

const MiB = 1024 * 1024
const coding = process.argv[2] === 'gzip' ? 'gzip' : 'br'

async function brotliBomb(): Promise<Buffer> {
  const z = zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } })
  const chunks: Buffer[] = []
  z.on('data', (c: Buffer) => chunks.push(c))
  const zeros = Buffer.alloc(MiB)
  for (let i = 0; i < 1024; i++) {
    if (!z.write(zeros)) await new Promise((resolve) => z.once('drain', resolve))
  }
  await new Promise((resolve) => z.end(resolve))
  return Buffer.concat(chunks)
}

function gzipBomb(): Buffer {
  const member = zlib.gzipSync(Buffer.alloc(MiB), { level: 9 })
  return Buffer.concat(Array.from({ length: 1024 }, () => member))
}

const bomb = coding === 'br' ? await brotliBomb() : gzipBomb()
const request = () =>
  new Request('http://app.test/upload', {
    method: 'POST',
    body: new Uint8Array(bomb),
    headers: { 'content-encoding': coding },
  })

let peak = 0
const sample = () => {
  peak = Math.max(peak, process.memoryUsage().rss)
}
const sampler = setInterval(sample, 1)

async function phase(run: () => Promise<number>): Promise<{ status: number; growthMB: number }> {
  const base = process.memoryUsage().rss
  peak = base
  const status = await run()
  // Let any decoding that was started in the background run (there should be none).
  for (let i = 0; i < 200; i++) await new Promise((resolve) => setTimeout(resolve, 2))
  sample()
  return { status, growthMB: Math.round((peak - base) / MiB) }
}

const ignored = await phase(async () => {
  const svc = decompression({ maxDecodedBytes: Number.POSITIVE_INFINITY })(serviceFn(() => new Response('ignored')))
  return (await oneshot(svc, request())).status
})
const read = await phase(async () => {
  const svc = decompression()(
    serviceFn(async (req: Request) => new Response(`read ${(await req.arrayBuffer()).byteLength} bytes`)),
  )
  return (await oneshot(svc, request())).status
})
clearInterval(sampler)
console.log(JSON.stringify({ coding, bombBytes: bomb.byteLength, ignored, read }))

/**
 * What was tried for a target that a row misses, and what limits it: written into RESULTS.md
 * under the row whenever its target is missed in that run.
 */
export const missedNotes: Record<string, string> = {
  P1: [
    'The turret figure is `oneshot()` through five pass-through layers: each layer is a class whose `ready()`',
    'returns the inner `ready()` (no promise, no allocation when ready) and whose `call()` returns the inner',
    "call's promise unchanged. What remains is one method dispatch per layer plus oneshot's readiness check.",
  ].join(' '),
  P2: [
    'Tried: the deadline signal, its timer and the trace id are built only when read; the result is built without a',
    'promise when the body is in memory, whose `disturbed` flag is read directly instead of `res.bodyUsed`; the',
    "parser builds the request's header map while it validates (one pass, one remembered lookup per header name);",
    "the response's headers are read in one pass; `handler()` settles with one `then`. Before that: a lazily built",
    '`Request` and `Headers`, string/byte bodies read without a stream, extensions in a symbol-keyed property.',
    'The own cost is measured with a service answering a prebuilt Response, in a fresh process per event source,',
    'against that service alone, in alternating rounds. What limits it: the cost grows with the header entries',
    'of the event (≈ 60 ns each: a name lookup, a value check, trimming, the map insert). The v2 and ALB events',
    '(13 and 12 headers) land near 3 µs; the REST v1 event carries its 26 headers twice (`multiValueHeaders` and',
    '`headers`), ≈ 4.7 µs. Validating every header is kept on purpose (a 400 rather than a crash or a TypeError',
    "inside the service). Reading undici's `Response` (status, headers, `getSetCookie`) is ≈ 1 µs of the figure;",
    'a service answering with `text()` avoids it (its row). This machine is a shared 2-core VM: the same build',
    'measured 3.0–5.5 µs for v2 in runs minutes apart.',
  ].join(' '),
  P3: [
    'The bundle holds the full adapter: shape detection and validation for API Gateway v1/v2, Function URLs,',
    'ALB (both header modes) and WebSocket, the lazy Request/Headers, result shaping per source (cookies,',
    'multi-value headers, binary detection), and the managed-runtime `handler()` with its context (the module',
    'list above). Tried: keeping the lazy `Response` class of `text()` out of bundles that only read bodies',
    '(−2.7 KB: computed class members had made esbuild keep it). An HTTP handler cannot know its event source',
    'at build time, so per-source code cannot be tree-shaken away, and validation (a 400 instead of a crash on',
    'malformed events) is kept on purpose; 8 KB would mean dropping one of them. For scale, hono with its adapter',
    "is ≈ 25 KB and serverless-http ≈ 19 KB. Import time is what users' cold starts pay, and it is within target.",
  ].join(' '),
  P4: [
    "turret answers with `text()`, its idiomatic hello world (as Hono's answers with `c.text()`); the",
    '`new Response()` row shows the same server answering with an undici Response. Tried: a lazy `text()`',
    'Response written straight to node:http (no undici object built), per-connection bookkeeping instead of',
    'closures and a close listener per request, no AbortSignal per request for `ready()`, `Host` read from',
    "`rawHeaders`. turret's server CPU per request is now level with both peers (see the note above): what is",
    'left is node:http and the kernel, the same for all three, and the load generator sharing the 2 cores, which',
    'moves the ratio by ±15% between runs (the target was met in 4 of 6 full runs of this code).',
  ].join(' '),
  P5: [
    'Both runtimes are driven by the same emulator, one invocation at a time. turret posts each result with a',
    'keep-alive connection pool; aws-lambda-ric calls the Runtime API from native code (libcurl through its',
    'C++ addon).',
  ].join(' '),
  P6: 'Heap growth and live timers are measured after two full GCs; any growth here points at a leak in a layer.',
  P7b: [
    'The router itself adds ≈ 0–0.3 µs per event next to the same service without it, plus ≈ 2 µs when it reads',
    "`req.signal` to pass to the route's `ready()` (in Lambda that builds the invocation's deadline signal and",
    'timer). What limits the row is the adapter on Node 24: undici keeps no symbol-keyed slots there, so the',
    'adapter builds a real `Request` per event, and passes it the invocation signal, which alone costs ≈ 20 µs',
    'in undici (`new Request` with a signal: 28.5 µs against 9 µs without, measured on this machine). With the',
    'signal left out of that eager `Request` the row measured hono / turret = 1.03; on Node 22 (lazy requests)',
    'it measured ≈ 7.8 and on Node 20 ≈ 16 in the same session (a loaded 2-core VM).',
  ].join(' '),
  P3b: [
    "The turret bundle is the Lambda adapter (≈ 17.5 KB minified: every event source's detection, validation",
    'and result shaping, the lazy Request and Headers, the managed-runtime handler and its context), the router',
    '(≈ 12 KB: radix matcher, patterns and errors, method routers, layer/routeLayer/nest/merge/fallback, HEAD',
    'and 405 handling) and, with `text()`, the lazy Response (≈ 5 KB). Hono carries its SmartRouter (RegExp and',
    'Trie routers), context and a smaller adapter in ≈ 25.6 KB.',
  ].join(' '),
}

/** Profiling fixes made for missed targets, with the numbers before and after (appended to RESULTS.md). */
export const history = `## Before and after

- **P5, run() vs aws-lambda-ric** (2026-11-28). Profiling showed no timer or connection problem: the cost was
  node:http's per-request work (request object, agent bookkeeping, parser, an abort listener per /next), twice
  per invocation, ≈ 0.8 ms of CPU per invocation against ≈ 0.37 ms for aws-lambda-ric's native client. The
  Runtime API client now sends ordinary requests over its own keep-alive HTTP/1.1 connection pool (one write
  per request, Nagle off, a small response parser), keeping node:http for streamed responses.
  Before: turret / ric = 0.08–0.12 (smoke), 0.60–0.69 (same-process, alternated). After: 1.09–1.30 (smoke),
  1.00–1.07 (3,000 invocations), 1.04–1.36 (same-process, alternated); both now use ≈ 0.4 ms of CPU per
  invocation.
- **P2, the Lambda HTTP adapter**. The first adapter built a real \`Request\` and \`Headers\` per event; it now
  builds them lazily from the event (a real \`Request\` whose parts are made when read) and reads
  string/byte response bodies without a stream, and request extensions moved from a WeakMap to a
  symbol-keyed property (≈ 1.3 µs per request in a loop under GC).
- **P4, serve()**. A lazily built request, a fast path for ordinary URLs, and direct writes of string/byte
  bodies; afterwards turret's server CPU per request measured 63–83 µs against 43–47 µs for raw node:http on
  a loaded machine (no figure was recorded before these changes).
- **P4, serve(), second pass** (2026-11-28). Profiling found an AbortSignal built per request (≈ 5 µs on Node 20)
  only to pass to \`ready()\`, three closures and a close listener per request, and node:http's headers object
  built to read \`Host\`. Now: one signal and listener per connection, \`Host\` from \`rawHeaders\`, and
  \`text()\`/\`json()\`/\`html()\` return a lazy \`Response\` that \`serve()\` writes without building anything.
  Server CPU per request, same run (lowest of 3 interleaved rounds): old \`serve()\` + \`new Response\` 63.3 µs,
  new \`serve()\` + \`new Response\` 50.9 µs, new \`serve()\` + \`text()\` 25.0 µs, @hono/node-server 25.2 µs, raw
  node:http 23.4 µs. Before: turret / hono = 0.39, turret / raw = 0.5. After, six full runs: turret
  (\`text()\`) / hono = 0.87–1.34, / raw = 0.86–1.85.
- **P2, the adapter's own cost, second pass** (2026-11-28). The old figure subtracted a service whose body was
  read through a stream (which the adapter never does), so it moved with that read: 7.71 / 4.48 / 1.29 µs
  (v2 / v1 / ALB). The new measure (a service answering a prebuilt Response) gave ≈ 5.2 / 9.2 / 5.0 µs in a
  loop after the first change below, on a loaded machine. The changes: the context's AbortSignal, deadline timer and trace id built on first
  read (they were built per invocation; ≈ 10% of a profile); a synchronous result for in-memory bodies; the
  stream's own \`disturbed\` flag instead of \`res.bodyUsed\`; header validation and the header map in one pass
  with one remembered name lookup; response headers read in one pass; one \`then\` in \`handler()\`. After
  (fresh process per source, alternating rounds): ≈ 3.0 / 4.7 / 2.9 µs.
- **P3**. The Lambda adapter reads \`text()\` bodies through \`responseBody()\`; that first pulled the lazy
  \`Response\` class into the bundle (24.4 KB); with no computed members left on the class, esbuild drops it
  again (21.7 KB).
`

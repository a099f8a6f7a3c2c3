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
    "The adapter builds turret's lightweight `Request` (an object whose prototype chain reaches the global `Request.prototype` and whose getters answer from",
    'the event parts it was built from, the real object built only when something needs it), and with',
    "`overrideGlobalObjects` on (the default, as @hono/node-server does) the service's `new Response()` and",
    '`text()` are lightweight `Response`s that the adapter reads from their parts; no private state of undici or',
    'of streams is read. Earlier passes: the deadline signal, its timer and the trace id built only when read;',
    'a synchronous result for in-memory bodies; header validation and the header map in one pass; response',
    'headers read in one pass. The own cost is measured with a service answering a prebuilt Response, in a',
    'fresh process per event source, against that service alone, in alternating rounds. What limits it: the',
    'cost grows with the header entries of the event (≈ 60 ns each: a name lookup, a value check, trimming,',
    'the map insert); the REST v1 event carries its 26 headers twice (`multiValueHeaders` and `headers`).',
    'Validating every header is kept on purpose (a 400 rather than a crash or a TypeError inside the service).',
    'This machine is a shared 2-core VM: the same build measured 3.0–5.5 µs for v2 in runs minutes apart.',
  ].join(' '),
  P3: [
    'The bundle holds the full adapter: shape detection and validation for API Gateway v1/v2, Function URLs,',
    'ALB (both header modes) and WebSocket, the lightweight Request/Response, result shaping per source (cookies,',
    'multi-value headers, binary detection), and the managed-runtime `lambdaHandler()` with its context (the module',
    'list above). Tried: keeping the lightweight fetch classes free of computed members so esbuild can drop',
    'what a bundle does not use. An HTTP handler cannot know its event source',
    'at build time, so per-source code cannot be tree-shaken away, and validation (a 400 instead of a crash on',
    'malformed events) is kept on purpose; 8 KB would mean dropping one of them. For scale, hono with its adapter',
    "is ≈ 25 KB and serverless-http ≈ 19 KB. Import time is what users' cold starts pay, and it is within target.",
  ].join(' '),
  P4: [
    "serve() builds turret's lightweight `Request` from node:http's request (getters answering from its parts)",
    "and, with `overrideGlobalObjects` on (the default, like @hono/node-server), the service's `text()` and",
    '`new Response()` are lightweight `Response`s that serve() writes from their parts, building no undici',
    'object; no private state of undici or of streams is read. Earlier passes: one AbortSignal and close',
    'listener per connection instead of per request, `Host` read from `rawHeaders`. What is left is node:http',
    'and the kernel, the same for every contender, and the load generator sharing the 2 cores, which moves the',
    'ratio by ±15% between runs.',
  ].join(' '),
  P4b: [
    'The Hono app runs unchanged behind `fromFetch`: its `c.text()` builds a `Response` through the global,',
    "which is turret's lightweight one under serve() (as under @hono/node-server), so serve() writes it from",
    'its parts. The difference left is the service call (one `fromFetch` call and its promise) and serve()',
    "against @hono/node-server's own listener, both on node:http; the shared 2 cores move the ratio by ±15%.",
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
    "timer). The rest is the adapter's (P2): turret's lightweight `Request` builds the real undici object, and",
    'its signal, only when something needs it.',
  ].join(' '),
  P3b: [
    "The turret bundle is the Lambda adapter (≈ 17.5 KB minified: every event source's detection, validation",
    'and result shaping, the lightweight Request and Response, the managed-runtime handler and its context), the router',
    '(≈ 12 KB: radix matcher, patterns and errors, method routers, layer/routeLayer/nest/merge/fallback, HEAD',
    'and 405 handling). Hono carries its SmartRouter (RegExp and',
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
- **P2, the Lambda HTTP adapter** (the lazy objects of this entry and the next were replaced on 2026-12-03,
  below). The first adapter built a real \`Request\` and \`Headers\` per event; it now
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
  with one remembered name lookup; response headers read in one pass; one \`then\` in \`lambdaHandler()\`. After
  (fresh process per source, alternating rounds): ≈ 3.0 / 4.7 / 2.9 µs.
- **P2, P4: one layer of lightweight fetch objects** (2026-12-03). The lazy \`Request\`/\`Response\`/\`Headers\`
  of the entries above (three modules) found undici's state through its private symbols; Node 24's undici keeps
  it in private fields, so every request there took the slow fallback. They were replaced by one module:
  subclasses of the global \`Request\`/\`Response\` whose getters answer from their parts, installed as the
  globals by \`serve()\` and \`httpHandler()\` (\`overrideGlobalObjects\`, default on, as @hono/node-server
  does), reading no private state. Before, on Node 24: P2 v2 24.9 µs (\`text()\`) and 24.5 µs
  (\`new Response()\`) against 19.7 µs for hono; P4 \`serve()\` + \`text()\` 14k req/s against 52.5k for
  @hono/node-server (0.27×), \`new Response()\` 8.2k. After: the per-Node sections above.
- **P3**. The Lambda adapter reads \`text()\` bodies through \`responseBody()\`; that first pulled the lazy
  \`Response\` class into the bundle (24.4 KB); with no computed members left on the class, esbuild drops it
  again (21.7 KB).
`

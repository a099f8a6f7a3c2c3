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
    'Tried: a lazily built `Request` (a real `Request` whose headers and body are made from the event only when',
    'read), lazy `Headers`, reading string/bytes Response bodies without a stream, and keeping extensions in a',
    'symbol-keyed property instead of a WeakMap. The "own cost" here is the handler minus the service called with',
    'a Request prebuilt outside the timing, so it includes what the service triggers by reading a header: the',
    "event's headers (13 in the v2 event, with cookies) are then validated and normalised into real `Headers`,",
    'which is most of the v2 figure; the ALB event, with few headers, costs ≈ 1.3 µs. Hono is measured on the',
    'same service, and its ALB path builds less than its v2 path, hence the smaller ALB ratio. What limits it:',
    "undici's `Headers` and `Response` constructors in Node 20, and validating every header of the event.",
  ].join(' '),
  P3: [
    'The bundle holds the full adapter: shape detection and validation for API Gateway v1/v2, Function URLs,',
    'ALB (both header modes) and WebSocket, the lazy Request/Headers, result shaping per source (cookies,',
    'multi-value headers, binary detection), and the managed-runtime `handler()` with its context. An HTTP',
    'handler cannot know its event source at build time, so per-source code cannot be tree-shaken away;',
    "validation (a 400 instead of a crash on malformed events) is kept on purpose. Import time is what users'",
    'cold starts pay, and it is within the target when the run meets it.',
  ].join(' '),
  P4: [
    "Tried: a lazily built `Request` (undici's is only built when a body or an unusual property is read), a fast",
    'path for ordinary URLs, and writing string/byte bodies straight to the socket with Content-Length. What',
    "limits it: the service's own `new Response()` (undici; ≈ 15 µs in Node 20) and building fetch `Headers`",
    'per request, which raw node:http does not do; @hono/node-server avoids them by replacing the global',
    '`Request`/`Response` with its own lightweight classes, which a side-effect-free library does not do.',
    'Server and load generator share the two cores of this machine, so ratios move between runs.',
  ].join(' '),
  P5: [
    'Both runtimes are driven by the same emulator, one invocation at a time. turret posts each result with a',
    'keep-alive connection pool; aws-lambda-ric calls the Runtime API from native code (libcurl through its',
    'C++ addon).',
  ].join(' '),
  P6: 'Heap growth and live timers are measured after two full GCs; any growth here points at a leak in a layer.',
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
  a loaded machine (no figure was recorded before these changes); the remaining gap is described under P4.
`

#!/usr/bin/env bash
# What a user installs from npm works: packs every package in packages/ (their dist/ must be built:
# `pnpm build`), installs the tarballs into a fresh npm project in a temporary folder outside the
# workspace, and checks, with the `node` first on PATH:
#   1. each tarball holds package.json, README.md, LICENSE (MIT) and dist/ (with source maps), nothing else;
#      its package.json has the npm metadata and no `workspace:` range;
#   2. publint and @arethetypeswrong/cli (profile node16) pass on each tarball;
#   3. plain Node loads every exports-map entry with import() and with require();
#   4. a TypeScript consumer, and a file importing every entry's types, type-check under `module: nodenext`
#      (ESM and CJS) and under `moduleResolution: bundler`, with skipLibCheck false, lib es2023 (no DOM) and
#      only @types/node (plus @types/aws-lambda, which @turret/lambda depends on); the peers fp-ts and
#      @opentelemetry/api are installed beside the tarballs;
#   5. `npx turret --help` and `npx turret invoke` on a plain .mjs handler work; `npx turret` alone and a
#      missing event file exit 2 (the latter with one line).
# Prints "packed install (node vN): <what> failed" with the tool's output for every failing check (it goes on
# with the next check where it can) and exits 1 when any failed.
#   scripts/packed-install.sh                       # with the machine's node
#   PATH="$(scripts/node-bin.sh 24):$PATH" scripts/packed-install.sh
#   KEEP=1 scripts/packed-install.sh                # keep the temporary project to look at
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
here="$repo/scripts/packed-install"
node_version="$(node --version)"
types_node="$(node -p "require('$repo/package.json').devDependencies['@types/node']")"
fp_ts="$(node -p "require('$repo/package.json').devDependencies['fp-ts']")"
# @turret/otel's peer, at the version its tests use.
otel_api="$(node -p "require('$repo/packages/otel/package.json').devDependencies['@opentelemetry/api']")"
tsc="$repo/node_modules/typescript/bin/tsc"
bin="$repo/node_modules/.bin"

failures=0
# fail <what> [log]: reports a failed check and goes on; die <what> [log]: reports it and stops.
fail() {
  echo "packed install (node $node_version): $1 failed" >&2
  if [ -n "${2:-}" ] && [ -f "$2" ]; then sed 's/^/  /' "$2" >&2; fi
  failures=$((failures + 1))
}
die() {
  fail "$@"
  exit 1
}
step() { echo "--- $*"; }

work="$(mktemp -d "${TMPDIR:-/tmp}/turret-packed-XXXXXX")"
case "$work/" in "$repo"/*) die "making a temporary folder outside the workspace ($work)" ;; esac
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else echo "keeping $work"; fi
log="$work/log"
mkdir -p "$work/tarballs" "$work/app"

step "pack"
for dir in "$repo"/packages/*/; do
  name="$(basename "$dir")"
  [ -f "$dir/dist/index.js" ] || die "packing packages/$name (no dist/: run pnpm build first)"
  (cd "$dir" && pnpm pack --pack-destination "$work/tarballs" >"$log" 2>&1) || die "pnpm pack in packages/$name" "$log"
done
tarballs=("$work"/tarballs/*.tgz)
[ "${#tarballs[@]}" -eq "$(ls -d "$repo"/packages/*/ | wc -l)" ] || die "packing (expected one tarball per package)"

step "tarball contents, publint, attw --profile node16"
for tgz in "${tarballs[@]}"; do
  base="$(basename "$tgz")"
  node "$here/check-tarball.mjs" "$tgz" >"$log" 2>&1 || fail "checking the contents of $base" "$log"
  "$bin/publint" run "$tgz" --strict >"$log" 2>&1 || fail "publint on $base" "$log"
  "$bin/attw" "$tgz" --profile node16 --no-definitely-typed --format ascii --no-color --no-emoji >"$log" 2>&1 \
    || fail "attw (node16 profile) on $base" "$log"
done

step "npm install of the tarballs into $work/app"
cp "$here"/project/* "$work/app/"
cp "$repo/test/fixtures/events/apigw-v2/apigw_v2_proxy_request.json" "$work/app/event.json"
node -e '
  const fs = require("fs"), path = require("path")
  const [dir, typesNode, fpTs, otelApi, ...tgzs] = process.argv.slice(1)
  const dependencies = { "fp-ts": fpTs, "@opentelemetry/api": otelApi }
  for (const t of tgzs) {
    const m = /^turret-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(path.basename(t))
    dependencies[`@turret/${m[1]}`] = `file:${t}`
  }
  const pkg = { name: "turret-packed-install", version: "0.0.0", private: true, type: "module", dependencies,
    devDependencies: { "@types/node": typesNode } }
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2))
' "$work/app" "$types_node" "$fp_ts" "$otel_api" "${tarballs[@]}"
(cd "$work/app" && npm install --no-audit --no-fund --prefer-offline --loglevel=error >"$log" 2>&1) \
  || die "npm install of the tarballs" "$log"
extra_types="$(ls "$work/app/node_modules/@types" | grep -v -x -e node -e aws-lambda || true)"
[ -z "$extra_types" ] || fail "checking @types (unexpected: $extra_types)"

step "import() and require() of every exports-map entry"
if (cd "$work/app" && node check-entries.mjs >"$log" 2>&1); then cat "$log"; else fail "loading the entries in plain node" "$log"; fi

# Every entry's declarations, from ESM (.mts: the "import" types) and from CJS (.cts: the "require" types).
node -e '
  const fs = require("fs"), path = require("path")
  const dir = process.argv[1], root = path.join(dir, "node_modules/@turret")
  const specs = []
  for (const name of fs.readdirSync(root).sort()) {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, name, "package.json"), "utf8"))
    for (const key of Object.keys(pkg.exports)) if (key !== "./package.json") specs.push(key === "." ? pkg.name : pkg.name + key.slice(1))
  }
  const header = "// Generated by scripts/packed-install.sh: every exports-map entry.\n"
  fs.writeFileSync(path.join(dir, "entries.mts"), header + specs.map((s, i) => `import type * as e${i} from "${s}"\nexport type { e${i} }\n`).join(""))
  fs.writeFileSync(path.join(dir, "entries.cts"), header + specs.map((s, i) => `import e${i} = require("${s}")\nexport type T${i} = typeof e${i}\n`).join(""))
' "$work/app"

step "tsc: module nodenext, then moduleResolution bundler (skipLibCheck false, lib es2023, @types/node only)"
(cd "$work/app" && node "$tsc" -p tsconfig.nodenext.json >"$log" 2>&1) || fail "type-checking the consumer under nodenext" "$log"
(cd "$work/app" && node "$tsc" -p tsconfig.bundler.json >"$log" 2>&1) || fail "type-checking the consumer under bundler" "$log"

step "npx turret"
(cd "$work/app" && npx --no-install turret --help >"$log" 2>&1) || fail "npx turret --help" "$log"
grep -q "turret invoke <module>" "$log" || fail "npx turret --help (no usage line)" "$log"
(cd "$work/app" && npx --no-install turret invoke handler.mjs --event event.json >"$log" 2>"$work/err") \
  || { cat "$work/err" >>"$log"; fail "npx turret invoke handler.mjs" "$log"; }
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
  const body = JSON.parse(r.body)
  if (r.statusCode !== 200 || body.path !== "/my/path" || body.method !== "POST" || !r.headers["x-request-id"])
    throw new Error("unexpected result: " + JSON.stringify(r))
' "$log" 2>"$work/err" || { cat "$work/err" >>"$log"; fail "checking the output of npx turret invoke" "$log"; }

set +e
(cd "$work/app" && npx --no-install turret >/dev/null 2>"$log"); code=$?
[ "$code" -eq 2 ] && grep -q "turret invoke <module>" "$log" || fail "npx turret with no command (exit $code, want 2 and the help)" "$log"
(cd "$work/app" && npx --no-install turret invoke handler.mjs --event missing.json >/dev/null 2>"$log"); code=$?
[ "$code" -eq 2 ] && [ "$(cat "$log")" = "turret invoke: event file not found (missing.json)" ] \
  || fail "npx turret invoke with a missing event file (exit $code, want 2 and one line)" "$log"
set -e

if [ "$failures" -gt 0 ]; then
  echo "packed install (node $node_version): $failures check(s) failed" >&2
  exit 1
fi
echo "packed install: ok on node $node_version (${#tarballs[@]} tarballs)"

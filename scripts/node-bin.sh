#!/usr/bin/env bash
# Prints the directory of a `node` binary of the given major version (24, 22 or 20).
# The machine's own node is used when its major matches; otherwise the npm registry's `node`
# package is installed once into .cache/node/<major>/ inside the workspace (gitignored).
#   PATH="$(scripts/node-bin.sh 24):$PATH" pnpm test
set -euo pipefail
major="${1:?usage: scripts/node-bin.sh <major>}"
root="$(cd "$(dirname "$0")/.." && pwd)"
if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then
  dirname "$(command -v node)"
  exit 0
fi
dir="$root/.cache/node/$major"
if [ ! -x "$dir/node_modules/.bin/node" ]; then
  mkdir -p "$dir"
  npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" "node@$major" >"$dir.log" 2>&1 \
    || { echo "node-bin: installing node@$major failed (see $dir.log)" >&2; exit 1; }
fi
"$dir/node_modules/.bin/node" --version >/dev/null
echo "$dir/node_modules/.bin"

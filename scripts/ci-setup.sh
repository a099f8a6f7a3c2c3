#!/usr/bin/env bash
# System dependencies for the test suite (called by .ci/run before install when executable).
# Installs Debian's `chromium` for the real-browser CORS test (packages/http/src/cors/cors.browser.test.ts)
# when /usr/bin/chromium is absent. Quiet and idempotent: prints nothing when there is nothing to do.
set -euo pipefail

[ -x /usr/bin/chromium ] && exit 0

SUDO=''
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO='sudo -n'
  else
    echo "ci-setup: not root and no sudo; cannot install chromium (the browser test will be skipped)" >&2
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ci-setup: no apt-get; install chromium at /usr/bin/chromium or set CHROMIUM_PATH (the browser test will be skipped)" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq chromium >/dev/null
echo "ci-setup: installed $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"

#!/usr/bin/env bash
# System dependencies for the test suite (called by .ci/run before install when executable).
# Installs Debian's `chromium` for the real-browser CORS test (packages/http/src/cors/cors.browser.test.ts)
# when /usr/bin/chromium is absent, and autoconf/automake/libtool, which the native addon of
# aws-lambda-ric (packages/dev conformance test) needs to build. Quiet and idempotent: prints
# nothing when there is nothing to do.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v autoconf >/dev/null 2>&1 || missing+=(autoconf)
command -v automake >/dev/null 2>&1 || missing+=(automake)
command -v libtoolize >/dev/null 2>&1 || missing+=(libtool)
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=''
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO='sudo -n'
  else
    echo "ci-setup: not root and no sudo; cannot install ${missing[*]} (tests that need them will be skipped)" >&2
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ci-setup: no apt-get; install ${missing[*]} (tests that need them will be skipped)" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
echo "ci-setup: installed ${missing[*]}"

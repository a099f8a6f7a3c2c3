#!/usr/bin/env bash
# System dependencies for the test suite (called by .ci/run before install when executable).
# Installs Debian's `chromium` for the real-browser CORS test when it is absent. Quiet and idempotent.
set -euo pipefail

if [ ! -x /usr/bin/chromium ]; then
  SUDO=''
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO='sudo'; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
  echo "ci-setup: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
fi

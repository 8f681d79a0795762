#!/usr/bin/env bash
# Makes sure a Chromium the browser test can drive is installed: Debian's
# `chromium` package (playwright-core is given its path; it never downloads a
# browser build of its own). Idempotent: an installed chromium is used as it is.
# Exit 3 means it cannot be installed here; the message says what to do.
set -euo pipefail
log() { printf '[browser] %s\n' "$*" >&2; }
fail() { printf '[browser] error: %s\n' "$*" >&2; exit 3; }

command -v chromium >/dev/null 2>&1 && exit 0
[ "$(id -u)" = 0 ] || fail "chromium is missing and this is not root: install Debian's chromium package (apt-get install chromium), then run again"
command -v apt-get >/dev/null 2>&1 || fail "chromium is missing and this is not a Debian-like system: install Chromium and put it on PATH as 'chromium'"
log "installing Debian's chromium (first time only)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends chromium >&2 2>/dev/null || { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends chromium >&2; } || fail "apt-get install chromium failed (see above)"
command -v chromium >/dev/null 2>&1 || fail "chromium was installed but is not on PATH"

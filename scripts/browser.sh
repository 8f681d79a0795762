#!/usr/bin/env bash
# Makes sure a Chromium the browser test can drive is installed: Debian's
# `chromium` package (playwright-core is given its path; it never downloads a
# browser build of its own), and a Korean font (`fonts-nanum`): the articles'
# sentences in the reports and their screenshots are Korean. Idempotent: what
# is installed is used as it is. Exit 3 means it cannot be installed here; the
# message says what to do.
set -euo pipefail
log() { printf '[browser] %s\n' "$*" >&2; }
fail() { printf '[browser] error: %s\n' "$*" >&2; exit 3; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v fc-list >/dev/null 2>&1 && fc-list :lang=ko | grep -q . || missing+=(fonts-nanum)
[ ${#missing[@]} -eq 0 ] && exit 0
[ "$(id -u)" = 0 ] || fail "missing ${missing[*]} and this is not root: install Debian's ${missing[*]} (apt-get install ${missing[*]}), then run again"
command -v apt-get >/dev/null 2>&1 || fail "missing ${missing[*]} and this is not a Debian-like system: install Chromium (on PATH as 'chromium') and a Korean font"
log "installing Debian's ${missing[*]} (first time only)"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 2>/dev/null || { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; } || fail "apt-get install ${missing[*]} failed (see above)"
command -v chromium >/dev/null 2>&1 || fail "chromium was installed but is not on PATH"

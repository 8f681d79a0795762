#!/usr/bin/env bash
# Runs rhysd/actionlint (pinned; built once from the Go module proxy into the
# lab's cache) on the given workflow files. Usage: actionlint.sh FILE...
set -euo pipefail
version=v1.7.12
cache=${NETPROOF_CACHE:-$([ "$(id -u)" = 0 ] && echo /var/cache/netproof || echo "$HOME/.cache/netproof")}
bin="$cache/tools/actionlint-$version/actionlint"
if ! [ -x "$bin" ]; then
  command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null 2>&1 || { echo "Go is needed to build actionlint: install Go >= 1.24" >&2; exit 3; }
  GOBIN="$(dirname "$bin")" GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-trimpath \
    go install -ldflags "-s -w" "github.com/rhysd/actionlint/cmd/actionlint@$version" >&2
fi
exec "$bin" "$@"

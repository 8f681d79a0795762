#!/usr/bin/env bash
# Builds Traefik (K15's ingress controller) into OUT_DIR from the Go module
# proxy only, at TRAEFIK_VERSION of kind/versions.env. `go install mod@version`
# refuses it (its go.mod has replace directives), so it is built as the main
# module, from a writable copy of its module-cache directory. v3.7.13's replace
# names a pseudo-version of the fork containous/go-http-auth the proxy refuses
# (403); v3.6.12's is served. Usage: traefik.sh traefik OUT_DIR
set -euo pipefail
out=${2:?usage: traefik.sh traefik OUT_DIR}
kind_dir=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../versions.env
source "$kind_dir/versions.env"
command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 || { echo "Go is needed to build traefik: install Go >= 1.24" >&2; exit 3; }
mkdir -p "$out"
export CGO_ENABLED=0 GOTOOLCHAIN=local
m=github.com/traefik/traefik/v3
src=$(go mod download -json "$m@$TRAEFIK_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[ -d "$src" ] || { echo "go mod download $m@$TRAEFIK_VERSION gave no directory" >&2; exit 1; }
tmp=$(mktemp -d /var/tmp/netproof-traefik-src.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp -r "$src/." "$tmp" && chmod -R u+w "$tmp"
cd "$tmp"
GOFLAGS="-trimpath -mod=mod" go build -ldflags "-s -w -X $m/pkg/version.Version=$TRAEFIK_VERSION" -o "$out/traefik" ./cmd/traefik

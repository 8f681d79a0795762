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
# shellcheck source=go-env.sh
source "$kind_dir/build/go-env.sh"
need_go traefik
mkdir -p "$out"
m=github.com/traefik/traefik/v3
module_copy "$m" "$TRAEFIK_VERSION"
cd "$module_dir"
GOFLAGS="-trimpath -mod=mod" go build -ldflags "-s -w -X $m/pkg/version.Version=$TRAEFIK_VERSION" -o "$out/traefik" ./cmd/traefik

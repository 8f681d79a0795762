#!/usr/bin/env bash
# Builds kube-router into OUT_DIR from the Go module proxy only, at the version
# pinned in versions.env beside this script. Usage: build.sh OUT_DIR
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$dir/versions.env"
# shellcheck source=../../build/go-env.sh
source "$dir/../../build/go-env.sh"
need_go kube-router
mkdir -p "$out"
export GOFLAGS=-trimpath GOBIN="$out"

m=github.com/cloudnativelabs/kube-router/v2
go install -ldflags "-s -w -X $m/pkg/version.Version=$KUBE_ROUTER_VERSION -X $m/pkg/version.BuildDate=1970-01-01" \
  "$m/cmd/kube-router@$KUBE_ROUTER_VERSION"

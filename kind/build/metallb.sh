#!/usr/bin/env bash
# Builds MetalLB (K14's load balancer: controller and speaker, L2 mode) into
# OUT_DIR from the Go module proxy only, at METALLB_VERSION of kind/versions.env,
# as the main module from a writable copy of its module (go install refuses a
# module with two commands to build under one go.mod). It also copies the
# module's own install manifest (config/manifests/metallb-native.yaml), which
# the lab rewrites at run time (images, namespace, names). v0.16.x cannot be
# built here: its go.mod requires github.com/metallb/frr-k8s v0.0.27, which the
# module proxy does not serve; v0.15.2 requires v0.0.20, which it does.
# Usage: metallb.sh metallb OUT_DIR
set -euo pipefail
out=${2:?usage: metallb.sh metallb OUT_DIR}
kind_dir=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../versions.env
source "$kind_dir/versions.env"
# shellcheck source=go-env.sh
source "$kind_dir/build/go-env.sh"
need_go metallb
mkdir -p "$out"
module_copy go.universe.tf/metallb "$METALLB_VERSION"
cd "$module_dir"
GOFLAGS="-trimpath -mod=mod" go build -ldflags "-s -w" -o "$out/" ./controller ./speaker
cp config/manifests/metallb-native.yaml "$out/metallb-native.yaml"
chmod 644 "$out/metallb-native.yaml"

#!/usr/bin/env bash
# Builds flannel's binaries into OUT_DIR from the Go module proxy only, at the
# versions pinned in versions.env beside this script. Usage: build.sh OUT_DIR
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$dir/versions.env"
# shellcheck source=../../build/go-env.sh
source "$dir/../../build/go-env.sh"
need_go flannel
mkdir -p "$out"
export GOFLAGS=-trimpath GOBIN="$out"

m=github.com/flannel-io/flannel
# main.go links the tencentvpc backend, whose SDK module is not on the proxy:
# build a copy of the pinned module without that one import (a cloud backend
# the lab never uses). The udp backend needs cgo, as upstream's static build.
module_copy "$m" "$FLANNEL_VERSION"
tmp=$module_dir
grep -q 'pkg/backend/tencentvpc"' "$tmp/main.go" || { echo "flannel main.go no longer imports tencentvpc: revisit kind/cni/flannel/build.sh" >&2; exit 1; }
sed -i '/pkg\/backend\/tencentvpc"/d' "$tmp/main.go"
(cd "$tmp" && CGO_ENABLED=1 go build -tags netgo,osusergo \
  -ldflags "-s -w -X $m/pkg/version.Version=$FLANNEL_VERSION -extldflags -static" -o "$out/flanneld" .)
(cd "$tmp" && go build -ldflags "-s -w" -o "$out/install-conf" ./cmd/install_conf)
# The CNI plugin the manifest's install-cni-plugin step copies to /opt/cni/bin/flannel.
go install -ldflags "-s -w" "github.com/containernetworking/plugins/plugins/meta/flannel@$FLANNEL_CNI_PLUGINS_VERSION"
mv "$out/flannel" "$out/flannel-cni"

#!/usr/bin/env bash
# Builds Cilium's agent-side binaries into OUT_DIR from the Go module proxy
# only, at the versions pinned in versions.env beside this script, plus the BPF
# sources the agent compiles at run time and the scripts its chart's init
# containers run. Usage: build.sh OUT_DIR
#
# Not built: cilium-operator. It imports sigs.k8s.io/mcs-api/controllers
# v0.5.2, which the module proxy refuses (403, every version tried); the lab
# applies the CRDs the operator would register from the same module instead.
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$dir/versions.env"
# shellcheck source=../../build/go-env.sh
source "$dir/../../build/go-env.sh"
need_go cilium
mkdir -p "$out"

m=github.com/cilium/cilium
module_copy "$m" "$CILIUM_VERSION"
cd "$module_dir"
go mod edit -replace "github.com/osrg/gobgp/v4=github.com/osrg/gobgp/v4@$CILIUM_GOBGP_VERSION"
export GOFLAGS="-trimpath -mod=mod"
ldflags="-s -w -X '$m/pkg/version.ciliumVersion=${CILIUM_VERSION#v} module'"
# The tags upstream's Makefile.defs sets for every build.
for pair in cilium-agent:./daemon cilium-dbg:./cilium-dbg cilium-cni:./plugins/cilium-cni \
  cilium-mount:./tools/mount cilium-sysctlfix:./tools/sysctlfix; do
  go build -tags osusergo -ldflags "$ldflags" -o "$out/${pair%%:*}" "${pair#*:}"
done
# The BPF sources as upstream's install-bpf lays them out (/var/lib/cilium/bpf),
# without its tests; and the init containers' scripts, as its Dockerfile copies them.
tar -cf "$out/bpf.tar" --exclude='bpf/tests' --exclude='bpf/complexity-tests' --exclude='bpf/custom' \
  --exclude='bpf/Makefile*' --exclude='bpf/.gitignore' bpf
cp images/cilium/init-container.sh plugins/cilium-cni/install-plugin.sh plugins/cilium-cni/cni-uninstall.sh "$out/"

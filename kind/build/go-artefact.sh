#!/usr/bin/env bash
# Builds one Go artefact of the kind pipeline into OUT_DIR, from the Go module
# proxy only: modules by pinned version (go install mod@version) or through a
# wrapper module committed under kind/. Usage: go-artefact.sh NAME OUT_DIR
set -euo pipefail
name=${1:?usage: go-artefact.sh NAME OUT_DIR}
out=${2:?usage: go-artefact.sh NAME OUT_DIR}
kind_dir=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$kind_dir/.." && pwd)
# shellcheck source=../versions.env
source "$kind_dir/versions.env"
command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 || { echo "Go is needed to build $name: install Go >= 1.24" >&2; exit 3; }
mkdir -p "$out"
export CGO_ENABLED=0 GOFLAGS=-trimpath GOBIN="$out"
# Use the toolchain that is here; never download another one.
export GOTOOLCHAIN=local

case "$name" in
  kind)
    go install -ldflags "-s -w" "sigs.k8s.io/kind@$KIND_VERSION" ;;
  kubernetes)
    v=$K8S_VERSION minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
    x=""
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      x+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
      x+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
    done
    grep -Eq "^\s*(require )?k8s.io/kubernetes $v( |\$)" "$kind_dir/k8s/go.mod" \
      || { echo "kind/k8s/go.mod does not require k8s.io/kubernetes $v: update it with versions.env" >&2; exit 1; }
    cd "$kind_dir/k8s"
    go build -ldflags "-s -w$x" -o "$out/" \
      k8s.io/kubernetes/cmd/kubeadm k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubectl \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-proxy
    cp "$(go env GOMODCACHE)/k8s.io/kubernetes@$v/build/pause/linux/pause.c" "$out/pause.c"
    chmod 644 "$out/pause.c" ;;
  containerd)
    # Built as engines/moby/build.sh builds the newer engine's containerd (a writable copy as
    # the main module; -trimpath then names its files alike), so at one version Go's build
    # cache serves one build's packages to the other.
    # shellcheck source=go-env.sh
    source "$kind_dir/build/go-env.sh"
    m=github.com/containerd/containerd/v2
    module_copy "$m" "$CONTAINERD_VERSION"
    (cd "$module_dir" && go build -mod=mod -tags "no_aufs no_zfs no_btrfs no_devmapper" \
      -ldflags "-s -w -X $m/version.Version=$CONTAINERD_VERSION -X $m/version.Revision=module" \
      -o "$out/" ./cmd/containerd ./cmd/ctr ./cmd/containerd-shim-runc-v2) ;;
  etcd)
    grep -q "go.etcd.io/etcd/server/v3 v${ETCD_VERSION%-*}\b" "$kind_dir/mods/etcd/go.mod" \
      || { echo "kind/mods/etcd/go.mod does not build etcd ${ETCD_VERSION%-*}: update it with versions.env" >&2; exit 1; }
    cd "$kind_dir/mods/etcd" && go build -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3 ;;
  coredns)
    # Only the plugins a lab Corefile uses (mods/coredns/main.go says why).
    grep -Eq "^require github.com/coredns/coredns $COREDNS_VERSION\$" "$kind_dir/mods/coredns/go.mod" \
      || { echo "kind/mods/coredns/go.mod does not build CoreDNS $COREDNS_VERSION: update it with versions.env" >&2; exit 1; }
    cd "$kind_dir/mods/coredns" && go build -ldflags "-s -w" -o "$out/coredns" . ;;
  helm)
    go install -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" ;;
  local-path-provisioner)
    go install -ldflags "-s -w" "github.com/rancher/local-path-provisioner@$LOCAL_PATH_PROVISIONER_VERSION" ;;
  kindnetd)
    cd "$kind_dir/kindnetd" && go build -ldflags "-s -w" -o "$out/kindnetd" . ;;
  oci-capdrop)
    cd "$repo/tools/oci-capdrop" && go build -ldflags "-s -w" -o "$out/oci-capdrop" . ;;
  *) echo "unknown artefact $name" >&2; exit 2 ;;
esac

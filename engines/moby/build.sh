#!/usr/bin/env bash
# Builds one Docker engine's binaries into OUT_DIR from the Go module proxy
# only, at the versions pinned in engines/<engine>/versions.env: dockerd and
# docker-proxy from moby, containerd and its runc shim, and runc, at the
# versions moby's own Dockerfile builds that release with.
# Usage: build.sh ENGINE_DIR OUT_DIR
set -euo pipefail
engine_dir=${1:?usage: build.sh ENGINE_DIR OUT_DIR}
out=${2:?usage: build.sh ENGINE_DIR OUT_DIR}
# shellcheck source=../29.8/versions.env
source "$engine_dir/versions.env"
# shellcheck source=../../kind/build/go-env.sh
source "$(dirname "$0")/../../kind/build/go-env.sh"
need_go "Docker $DOCKER_VERSION"
mkdir -p "$out"
export GOFLAGS=-trimpath GOBIN="$out"

# moby as the main module from a writable copy: 28.x has vendor.mod in place of go.mod.
module_copy "$MOBY_MODULE" "$MOBY_VERSION"
src=$module_dir
if [ "$MOBY_GO_MOD" != go.mod ]; then
  cp "$src/$MOBY_GO_MOD" "$src/go.mod"
  cp "$src/${MOBY_GO_MOD%.mod}.sum" "$src/go.sum"
  rm -rf "$src/vendor"
fi
mod_path=$(cd "$src" && go list -m -mod=mod)
# The static build moby's hack/make.sh makes (netgo osusergo, no cgo), without the btrfs driver (its headers are cgo).
(cd "$src" && go build -mod=mod -tags "netgo osusergo exclude_graphdriver_btrfs" \
  -ldflags "-s -w -X $mod_path/dockerversion.Version=$DOCKER_VERSION -X $mod_path/dockerversion.GitCommit=module-$MOBY_VERSION" \
  -o "$out/" ./cmd/dockerd ./cmd/docker-proxy)

# containerd as the main module too: 1.7's go.mod has exclude directives, which `go install pkg@version` refuses.
m=$CONTAINERD_MODULE
module_copy "$m" "$CONTAINERD_VERSION"
(cd "$module_dir" && go build -mod=mod -tags "no_aufs no_zfs no_btrfs no_devmapper" \
  -ldflags "-s -w -X $m/version.Version=$CONTAINERD_VERSION -X $m/version.Revision=module" \
  -o "$out/" ./cmd/containerd ./cmd/containerd-shim-runc-v2)

# runc needs cgo for seccomp (libseccomp-dev); linked against the image's libseccomp2.
if [ ! -e /usr/include/seccomp.h ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing libseccomp-dev from Debian (one time, for runc)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libseccomp-dev >&2
fi
command -v gcc >/dev/null && [ -e /usr/include/seccomp.h ] || { echo "runc needs gcc and libseccomp-dev: apt-get install gcc libseccomp-dev" >&2; exit 3; }
# As the main module: runc 1.3's go.mod has replace directives, which `go install pkg@version` refuses.
module_copy github.com/opencontainers/runc "$RUNC_VERSION"
# runc 1.3.3 replaces go-selinux with a patched copy (CVE-2025-52881) that its module
# zip lacks (a nested module); RUNC_SELINUX names the upstream release carrying the fix.
if [ -n "${RUNC_SELINUX:-}" ]; then
  (cd "$module_dir" && go mod edit -dropreplace github.com/opencontainers/selinux -require "github.com/opencontainers/selinux@$RUNC_SELINUX")
fi
(cd "$module_dir" && CGO_ENABLED=1 go build -mod=mod -tags seccomp -ldflags "-s -w -X main.version=${RUNC_VERSION#v}" -o "$out/runc" .)

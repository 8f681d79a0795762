#!/usr/bin/env bash
# `make actions-local`: runs .github/workflows/cni-matrix.yml for real through
# act (nektos/act, pinned, built once from the Go module proxy), with this
# machine as the runner (-P ubuntu-24.04=-self-hosted) in offline supply: one
# CNI leg (NETPROOF_ACT_CNI, default kindnetd-lab), the Docker leg of ubuntu-24.04
# (this machine's engine), the engines leg of 20.10 (the lab host that needs no
# engine build), then the compare job. GitHub's actions cannot be fetched here: act gets the stand-ins of
# tools/act-stand-ins/ (named as such there) instead; the workflow is unchanged.
# Artifacts land in OUT/artifacts/<name>/, the compare job's table in
# OUT/artifacts/compare/compare.md, which is printed at the end.
#   actions-local.sh [OUT]      (default results/actions-local)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=v0.2.89
cache=${NETPROOF_CACHE:-$([ "$(id -u)" = 0 ] && echo /var/cache/netproof || echo "$HOME/.cache/netproof")}
act="$cache/tools/act-$version/act"
say() { printf '[actions-local] %s\n' "$*" >&2; }
if ! [ -x "$act" ]; then
  command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null 2>&1 || { echo "Go is needed to build act: install Go >= 1.24" >&2; exit 3; }
  say "building act $version from the Go module proxy (first time only)"
  GOBIN="$(dirname "$act")" GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-trimpath nice -n 10 \
    go install -ldflags "-s -w" "github.com/nektos/act@$version" >&2
fi
out=$(realpath -m "${1:-results/actions-local}")
cni=${NETPROOF_ACT_CNI:-kindnetd-lab}
rm -rf "$out"; mkdir -p "$out/artifacts"
stand_ins="$root/tools/act-stand-ins"
# act asks api.nektosact.com for notices unless told not to: nothing leaves the machine.
export ACT_DISABLE_VERSION_CHECK=1
export NETPROOF_ACT_ARTIFACTS="$out/artifacts"
# The checkout stand-in clones this repository at its HEAD (what act gives as GITHUB_SHA): commit what you want run.
export NETPROOF_ACT_REPO="$root"
say "workflow cni-matrix through act $version: kubernetes ($cni), docker (ubuntu-24.04), engine 20.10, compare; offline supply; log in $out/act.log"
status=0
# pipefail (above): act's exit status survives the tee.
"$act" workflow_dispatch -W .github/workflows/cni-matrix.yml \
  -P ubuntu-24.04=-self-hosted --input supply=offline --matrix "cni:$cni" --matrix runner:ubuntu-24.04 --matrix engine:20.10 \
  --concurrent-jobs 1 --no-skip-checkout \
  --local-repository "actions/checkout@v4=$stand_ins/checkout" \
  --local-repository "actions/setup-node@v4=$stand_ins/setup-node" \
  --local-repository "actions/setup-go@v5=$stand_ins/setup-go" \
  --local-repository "actions/upload-artifact@v4=$stand_ins/upload-artifact" \
  --local-repository "actions/download-artifact@v4=$stand_ins/download-artifact" \
  2>&1 | tee "$out/act.log" >&2 || status=$?
summary="$out/artifacts/compare/compare.md"
if [ -f "$summary" ]; then cat "$summary"; else say "the compare job left no $summary"; status=1; fi
exit "$status"

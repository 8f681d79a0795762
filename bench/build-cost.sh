#!/usr/bin/env bash
# What a fresh machine's `npm test` spends on Go builds: builds every artefact
# its tiers use, in the order they are reached, with one empty Go build cache
# shared by all (as on a fresh machine; the module cache is kept, downloads are
# not CPU), and prints each build's wall time and CPU time (user + system).
# Nothing is installed or cached: outputs go to a temporary directory.
# Usage: bench/build-cost.sh [ARTEFACT...]   (default: all, in the tiers' order)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /var/tmp/netproof-build-cost.XXXXXX)
trap 'rm -rf "$work"' EXIT
export GOCACHE="$work/go-build"
all=(compose engine-29.8 kind kubernetes containerd etcd coredns local-path-provisioner kindnetd traefik metallb kube-router)
[ $# -gt 0 ] && all=("$@")
printf '%-24s %8s %8s %8s\n' artefact wall_s cpu_s cores
total_wall=0 total_cpu=0
for name in "${all[@]}"; do
  out="$work/out/$name"
  case "$name" in
    # An installed plugin would be used as it is: a docker that finds none forces the build.
    compose) cmd=(env NETPROOF_COMPOSE_PLUGIN_DIR="$out" bash -c 'docker() { return 1; }; export -f docker; exec bash "$0"' "$repo/scripts/compose.sh") ;;
    engine-*) cmd=(bash "$repo/engines/moby/build.sh" "$repo/engines/${name#engine-}" "$out") ;;
    traefik|metallb) cmd=(bash "$repo/kind/build/$name.sh" "$name" "$out") ;;
    kube-router) cmd=(bash "$repo/kind/cni/kube-router/build.sh" "$out") ;;
    *) cmd=(bash "$repo/kind/build/go-artefact.sh" "$name" "$out") ;;
  esac
  /usr/bin/time -f '%e %U %S' -o "$work/time" "${cmd[@]}" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
  read -r wall user sys <"$work/time"
  cpu=$(echo "$user + $sys" | bc)
  printf '%-24s %8.0f %8.0f %8.2f\n' "$name" "$wall" "$cpu" "$(echo "$cpu / $wall" | bc -l)"
  total_wall=$(echo "$total_wall + $wall" | bc) total_cpu=$(echo "$total_cpu + $cpu" | bc)
done
printf '%-24s %8.0f %8.0f\n' total "$total_wall" "$total_cpu"

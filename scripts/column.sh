#!/usr/bin/env bash
# One column of the comparison: every scenario of one environment, in one
# batch (the Kubernetes ones share one cluster, made and removed by the batch),
# each with its results and JUnit file in one directory: the layout `npm run
# compare` and the workflow's artifacts use (DIR/<scenario>.json, .md, .html, .junit.xml).
#   column.sh kubernetes CNI DIR     every Kubernetes scenario on a cluster with that CNI
#   column.sh docker DIR             every Docker scenario on the engine (NETPROOF_ENGINE, default the machine's)
# The exit status is the batch's (0 ran, 4 when a scenario could not be carried out, …).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
usage() { echo "usage: column.sh kubernetes CNI DIR | docker DIR" >&2; exit 2; }
case "${1:-}" in
  kubernetes) [ $# -eq 3 ] || usage; set -- "$3" --kind --cni "$2" ;;
  docker) [ $# -eq 2 ] || usage; set -- "$2" --docker ;;
  *) usage ;;
esac
exec bash "$root/scripts/netproof.sh" scenario --all "${@:2}" --results "$1" --junit "${1%/}/"

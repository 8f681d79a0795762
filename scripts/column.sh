#!/usr/bin/env bash
# One column of the comparison: every scenario of one environment, each with its
# results and JUnit file in one directory (the layout `npm run compare` and the
# workflow's artifacts use: DIR/<scenario>.json, .md, .html, .junit.xml).
#   column.sh kubernetes CNI DIR     every Kubernetes scenario on a cluster with that CNI
#   column.sh docker DIR             every Docker scenario on the engine (NETPROOF_ENGINE, default the machine's)
# A scenario that fails does not stop the others; the exit status is the last failure's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
usage() { echo "usage: column.sh kubernetes CNI DIR | docker DIR" >&2; exit 2; }
case "${1:-}" in
  kubernetes) [ $# -eq 3 ] || usage; environment=kind; export NETPROOF_CNI=$2; dir=$3 ;;
  docker) [ $# -eq 2 ] || usage; environment=docker; dir=$2 ;;
  *) usage ;;
esac
mkdir -p "$dir"
# The CLI's own listing says which scenarios run where (stdout is JSON; set-up lines go to stderr).
scenarios=$(bash "$root/scripts/netproof.sh" scenario --list --json |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const e of JSON.parse(s))if(e.environment.split(" ")[0]===process.argv[1])console.log(e.name)})' "$environment")
[ -n "$scenarios" ] || { echo "column.sh: no $environment scenario listed" >&2; exit 4; }
status=0
for scenario in $scenarios; do
  echo "[column] $scenario → $dir" >&2
  bash "$root/scripts/netproof.sh" scenario "$scenario" --results "$dir" --junit "$dir/$scenario.junit.xml" || status=$?
done
exit "$status"

#!/usr/bin/env bash
# The workflow's compare job: one column per downloaded artifact named
# results-<column> (actions/download-artifact's layout: DIR/results-<column>/<scenario>.json),
# written to OUT as compare.md/.json/.html (and to the job summary in GitHub Actions).
#   compare-artifacts.sh DIR [OUT]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: compare-artifacts.sh DIR [OUT]" >&2; exit 2; }
dir=$1 out=${2:-results/compare}
columns=()
for column in "$dir"/results-*/; do
  [ -d "$column" ] || continue
  name=$(basename "$column"); columns+=("${name#results-}=${column%/}")
done
[ ${#columns[@]} -gt 0 ] || { echo "compare-artifacts.sh: $dir has no results-<column> directory" >&2; exit 2; }
exec bash "$root/scripts/netproof.sh" compare "${columns[@]}" --out "$out"

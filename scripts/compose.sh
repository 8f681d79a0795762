#!/usr/bin/env bash
# Makes `docker compose` (Compose v2, the CLI plugin users have) available.
# An existing plugin is used as it is. Otherwise Compose is built from its Go
# module at the pinned version below (the module proxy serves the source; no
# image is pulled, no v1) and installed as a CLI plugin. Idempotent: the build
# is keyed by the version, so a second run only checks.
#
# Why v2.40.3: the last Compose v2 release. Its Docker client negotiates the API
# version with the daemon, and every API-dependent feature it uses is gated on
# the negotiated version (create.go, convergence.go: "1.44", "1.48", "1.49"), so
# it drives Debian's docker.io 20.10 (API 1.41). Its go.mod has no replace
# directives, so the module builds as the main module straight from the cache.
#
# Prints the plugin's path on stdout; progress goes to stderr.
set -euo pipefail

version=v2.40.3
module=github.com/docker/compose/v2
plugin_dir=${NETPROOF_COMPOSE_PLUGIN_DIR:-/usr/local/lib/docker/cli-plugins}
plugin="$plugin_dir/docker-compose"
stamp="$plugin_dir/.netproof-docker-compose-version"
say() { printf '[compose] %s\n' "$*" >&2; }

if [ -x "$plugin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
  echo "$plugin"
  exit 0
fi
# A plugin that is not ours (a distribution's or the user's) is used as it is.
if ! [ -e "$stamp" ] && docker compose version >/dev/null 2>&1; then
  found=$(docker info --format '{{range .ClientInfo.Plugins}}{{if eq .Name "compose"}}{{.Path}}{{end}}{{end}}' 2>/dev/null || true)
  say "using the installed $(docker compose version 2>/dev/null)"
  echo "${found:-docker compose}"
  exit 0
fi

go=$(command -v go || true)
[ -n "$go" ] || { [ -x /usr/local/go/bin/go ] && go=/usr/local/go/bin/go; }
if [ -z "$go" ]; then
  echo "error: no 'docker compose' plugin and no Go toolchain to build Compose $version; install Go (or the docker-compose-plugin package) and run again" >&2
  exit 3
fi

say "no 'docker compose' plugin: building Compose $version from its Go module (first time only, a few minutes)"
source_dir=$("$go" mod download -json "$module@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[ -d "$source_dir" ] || { echo "error: could not download $module@$version (is the Go module proxy reachable?)" >&2; exit 3; }
mkdir -p "$plugin_dir"
tmp="$plugin.tmp.$$"
trap 'rm -f "$tmp"' EXIT
# The module's own go.mod and go.sum decide the dependencies: it is built as the main module.
(cd "$source_dir" && GOFLAGS=-buildvcs=false GO111MODULE=on CGO_ENABLED=0 nice -n 10 "$go" build -trimpath \
  -ldflags "-w -s -X $module/internal.Version=$version" -o "$tmp" ./cmd)
"$tmp" version >/dev/null
# On a fresh machine this build is a good part of `npm test`'s time: say its CPU (bash's `times`, children's user and system).
say "the build's CPU (user, system), the script's own and then its children's:"
times >&2
mv "$tmp" "$plugin"
echo "$version" >"$stamp"
say "installed $(docker compose version 2>/dev/null || echo "$plugin")"
echo "$plugin"

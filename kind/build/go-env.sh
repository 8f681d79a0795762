# Sourced by the build scripts under kind/: the Go toolchain that is here (never
# a downloaded one), static binaries, and writable copies of pinned modules.
# Usage: source go-env.sh; need_go WHAT; module_copy MODULE VERSION (sets $module_dir).
command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
export CGO_ENABLED=0 GOTOOLCHAIN=local

need_go() {
  command -v go >/dev/null 2>&1 || { echo "Go is needed to build $1: install Go >= 1.24" >&2; exit 3; }
}

# A module built as the main module (replace directives, a patched import) needs
# a writable tree of its own: go mod download gives a read-only one in the module
# cache. Copies are removed when the calling script exits.
module_copies=()
module_copy() {
  local src
  src=$(go mod download -json "$1@$2" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -d "$src" ] || { echo "go mod download $1@$2 gave no directory" >&2; exit 1; }
  module_dir=$(mktemp -d "/var/tmp/netproof-$(basename "$1")-src.XXXXXX")
  module_copies+=("$module_dir")
  trap 'rm -rf "${module_copies[@]}"' EXIT
  cp -r "$src/." "$module_dir" && chmod -R u+w "$module_dir"
}

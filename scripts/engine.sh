#!/usr/bin/env bash
# Makes sure a Docker engine answers. An engine that already runs is used as it
# is. Otherwise, as root on Debian, Debian's docker.io is installed and dockerd
# started; where the sandbox's capability bounding set is smaller than what
# --privileged asks for, dockerd gets the oci-capdrop runtime shim as default.
# Exit 3 means the engine cannot be prepared here; the message says what to do.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
log() { printf '[engine] %s\n' "$*" >&2; }
fail() { printf '[engine] error: %s\n' "$*" >&2; exit 3; }

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }
ours=/run/netproof-engine

# An engine netproof started itself (no systemd: a sandbox or CI runner) is
# guarded for as long as it runs, not only
# during a run: nothing forwarded from a Docker bridge may leave through an
# uplink (an interface with a default route), whatever started the container.
# Runs add their own counting guard on top (src/lab/traffic-guard.ts).
guard_engine() {
  local uplink bridge rule
  for uplink in $( { ip -4 route show default; ip -6 route show default; } | awk '{for (i = 1; i < NF; i++) if ($i == "dev") print $(i + 1)}' | sort -u); do
    for bridge in docker0 'br-+'; do
      rule=(-i "$bridge" -o "$uplink" -m comment --comment "netproof engine guard" -j DROP)
      iptables -C DOCKER-USER "${rule[@]}" 2>/dev/null || iptables -I DOCKER-USER "${rule[@]}"
      # IPv6 too: Docker networks with IPv6 (kind's is) are routed, not NATed, and dockerd adds no IPv6 filter.
      ip6tables -C FORWARD "${rule[@]}" 2>/dev/null || ip6tables -I FORWARD "${rule[@]}" 2>/dev/null || true
    done
  done
}

bounding_set_reduced() { ! grep -q '^CapBnd:\s*000001ffffffffff' /proc/self/status; }

# The runc shim, rebuilt whenever its source changes (the daemon execs the file per call, so a rebuild applies at once).
shim=/usr/local/lib/netproof/oci-capdrop
ensure_shim() {
  local src="$here/tools/oci-capdrop" stamp
  stamp=$(cat "$src/go.mod" "$src/main.go" | sha256sum | cut -c1-16)
  [ -x "$shim" ] && [ "$(cat "$shim.stamp" 2>/dev/null)" = "$stamp" ] && return 0
  command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null 2>&1 || fail "the capability bounding set is reduced, and building the oci-capdrop runtime shim needs Go: install Go and run again"
  log "building the oci-capdrop runtime shim (the bounding set lacks capabilities --privileged asks for)"
  mkdir -p "$(dirname "$shim")"
  (cd "$src" && CGO_ENABLED=0 go build -o "$shim.new" .) || fail "building oci-capdrop failed"
  mv "$shim.new" "$shim"
  echo "$stamp" >"$shim.stamp"
}

if command -v docker >/dev/null 2>&1 && docker_answers; then
  if [ -e "$ours" ]; then
    guard_engine
    bounding_set_reduced && ensure_shim
  fi
  exit 0
fi

[ "$(id -u)" = 0 ] || fail "no Docker engine answers and this is not root. Start Docker (e.g. 'sudo systemctl start docker') or run as root so netproof can install one."
command -v apt-get >/dev/null 2>&1 || fail "no Docker engine answers and this is not a Debian-like system. Install and start Docker, then run again."

missing=()
for pair in dockerd:docker.io iptables:iptables debootstrap:debootstrap ip:iproute2; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} from Debian (one time)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null || fail "apt-get update failed; check the apt sources"
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]} failed"
fi

if [ -d /run/systemd/system ]; then
  log "starting docker through systemd"
  systemctl start docker || fail "systemctl start docker failed; see 'journalctl -u docker'"
else
  runtime_args=()
  if bounding_set_reduced; then
    ensure_shim
    runtime_args=(--add-runtime "netproof-capdrop=$shim" --default-runtime netproof-capdrop)
  fi
  log "starting dockerd (log: /var/log/netproof-dockerd.log)"
  # This engine is the lab's own (a sandbox or CI runner): guard it for its lifetime.
  touch "$ours"
  # setsid: the daemon must outlive this shell and the npm process group.
  setsid nohup dockerd "${runtime_args[@]}" >>/var/log/netproof-dockerd.log 2>&1 </dev/null &
fi

for _ in $(seq 1 60); do
  if docker_answers; then
    [ -e "$ours" ] && guard_engine
    log "engine ready: $(docker version --format 'server {{.Server.Version}}' 2>/dev/null); bridges cannot forward off the machine"
    exit 0
  fi
  sleep 1
done
fail "dockerd did not answer within 60 s; see /var/log/netproof-dockerd.log"

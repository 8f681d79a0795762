#!/usr/bin/env bash
# Builds the lab's Debian bookworm base image with debootstrap and imports it as
# $1 (an image reference). No registry is involved: the packages come from the
# Debian mirror this machine's apt already uses, read from its sources.
set -euo pipefail
ref=${1:?usage: build.sh IMAGE_REF}
suite=bookworm

# Without debootstrap or apt sources (a non-Debian laptop), where a registry is
# reachable, Debian's own published image serves as the same base.
has_apt_sources() { [ -e /etc/apt/sources.list ] || compgen -G '/etc/apt/sources.list.d/*' >/dev/null; }
if ! command -v debootstrap >/dev/null 2>&1 || ! has_apt_sources; then
  echo "no debootstrap here: pulling debian:$suite-slim instead" >&2
  docker pull -q "debian:$suite-slim" >/dev/null && docker tag "debian:$suite-slim" "$ref" && exit 0
  echo "cannot build the base: install debootstrap (Debian) or allow pulling debian:$suite-slim" >&2
  exit 1
fi

# The first mirror apt lists for the main archive (not -security / -updates).
mirror=$(
  { grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '$3 == "bookworm" {print $2}'
    grep -hs -A3 '^URIs:' /etc/apt/sources.list.d/*.sources | awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ {print u}'
  } | grep -v security | head -n1
)
[ -n "$mirror" ] || { echo "no Debian $suite mirror found in apt's sources" >&2; exit 1; }

root=$(mktemp -d /var/tmp/netproof-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "debootstrap $suite (minbase) from apt's configured mirror" >&2
debootstrap --variant=minbase --include=ca-certificates "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
  || { tail -20 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
# Keep images small and apt quiet, as the usual Debian images do.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/90netproof"
tar -C "$root" -c . | docker import --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' - "$ref" >/dev/null
echo "imported $ref" >&2

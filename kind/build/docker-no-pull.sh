#!/usr/bin/env bash
# Put first on PATH (as `docker`) for kind: every docker command passes through
# to the real CLI except `docker pull`, which fails at once. kind pulls its base
# image on every node-image build, and a node image it cannot find locally on
# cluster creation; the lab has everything locally and must not reach out.
# NETPROOF_REAL_DOCKER names the real CLI.
if [ "${1:-}" = pull ]; then
  echo "netproof: refusing 'docker pull ${*:2}' (no registry: the lab builds every image locally)" >&2
  exit 1
fi
exec "${NETPROOF_REAL_DOCKER:?}" "$@"

#!/bin/bash
# Initialises a cluster on first start the way the official image does, and
# configures it as article 000 sets up the host's database: listening on every
# address (listen_addresses = '*') and accepting password logins from anywhere
# (pg_hba "host all all all"), so only the network decides who gets in.
set -euo pipefail
if [ "${1:-}" = postgres ]; then
  mkdir -p "$PGDATA" /run/postgresql
  chown -R postgres:postgres "$PGDATA" /run/postgresql
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    pwfile=$(mktemp) && echo "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}" >"$pwfile" && chown postgres "$pwfile"
    runuser -u postgres -- initdb --username="${POSTGRES_USER:-postgres}" --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync >/dev/null
    rm -f "$pwfile"
    echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
    echo "listen_addresses = '*'" >>"$PGDATA/postgresql.auto.conf"
    # A lab server lives for one run: durability only costs start-up time.
    printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >>"$PGDATA/postgresql.auto.conf"
    db=${POSTGRES_DB:-${POSTGRES_USER:-postgres}}
    if [ "$db" != postgres ]; then
      runuser -u postgres -- postgres --single -D "$PGDATA" postgres <<<"CREATE DATABASE \"$db\";" >/dev/null
    fi
  fi
  exec runuser -u postgres -- "$@"
fi
exec "$@"

#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: loopback only, a free port, a random
# password, fsync off, data under target/postgres/.
#
#   env="$(scripts/postgres-server.sh start)"   # (an assignment, so `set -e` sees a failure)
#   eval "$env"                                 # exports ARICHAT_POSTGRES_URL,
#                                               # ARICHAT_POSTGRES_DIR (the cluster's directory)
#   scripts/postgres-server.sh stop             # stops the cluster named by $ARICHAT_POSTGRES_DIR
#
# `start` installs the Debian package postgresql with apt-get when the binaries are
# missing (as root, or through sudo). PostgreSQL refuses to run as root, so as root the
# cluster runs as the `postgres` user the package creates. Everything it prints on
# stdout is shell to eval; its progress goes to stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"

log() { printf 'postgres-server.sh: %s\n' "$*" >&2; }
# shellcheck source=lib/apt.sh
. "$ROOT/scripts/lib/apt.sh"

# The directory of initdb / pg_ctl: on PATH, else the newest /usr/lib/postgresql/*/bin.
find_bindir() {
  local bin
  bin="$(command -v pg_ctl || true)"
  if [ -n "$bin" ] && [ -x "$(dirname "$bin")/initdb" ]; then dirname "$bin"; return; fi
  for bin in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$bin/pg_ctl" ] && [ -x "$bin/initdb" ]; then printf '%s' "$bin"; return; fi
  done
}

# Runs a PostgreSQL binary as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local bindir
  bindir="$(find_bindir)"
  if [ -z "$bindir" ]; then
    apt_install postgresql
    bindir="$(find_bindir)"
    [ -n "$bindir" ] || { log "postgresql still missing after apt-get"; exit 1; }
  fi
  local dir password port attempt
  mkdir -p "$ROOT/target/postgres"
  dir="$(mktemp -d "$ROOT/target/postgres/cluster.XXXXXX")"
  chmod 755 "$dir"
  password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  printf '%s\n' "$password" >"$dir/pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi
  as_owner "$bindir/initdb" -D "$dir/data" -U arichat --pwfile="$dir/pwfile" \
    --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { log "initdb failed; see $dir/initdb.log"; exit 1; }
  rm -f "$dir/pwfile"
  # The port is free when chosen; another process may take it before postgres binds, so retry.
  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
      start >&2; then
      log "postgres $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data $dir/data)"
      printf 'export ARICHAT_POSTGRES_URL=%q\n' "postgres://arichat:$password@127.0.0.1:$port/postgres"
      printf 'export ARICHAT_POSTGRES_DIR=%q\n' "$dir"
      printf 'export ARICHAT_POSTGRES_BIN=%q\n' "$bindir"
      return 0
    fi
    log "attempt $attempt on port $port failed; see $dir/postgres.log"
  done
  exit 1
}

stop() {
  local dir="${ARICHAT_POSTGRES_DIR:-}"
  [ -n "$dir" ] && [ -d "$dir/data" ] || return 0
  local bindir="${ARICHAT_POSTGRES_BIN:-$(find_bindir)}"
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

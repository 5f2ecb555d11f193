#!/usr/bin/env bash
# A throwaway redis-server for the tests: loopback only, a free port, a random
# password, no persistence, a pid file under target/redis/.
#
#   env="$(scripts/redis-server.sh start)"    # (an assignment, so `set -e` sees a failure)
#   eval "$env"                               # exports ARICHAT_REDIS_URL, ARICHAT_REDIS_PIDFILE,
#                                             # ARICHAT_REDIS_SERVER (the binary, for tests that
#                                             # start and kill a private server of their own)
#   scripts/redis-server.sh stop              # stops the server named by $ARICHAT_REDIS_PIDFILE
#
# `start` installs the Debian package redis-server with apt-get when the binary is missing
# (as root, or through sudo). Everything it prints on stdout is shell to eval; its
# progress goes to stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"

log() { printf 'redis-server.sh: %s\n' "$*" >&2; }
# shellcheck source=lib/apt.sh
. "$ROOT/scripts/lib/apt.sh"

find_server() {
  local bin
  bin="$(command -v redis-server || true)"
  if [ -z "$bin" ] && [ -x /usr/bin/redis-server ]; then bin=/usr/bin/redis-server; fi
  printf '%s' "$bin"
}

start() {
  local server
  server="$(find_server)"
  if [ -z "$server" ]; then
    apt_install redis-server
    server="$(find_server)"
    [ -n "$server" ] || { log "redis-server still missing after apt-get"; exit 1; }
  fi
  local dir password port pidfile attempt
  mkdir -p "$ROOT/target/redis"
  dir="$(mktemp -d "$ROOT/target/redis/server.XXXXXX")"
  password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  # The port is free when chosen; another process may take it before redis binds, so retry.
  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    pidfile="$dir/redis-$port.pid"
    if "$server" --bind 127.0.0.1 --port "$port" --protected-mode yes \
      --requirepass "$password" --save '' --appendonly no --dir "$dir" \
      --daemonize yes --pidfile "$pidfile" --logfile "$dir/redis-$port.log" >&2; then
      local i
      for i in $(seq 1 100); do
        if [ -s "$pidfile" ] && python3 - "$port" "$password" <<'EOF' 2>/dev/null; then
import socket, sys
port, password = int(sys.argv[1]), sys.argv[2]
with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
    s.sendall(f"AUTH {password}\r\nPING\r\n".encode())
    data = b""
    while b"PONG" not in data:
        chunk = s.recv(64)
        if not chunk:
            sys.exit(1)
        data += chunk
EOF
          log "redis-server $("$server" --version | awk '{sub("v=", "", $3); print $3}') on 127.0.0.1:$port (pid $(cat "$pidfile"))"
          printf 'export ARICHAT_REDIS_URL=%q\n' "redis://:$password@127.0.0.1:$port/0"
          printf 'export ARICHAT_REDIS_PIDFILE=%q\n' "$pidfile"
          printf 'export ARICHAT_REDIS_SERVER=%q\n' "$server"
          return 0
        fi
        sleep 0.1
      done
      [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    fi
    log "attempt $attempt on port $port failed; see $dir/redis-$port.log"
  done
  exit 1
}

stop() {
  local pidfile="${ARICHAT_REDIS_PIDFILE:-}"
  [ -n "$pidfile" ] && [ -s "$pidfile" ] || return 0
  local pid
  pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null || return 0
  local i
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -rf "$(dirname "$pidfile")"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

# Shared by the scripts that start or need a Debian package (redis-server.sh,
# postgres-server.sh, tesseract.sh): source it after defining `log`.

# apt_install PACKAGE...: installs with apt-get as root or through sudo. policy-rc.d
# exit 101 keeps a package's own service from starting: the tests start their own on a
# free port.
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "$* missing and neither root nor sudo is available"; exit 1; }
    sudo="sudo"
  fi
  log "installing $* with apt-get"
  local policy=/usr/sbin/policy-rc.d created_policy=0 status=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    created_policy=1
  fi
  {
    $sudo apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
  } >&2 || status=$?
  if [ "$created_policy" -eq 1 ]; then $sudo rm -f "$policy"; fi
  if [ "$status" -ne 0 ]; then log "apt-get failed"; exit "$status"; fi
}

# free_port: a loopback TCP port free at the time of asking.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

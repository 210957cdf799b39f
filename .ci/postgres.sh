#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the tests: a fresh cluster in a temp dir, owned by an
# unprivileged user (initdb refuses root), listening on 127.0.0.1 only, on a free port.
# Usage: eval "$(bash .ci/postgres.sh start)"   -> exports PARLEY_TEST_POSTGRES, PGDATA_DIR
#        bash .ci/postgres.sh stop "$PGDATA_DIR"
set -euo pipefail

find_bin() {
  local name=$1
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/$name" ]; then echo "$d/$name"; return; fi
  done
  return 1
}

install_postgres() {
  if find_bin initdb >/dev/null && find_bin pg_ctl >/dev/null; then return; fi
  echo "installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
}

start() {
  install_postgres
  local initdb pg_ctl user dir port
  initdb=$(find_bin initdb)
  pg_ctl=$(find_bin pg_ctl)
  user=parleytest
  id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
  dir=$(mktemp -d /tmp/parley-pg.XXXXXX)
  chown "$user" "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 54329)
  runuser -u "$user" -- "$initdb" -D "$dir/data" -U parley --auth=trust >/dev/null
  runuser -u "$user" -- "$pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >&2
  runuser -u "$user" -- "$(find_bin createdb)" -h 127.0.0.1 -p "$port" -U parley parley_test
  echo "export PARLEY_TEST_POSTGRES='postgres://parley@127.0.0.1:$port/parley_test?sslmode=disable'"
  echo "export PGDATA_DIR='$dir'"
}

stop() {
  local dir=$1 pg_ctl pid
  pg_ctl=$(find_bin pg_ctl)
  # Resume the cluster in case a test stopped it with SIGSTOP and died before resuming it.
  if pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null) && [ -n "$pid" ]; then
    kill -CONT "$pid" $(ps -o pid= --ppid "$pid") 2>/dev/null || true
  fi
  runuser -u parleytest -- "$pg_ctl" -D "$dir/data" -m fast stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:?data dir}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac

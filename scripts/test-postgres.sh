#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL server for the tests, listening on
# 127.0.0.1 only, on a free port.
#
#   scripts/test-postgres.sh start DIR   # writes DIR/url (postgres://...)
#   scripts/test-postgres.sh restart DIR # stops it (fast: connections are cut) and starts it again
#   scripts/test-postgres.sh stop DIR    # stops the server, removes its data
#
# initdb refuses to run as root; as root the server runs as the `postgres`
# system user that Debian's postgresql package creates, with its data in a
# fresh directory under /tmp (DIR may sit where that user cannot reach).
set -euo pipefail

cmd="${1:?usage: test-postgres.sh start|restart|stop DIR}"
dir="${2:?usage: test-postgres.sh start|stop DIR}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "test-postgres: PostgreSQL server binaries not found (run scripts/install-deps.sh)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    "$0" stop "$dir"
    mkdir -p "$dir"
    data="$(mktemp -d /tmp/tailor-test-pg.XXXXXX)"
    echo "$data" >"$dir/data_dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data"; fi
    # A free port: bind port 0 on loopback and read what the kernel chose.
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    as_owner "$bin/initdb" -D "$data/db" -U tailor --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # Small and quick: the tests need durability semantics, not throughput.
    as_owner "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 start \
      -o "-h 127.0.0.1 -p $port -k $data -c max_connections=200 -c shared_buffers=32MB" \
      >/dev/null || { cat "$data/server.log" >&2; exit 1; }
    echo "postgres://tailor@127.0.0.1:$port/postgres" >"$dir/url"
    echo "test-postgres: started on 127.0.0.1:$port"
    ;;
  restart)
    data="$(cat "$dir/data_dir")"
    as_owner "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -m fast -w -t 60 restart >/dev/null \
      || { cat "$data/server.log" >&2; exit 1; }
    ;;
  stop)
    if [ -f "$dir/data_dir" ]; then
      data="$(cat "$dir/data_dir")"
      if [ -f "$data/db/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$data/db" -m fast -w stop >/dev/null || true
      fi
      case "$data" in /tmp/tailor-test-pg.*) rm -rf "$data" ;; esac
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: test-postgres.sh start|restart|stop DIR" >&2
    exit 2
    ;;
esac

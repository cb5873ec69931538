#!/usr/bin/env bash
# Starts or stops a throw-away Redis server for the tests, listening on
# 127.0.0.1 only, on a free port, keeping nothing on disk.
#
#   scripts/test-redis.sh start DIR [PORT]   # writes DIR/url (redis://127.0.0.1:PORT);
#                                            # a free port unless PORT is given
#   scripts/test-redis.sh stop DIR    # stops the server, removes DIR
set -euo pipefail

cmd="${1:?usage: test-redis.sh start|stop DIR}"
dir="${2:?usage: test-redis.sh start|stop DIR}"
server="$(command -v redis-server || true)"
if [ -z "$server" ]; then
  echo "test-redis: redis-server not found (run scripts/install-deps.sh)" >&2
  exit 1
fi

case "$cmd" in
  start)
    "$0" stop "$dir"
    mkdir -p "$dir"
    port="${3:-}"
    [ -n "$port" ] || port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    "$server" --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
    for _ in $(seq 1 100); do
      if redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
        echo "redis://127.0.0.1:$port" >"$dir/url"
        echo "test-redis: started on 127.0.0.1:$port"
        exit 0
      fi
      sleep 0.1
    done
    cat "$dir/redis.log" >&2 || true
    exit 1
    ;;
  stop)
    if [ -f "$dir/redis.pid" ]; then
      pid="$(cat "$dir/redis.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: test-redis.sh start|stop DIR" >&2
    exit 2
    ;;
esac

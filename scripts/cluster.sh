#!/usr/bin/env bash
# `make cluster`: a local cluster on this machine, on loopback only: one
# throw-away PostgreSQL (scripts/test-postgres.sh), a throw-away Redis
# (scripts/test-redis.sh) and three `tailor serve` nodes sharing them, on
# 127.0.0.1:8081..8083. Ctrl-C stops everything.
#
#   scripts/cluster.sh build/release/src/app/tailor var/cluster
set -euo pipefail
bin="$1"; dir="$2"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$here/test-redis.sh" stop "$dir/redis" || true
  "$here/test-postgres.sh" stop "$dir/pg" || true
}
trap cleanup EXIT INT TERM

"$here/test-postgres.sh" start "$dir/pg"
server_url="$(cat "$dir/pg/url")"
"$here/test-redis.sh" start "$dir/redis"
redis_url="$(cat "$dir/redis/url")"
url="${server_url%/*}/tailor"
psql "$server_url" -qc "CREATE DATABASE tailor"
key="$("$bin" keys create --store "$url" --tenant default --role admin)"
for n in 1 2 3; do
  mkdir -p "$dir/node$n"
  "$bin" serve --store "$url" --redis "$redis_url" --data-dir "$dir/node$n" --listen "127.0.0.1:808$n" \
    >"$dir/node$n/log" 2>&1 &
  pids+=("$!")
done
echo "cluster: PostgreSQL at ${url%%\?*}"
echo "cluster: Redis at $redis_url (events: XADD tailor:events:default * event '{...}')"
echo "cluster: nodes on http://127.0.0.1:8081 http://127.0.0.1:8082 http://127.0.0.1:8083"
echo "cluster: admin key of tenant default: $key"
echo "cluster: logs in $dir/node*/log; Ctrl-C stops the cluster"
wait

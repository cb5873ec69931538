#!/usr/bin/env bash
# Store benchmarks in one run on this machine, everything on loopback:
#   1. one node on the embedded SQLite store      (bench/run.sh)
#   2. one node on PostgreSQL                      (bench/run.sh with --store)
#   3. three nodes on one PostgreSQL and one Redis (--redis): batch ingest
#      and trending reads, one wrk per node at once (sums), and the time for
#      a write on node 1 to show in node 2's answers (bench/propagation.py),
#      idle and while node 3 ingests batches.
# PostgreSQL and Redis are throw-away servers (scripts/test-postgres.sh,
# scripts/test-redis.sh), default settings (synchronous_commit = on). Usage: bench/cluster.sh [BUILD] [SECONDS]
set -euo pipefail
build="${1:-build/release}"
duration="${2:-10}"
bin="$build/src/app/tailor"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$root/scripts/test-postgres.sh" stop "$work/pg" >/dev/null 2>&1 || true
  "$root/scripts/test-redis.sh" stop "$work/redis" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "# tailor store benchmarks: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r)"
echo "## sqlite, one node"
"$here/run.sh" "$build" "$duration" | grep -v '^#'

"$root/scripts/test-postgres.sh" start "$work/pg" >/dev/null
server="$(cat "$work/pg/url")"
base="${server%/*}"
psql "$server" -qc "CREATE DATABASE one_node" -c "CREATE DATABASE three_nodes"
echo "## postgres, one node"
"$here/run.sh" "$build" "$duration" "$base/one_node" | grep -v '^#'

echo "## postgres + redis, three nodes"
"$root/scripts/test-redis.sh" start "$work/redis" >/dev/null
redis="$(cat "$work/redis/url")"
url="$base/three_nodes"
key="$("$bin" keys create --store "$url" --tenant bench --role admin 2>/dev/null)"
ports=()
for n in 1 2 3; do
  mkdir -p "$work/node$n"
  "$bin" serve --store "$url" --redis "$redis" --data-dir "$work/node$n" --listen 127.0.0.1:0 \
    --port-file "$work/node$n/port" --log-level warn >"$work/node$n/log" 2>&1 &
  pids+=("$!")
done
for n in 1 2 3; do
  for _ in $(seq 200); do [ -s "$work/node$n/port" ] && break; sleep 0.05; done
  ports+=("$(cat "$work/node$n/port")")
done
printf '{"events":[' >"$work/batch.json"
for i in $(seq 0 999); do
  [ "$i" -gt 0 ] && printf ',' >>"$work/batch.json"
  printf '{"user_id":"u%d","item_id":"i%d","type":"view","context":{"device":"web"}}' \
    $((i % 97)) $((i % 311)) >>"$work/batch.json"
done
printf ']}' >>"$work/batch.json"
together() {  # name script connections-per-node [args...]: one wrk per node at once
  local name="$1" script="$2" conns="$3"; shift 3
  cat "$here/wrk/$script" "$here/wrk/report.lua" >"$work/$script"
  local n=0 wrks=()
  for p in "${ports[@]}"; do
    n=$((n + 1))
    wrk -t1 -c"$conns" -d"${duration}s" --latency -s "$work/$script" "http://127.0.0.1:$p" \
      -- "$key" "$@" >"$work/$name.$n" &
    wrks+=("$!")
  done
  wait "${wrks[@]}"
  for n in 1 2 3; do echo "$name node$n $(grep '^RESULT' "$work/$name.$n" | sed 's/^RESULT //')"; done
}
together post_event_batch1000 post_batch.lua 8 "$work/batch.json"
together trending trending.lua 21
echo "idle $(python3 "$here/propagation.py" "${ports[0]}" "${ports[1]}" "$key" 200)"
cat "$here/wrk/post_batch.lua" "$here/wrk/report.lua" >"$work/load.lua"
wrk -t1 -c4 -d60s -s "$work/load.lua" "http://127.0.0.1:${ports[2]}" -- "$key" "$work/batch.json" \
  >/dev/null &
load=$!
sleep 1
echo "under_load $(python3 "$here/propagation.py" "${ports[0]}" "${ports[1]}" "$key" 200)"
kill "$load" 2>/dev/null || true
wait "$load" 2>/dev/null || true

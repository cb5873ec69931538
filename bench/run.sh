#!/usr/bin/env bash
# Foundation benchmarks against a release build, with wrk on loopback:
#   1. GET /v1/users/{id} at 64 connections (latency target p99 <= 2 ms)
#   2. POST /v1/events, one event per request (target >= 15,000 req/s)
#   3. POST /v1/events, 1,000 events per request (target >= 200,000 events/s)
# Every write is durable when answered (SQLite WAL, synchronous=FULL, group
# commit). Usage: bench/run.sh [BUILD_DIR] [DURATION_SECONDS] [STORE_URL]
# (STORE_URL: e.g. postgres://...; default the embedded SQLite store.)
set -euo pipefail
build="${1:-build/release}"
duration="${2:-10}"
store="${3:-}"
bin="$build/src/app/tailor"
here="$(cd "$(dirname "$0")" && pwd)"
[ -x "$bin" ] || { echo "no $bin: run 'make build' first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: scripts/install-deps.sh" >&2; exit 1; }

work="$(mktemp -d)"
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
store_args=()
if [ -n "$store" ]; then store_args=(--store "$store"); fi
key="$("$bin" keys create --data-dir "$work" "${store_args[@]}" --tenant bench --role admin 2>/dev/null)"
"$bin" serve --data-dir "$work" "${store_args[@]}" --listen 127.0.0.1:0 --port-file "$work/port" \
  --log-level warn >"$work/server.log" 2>&1 &
echo $! >"$work/pid"
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port="$(cat "$work/port")"
url="http://127.0.0.1:$port"
curl -sf -X PUT -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  "$url/v1/users/bench-user" \
  -d '{"timezone":"Europe/Paris","locale":"fr-FR","email":"bench@example.com","attributes":{"plan":"pro","age":34},"consent":{"email":{"marketing":true}}}' >/dev/null

python_free_batch() {  # 1,000 events, no event_id, as one JSON body
  printf '{"events":['
  for i in $(seq 0 999); do
    [ "$i" -gt 0 ] && printf ','
    printf '{"user_id":"u%d","item_id":"i%d","type":"view","context":{"device":"web"}}' $((i % 97)) $((i % 311))
  done
  printf ']}'
}
python_free_batch >"$work/batch.json"

run() {  # name script connections threads [extra args...]
  local name="$1" script="$2" conns="$3" threads="$4"; shift 4
  cat "$here/wrk/$script" "$here/wrk/report.lua" >"$work/$script"
  local out
  out="$(wrk -t"$threads" -c"$conns" -d"${duration}s" --latency -s "$work/$script" "$url" -- "$key" "$@")"
  echo "$name $(echo "$out" | grep '^RESULT' | sed 's/^RESULT //')"
}

echo "# tailor foundation benchmarks: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r)"
echo "# build: $build, duration ${duration}s per run, store: ${store:-sqlite (embedded)}"
run get_user get_user.lua 64 1
run post_event_single post_event.lua 64 1
run post_event_batch1000 post_batch.lua 16 1 "$work/batch.json"
count="$(curl -sf "$url/metrics" | awk '/^tailor_events_ingested_total /{print $2}')"
echo "events_ingested_total $count"

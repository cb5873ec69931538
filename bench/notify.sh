#!/usr/bin/env bash
# Notification decision benchmarks against a release build:
#   1. loads a demo tenant (users with contacts and consent, events),
#   2. wrk on POST /v1/notifications/decide (every decision stored) at 64 and
#      4 connections (target p99 <= 2 ms),
#   3. starts a campaign over every user and runs the same wrk while it runs,
#   4. campaign throughput (decisions/s) once it is done.
# Usage: bench/notify.sh [BUILD_DIR] [DURATION_SECONDS] [DATASET]
#   DATASET: demo:USERS:ITEMS:DAYS (default demo:100000:5000:9) or dir:PATH:USERS.
set -euo pipefail
build="${1:-build/release}"
duration="${2:-10}"
dataset="${3:-demo:100000:5000:9}"
bin="$build/src/app/tailor"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bench_init

bench_header "notification benchmarks"
start=$(date +%s)
bench_load "$dataset"
echo "load_seconds $(( $(date +%s) - start ))"
key="$("$bin" keys create --data-dir "$work" --tenant bench --role write 2>/dev/null)"
start=$(date +%s)
# SERVE_FLAGS adds server flags (e.g. "--sync normal" to see the cost of fsync).
# shellcheck disable=SC2086
bench_serve --train-models popularity --no-background-training ${SERVE_FLAGS:-}
echo "serve_start_seconds $(( $(date +%s) - start ))"
auth=(-H "Authorization: Bearer $key" -H "Content-Type: application/json")
curl -sf -X PUT "${auth[@]}" "$url/v1/templates/bench" -d '{"variants": [
  {"id": "a", "tone": "friendly", "length": "short",
   "push": {"title": "Hi {{user.first_name | default:\"there\"}}", "body": "New for you this week"},
   "email": {"subject": "This week, {{user.first_name | default:\"friend\"}}", "body": "<p>Hello</p>"},
   "sms": {"text": "New for you this week"}},
  {"id": "b", "tone": "urgent", "length": "short",
   "push": {"title": "Last chance", "body": "Ends tonight"},
   "email": {"subject": "Ends tonight", "body": "<p>Last chance</p>"}}]}' >/dev/null
echo "serve_rss_mb $(bench_rss_mb)"

bench_wrk decide "$url" decide.lua "$key" "$users" "$prefix" "$first" bench
CONNS=4 bench_wrk decide_4_connections "$url" decide.lua "$key" "$users" "$prefix" "$first" bench

campaign="$(curl -sf -X POST "${auth[@]}" "$url/v1/campaigns" \
  -d '{"template_id": "bench", "audience": {"all": true}}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["campaign_id"])')"
start_ms=$(date +%s%3N)
bench_wrk decide_during_campaign "$url" decide.lua "$key" "$users" "$prefix" "$first" bench
CONNS=4 bench_wrk decide_4_connections_during_campaign "$url" decide.lua "$key" "$users" "$prefix" "$first" bench
while :; do
  state="$(curl -sf "${auth[@]}" "$url/v1/campaigns/$campaign")"
  status="$(echo "$state" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
  [ "$status" = done ] && break
  sleep 0.5
done
end_ms=$(date +%s%3N)
echo "$state" | python3 -c '
import json, sys
c = json.load(sys.stdin); secs = ('"$end_ms"' - '"$start_ms"') / 1000.0
print("campaign processed=%d sent=%d suppressed=%d errors=%d seconds=%.1f decisions_per_s=%.0f" % (
    c["processed"], c["sent"], c["suppressed"], c["errors"], secs, c["processed"] / secs))'
echo "serve_rss_mb_after $(bench_rss_mb)"

#!/usr/bin/env bash
# Profile and insights benchmarks against a release build:
#   1. loads a tenant, serves it and waits until the background trainer has
#      fitted the churn / engagement / lifetime-value models,
#   2. wrk at 64 connections on GET /v1/users/{id}/profile (users in turn;
#      target p99 <= 2 ms), and at 4 connections (latency without queueing),
#   3. times GET /v1/insights/overview and one page of GET /v1/insights/users
#      (full scans of the tenant's profiles),
#   4. the server's RSS before and after.
# Ingest with profile updates is measured by bench/run.sh (every POST
# /v1/events feeds the profiles).
# Usage: bench/profile.sh [BUILD_DIR] [DURATION_SECONDS] [DATASET]
#   DATASET as in bench/recommend.sh: ml-100k (default), demo:U:I:D, dir:PATH:U.
set -euo pipefail
build="${1:-build/release}"
duration="${2:-10}"
dataset="${3:-ml-100k}"
bin="$build/src/app/tailor"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bench_init

bench_header "profile benchmarks"
start=$(date +%s)
bench_load "$dataset"
echo "load_seconds $(( $(date +%s) - start ))"
key="$("$bin" keys create --data-dir "$work" --tenant bench --role read 2>/dev/null)"

start=$(date +%s)
bench_serve --train-models popularity
echo "serve_start_seconds $(( $(date +%s) - start ))"
start=$(date +%s)
# Fitted (or given up with notes, e.g. a history shorter than the 30-day
# churn horizon) once fitted_at appears.
for _ in $(seq 36000); do
  curl -sf -H "Authorization: Bearer $key" "$url/v1/insights/models" \
    | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin).get("fitted_at") else 1)' 2>/dev/null && break
  sleep 0.1
done
curl -sf -H "Authorization: Bearer $key" "$url/v1/insights/models" | python3 -c '
import json, sys
m = json.load(sys.stdin)
for k in ("churn", "engagement", "lifetime_value"):
    print("model_%s %s" % (k, "fitted" if m[k] else "not fitted"))
for n in m["notes"]:
    print("note", n)'

echo "insights_fit_seconds $(( $(date +%s) - start ))"
echo "serve_rss_mb $(bench_rss_mb)"

bench_wrk profile "$url" profile.lua "$key" "$users" "$prefix" "$first"
CONNS=4 bench_wrk profile_4_connections "$url" profile.lua "$key" "$users" "$prefix" "$first"
for path in "/v1/insights/overview" "/v1/insights/users?churn_risk_min=0.8&limit=100"; do
  t="$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $key" "$url$path")"
  echo "once $path seconds=$t"
done
echo "serve_rss_mb_after $(bench_rss_mb)"

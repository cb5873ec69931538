#!/usr/bin/env bash
# Recommendation serving and training benchmarks against a release build:
#   1. trains popularity, item-kNN, EASE and iALS on a tenant (one `tailor
#      train` process per model, so each peak RSS is that model's),
#   2. serves it and runs wrk at 64 connections on
#      GET /v1/users/{id}/recommendations (users in turn) and on
#      GET /v1/items/{id}/similar,
#   3. runs the same wrk against nginx (Debian) serving a static JSON file
#      of the same size as one recommendation answer: the ceiling.
# Targets: >= 0.5 x the nginx req/s, p99 <= 2 ms.
# Usage: bench/recommend.sh [BUILD_DIR] [DURATION_SECONDS] [DATASET]
#   DATASET: ml-100k (default, ../shared/data/ml-100k),
#            demo:USERS:ITEMS:DAYS (synthetic tenant from `tailor demo`), or
#            dir:PATH:USERS (a data dir with a tenant "bench" of USERS
#            users, e.g. a demo made earlier; it is copied, not changed).
# TRAIN_PARAMS (environment): JSON hyper-parameters per model for `tailor
# train`, e.g. '{"ials":{"factors":32,"epochs":10}}'.
set -euo pipefail
build="${1:-build/release}"
duration="${2:-10}"
dataset="${3:-ml-100k}"
bin="$build/src/app/tailor"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bench_init
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

bench_header "recommendation benchmarks"
start=$(date +%s)
bench_load "$dataset"
echo "load_seconds $(( $(date +%s) - start ))"
key="$("$bin" keys create --data-dir "$work" --tenant bench --role read 2>/dev/null)"

train_params="${TRAIN_PARAMS:-}"
[ -n "$train_params" ] || train_params='{}'
for model in popularity itemknn ease ials; do
  out="$("$bin" train --data-dir "$work" --tenant bench --models "$model" \
          --params "$train_params" --json 2>&1)" || {
    echo "train_$model skipped: $(echo "$out" | tail -1)"; continue; }
  echo "$out" | tail -1 | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())[0]
print("train_%s seconds=%.2f peak_rss_mb=%d users=%d items=%d interactions=%d hr@10=%.4f ndcg@10=%.4f" % (
    r["name"], r["training_seconds"], r["peak_rss_mb"], r["num_users"], r["num_items"],
    r["num_interactions"], r["metrics"]["hr@10"], r["metrics"]["ndcg@10"]))'
done

bench_serve --no-background-training
echo "serve_rss_mb $(bench_rss_mb)"


bench_wrk recommendations "$url" recommend.lua "$key" "$users" "n=10" "$prefix" "$first"
bench_wrk recommendations_explain "$url" recommend.lua "$key" "$users" "n=10&explain=true" "$prefix" "$first"
bench_wrk similar "$url" similar.lua "$key" "$item"

# The ceiling: nginx serving one recommendation answer as a static file.
mkdir -p "$work/www" "$work/nginx"
chmod 755 "$work" "$work/www"  # nginx workers run as an unprivileged user
curl -sf -H "Authorization: Bearer $key" "$url/v1/users/${prefix}${first}/recommendations?n=10" >"$work/www/rec.json"
chmod 644 "$work/www/rec.json"
echo "answer_bytes $(wc -c <"$work/www/rec.json")"
nport="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/json json; }
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nport; root $work/www; keepalive_requests 1000000; }
}
CONF
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx"
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$nport/rec.json" >/dev/null && break; sleep 0.05; done
bench_wrk nginx_static "http://127.0.0.1:$nport" static.lua "-" "/rec.json"

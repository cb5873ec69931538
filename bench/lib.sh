# Shared pieces of the load benchmarks (sourced by recommend.sh and
# profile.sh): a temporary data dir, a tenant loaded from a data set, a
# `tailor serve` on port 0, and wrk runs summarised on one RESULT line.
# Expects: bin (the tailor binary), here (bench/), duration (seconds).

bench_init() {  # sets work, data; cleans up on exit
  data="$(cd "$here/.." && pwd)/../shared/data"
  [ -x "$bin" ] || { echo "no $bin: run 'make build' first" >&2; exit 1; }
  command -v wrk >/dev/null || { echo "wrk missing: scripts/install-deps.sh" >&2; exit 1; }
  work="$(mktemp -d)"
  trap bench_cleanup EXIT
}

# bench_header TITLE: the run's first lines (date, machine, build, data set).
bench_header() {
  echo "# tailor $1: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r)"
  echo "# build: $build, dataset: $dataset, duration ${duration}s per run"
}

bench_cleanup() {
  kill "$(cat "$work/pid" 2>/dev/null)" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}

# Loads DATASET into tenant "bench": ml-100k, demo:USERS:ITEMS:DAYS or
# dir:PATH:USERS. Sets users, item, prefix, first (user ids are
# prefix + first .. prefix + first + users - 1).
bench_load() {
  local dataset="$1"
  case "$dataset" in
    ml-100k)
      "$bin" import --data-dir "$work" --tenant bench --format ml-100k --quiet "$data/ml-100k" >/dev/null
      users=943; item=50; prefix=""; first=1 ;;
    demo:*)
      IFS=: read -r _ u i d <<<"$dataset"
      "$bin" demo --data-dir "$work" --tenant bench --users "$u" --items "$i" --days "$d" >/dev/null
      users="$u"; item=item-1; prefix="user-"; first=0 ;;
    dir:*)
      IFS=: read -r _ path users <<<"$dataset"
      cp -r "$path/." "$work/"
      rm -rf "$work/models"
      item=item-1; prefix="user-"; first=0 ;;
    *) echo "unknown dataset $dataset" >&2; exit 2 ;;
  esac
}

# Starts `tailor serve` with extra flags; sets url.
bench_serve() {
  "$bin" serve --data-dir "$work" --listen 127.0.0.1:0 --port-file "$work/port" \
    --log-level warn "$@" >"$work/server.log" 2>&1 &
  echo $! >"$work/pid"
  for _ in $(seq 6000); do [ -s "$work/port" ] && break; sleep 0.05; done
  url="http://127.0.0.1:$(cat "$work/port")"
}

bench_rss_mb() { echo $(( $(awk '/VmRSS/{print $2}' /proc/"$(cat "$work/pid")"/status) / 1024 )); }

# bench_wrk NAME URL SCRIPT [ARGS...]: 1 thread, $CONNS (64) connections.
bench_wrk() {
  local name="$1" target="$2" script="$3"; shift 3
  cat "$here/wrk/$script" "$here/wrk/report.lua" >"$work/$script"
  local out
  out="$(wrk -t1 -c"${CONNS:-64}" -d"${duration}s" --latency -s "$work/$script" "$target" -- "$@")"
  echo "$name $(echo "$out" | grep '^RESULT' | sed 's/^RESULT //')"
}

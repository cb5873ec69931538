#!/usr/bin/env bash
# Sentiment evaluation: C++ `tailor sentiment` vs the npm vader-sentiment
# JavaScript implementation on Amazon Musical Instruments reviews
# (correlation with stars, 3-class macro F1, agreement, end-to-end speed).
#
#   tools/sentiment_eval/run_eval.sh [path/to/tailor] [reviews.json]
#
# Defaults: $TAILOR_BIN or build/release/tailor, and
# /work/shared/data/amazon-musical-instruments/Musical_Instruments.json.
# Work files go to $OUT (default /tmp/tailor_sentiment_eval). Needs node and
# `npm ci` in the repository root.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${1:-${TAILOR_BIN:-$repo/build/release/tailor}}"
data="${2:-$repo/../shared/data/amazon-musical-instruments/Musical_Instruments.json}"
out="${OUT:-/tmp/tailor_sentiment_eval}"

[ -x "$bin" ] || { echo "tailor binary not found: $bin" >&2; exit 2; }
[ -f "$data" ] || { echo "data set not found: $data" >&2; exit 2; }
[ -d "$repo/node_modules/vader-sentiment" ] || { echo "run npm ci in $repo first" >&2; exit 2; }

mkdir -p "$out"
node "$here/extract_reviews.js" "$data" "$out"
n=$(wc -l < "$out/texts.txt")

now() { date +%s.%N; }
timed() {  # timed NAME CMD... : runs CMD < texts > NAME.jsonl, prints wall seconds
  local name=$1; shift
  local t0 t1
  t0=$(now)
  "$@" < "$out/texts.txt" > "$out/$name.jsonl" 2> "$out/$name.err"
  t1=$(now)
  echo "$name wall_seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') texts=$n" | tee -a "$out/timing.txt"
}

: > "$out/timing.txt"
# Warm the page cache once so neither side pays for the first read.
cat "$out/texts.txt" > /dev/null
timed cpp_reference "$bin" sentiment --json --reference
timed js_reference node "$here/vader_reference.js"
timed cpp_default "$bin" sentiment --json
timed js_emoji node "$here/vader_reference.js" --translate-emoji
cat "$out/js_reference.err" "$out/js_emoji.err"

node "$here/compare.js" --stars "$out/stars.txt" \
  --run cpp_reference="$out/cpp_reference.jsonl" --run js_reference="$out/js_reference.jsonl" \
  --run cpp_default="$out/cpp_default.jsonl" --run js_emoji="$out/js_emoji.jsonl" \
  --agree cpp_reference,js_reference --agree cpp_default,js_emoji --agree cpp_default,js_reference

# Rule coverage beyond reviews: 20,000 seeded pseudo-random texts full of
# negations, boosters, caps, idioms, emoticons, emoji and odd punctuation.
echo
node "$here/make_stress_texts.js" 20000 42 > "$out/stress.txt"
"$bin" sentiment --json --reference < "$out/stress.txt" > "$out/stress_cpp_reference.jsonl"
node "$here/vader_reference.js" < "$out/stress.txt" > "$out/stress_js_reference.jsonl" 2>/dev/null
"$bin" sentiment --json --no-language < "$out/stress.txt" > "$out/stress_cpp_default.jsonl"
node "$here/vader_reference.js" --translate-emoji < "$out/stress.txt" > "$out/stress_js_emoji.jsonl" 2>/dev/null
node "$here/compare.js" \
  --run stress_cpp_reference="$out/stress_cpp_reference.jsonl" \
  --run stress_js_reference="$out/stress_js_reference.jsonl" \
  --run stress_cpp_no_language="$out/stress_cpp_default.jsonl" \
  --run stress_js_emoji="$out/stress_js_emoji.jsonl" \
  --agree stress_cpp_reference,stress_js_reference --agree stress_cpp_no_language,stress_js_emoji \
  | sed -n '/^| pair/,$p'

# End-to-end speed on short texts: the 16 benchmark texts repeated 3,000 times.
echo
for _ in $(seq 3000); do cat "$here/short_texts.txt"; done > "$out/short.txt"
for name in short_cpp_default short_cpp_reference short_js; do
  case $name in
    short_cpp_default) cmd=("$bin" sentiment --json) ;;
    short_cpp_reference) cmd=("$bin" sentiment --json --reference) ;;
    short_js) cmd=(node "$here/vader_reference.js") ;;
  esac
  t0=$(now)
  "${cmd[@]}" < "$out/short.txt" > "$out/$name.jsonl" 2> "$out/$name.err"
  t1=$(now)
  echo "$name wall_seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') texts=$(wc -l < "$out/short.txt")"
done
cat "$out/short_js.err"

#!/usr/bin/env bash
# `make run`: seed a demo tenant on first start, then serve.
set -euo pipefail
bin="$1"; data_dir="$2"; listen="$3"
mkdir -p "$data_dir"
if [ ! -f "$data_dir/tailor.db" ]; then
  echo "run: empty store, generating a demo tenant (tailor demo)"
  "$bin" demo --data-dir "$data_dir" --tenant default
fi
exec "$bin" serve --data-dir "$data_dir" --listen "$listen"

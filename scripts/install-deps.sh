#!/usr/bin/env bash
# Installs every Debian 12 package Tailor's build, tests and benchmarks need.
# Idempotent: packages already present are not reinstalled, and apt is only
# consulted when something is missing. Runs as root or through sudo.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl tzdata
  libboost1.81-dev libboost-json1.81-dev
  libabsl-dev libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev libcli11-dev
  libyaml-cpp-dev libssl-dev libnlopt-cxx-dev liblapacke-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libeigen3-dev libopenblas-dev libhnswlib-dev liblinear-dev
  libicu-dev libcctz-dev libstemmer-dev libcld2-dev
  postgresql-15 libpq-dev redis-server libhiredis-dev python3
  wrk nginx-light clang
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js and npm fetch registry data packages (lexicons); a machine may
# already carry a non-Debian node, which is fine.
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all system packages present"
fi

# Registry data packages (see package.json) land in ./node_modules.
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ -f "$here/package.json" ]; then
  if [ ! -d "$here/node_modules" ] || [ "$here/package.json" -nt "$here/node_modules" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-audit --no-fund --loglevel=error)
    touch "$here/node_modules"
  fi
fi

#!/usr/bin/env bash
# Clang's thread-safety analysis (-Wthread-safety) over the modules whose
# mutexes are absl::Mutex with ABSL_GUARDED_BY annotations (common, storage,
# cluster, serving, jobs, notify, insights' profile store, api's
# authenticator). The build itself uses GCC,
# which ignores the annotations; this compiles the same sources with clang,
# syntax only, using the flags of BUILD's compile_commands.json, and fails
# on any thread-safety warning.
#
#   scripts/check-thread-safety.sh [BUILD]   # default build/release
set -euo pipefail
build="${1:-build/release}"
root="$(cd "$(dirname "$0")/.." && pwd)"
db="$build/compile_commands.json"
if ! command -v clang++ >/dev/null; then
  echo "check-thread-safety: clang++ not found (scripts/install-deps.sh installs clang)" >&2
  exit 1
fi
[ -f "$db" ] || { echo "check-thread-safety: $db missing (configure first)" >&2; exit 1; }
python3 - "$db" "$root" <<'PY' | xargs -0 -P "$(nproc)" -n 1 bash -c 'eval "$0"'
import json, shlex, sys
db, root = sys.argv[1], sys.argv[2]
modules = ("src/common/", "src/storage/", "src/cluster/", "src/api/auth", "src/serving/",
           "src/jobs/", "src/insights/profile_store", "src/notify/")
seen = set()
for c in json.load(open(db)):
    f = c["file"]
    rel = f[len(root) + 1:] if f.startswith(root + "/") else f
    if not rel.startswith(modules) or rel.endswith("_test.cc") or rel in seen:
        continue
    seen.add(rel)
    args = shlex.split(c["command"])[1:]
    keep, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-o", "-c"):
            skip = True
            continue
        keep.append(a)
    cmd = ["cd", shlex.quote(c["directory"]), "&&", "clang++"] + [shlex.quote(a) for a in keep] + [
        "-fsyntax-only", "-Wno-everything", "-Wthread-safety", "-Werror=thread-safety",
        shlex.quote(f)]
    sys.stdout.write(" ".join(cmd) + "\0")
PY
echo "check-thread-safety: no thread-safety warnings"

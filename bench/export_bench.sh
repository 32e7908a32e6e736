#!/usr/bin/env bash
# Export of the demo county (issue 13): time and size of `jingzhun export` as CSV and .xlsx, the
# median of RUNS runs each, for one or more binaries (e.g. this build and a build of an older commit),
# so the typed .xlsx (numbers, dates, names, autofilter) can be compared with the all-text one.
# Usage: bench/export_bench.sh [--runs N] [BINARY...]   (default: build/jingzhun)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
if [ "${1:-}" = "--runs" ]; then runs=$2; shift 2; fi
[ $# -gt 0 ] || set -- build/jingzhun
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-40s %-5s %10s %12s\n' binary fmt "median ms" bytes
for bin in "$@"; do
  db="$tmp/demo.db"
  rm -f "$db"
  "$bin" demo --db "$db" --force >/dev/null
  for fmt in csv xlsx; do
    times=()
    for _ in $(seq "$runs"); do
      start=$(date +%s%N)
      "$bin" export --db "$db" --format "$fmt" --out "$tmp/out.$fmt" >/dev/null
      end=$(date +%s%N)
      times+=($(((end - start) / 1000000)))
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
    printf '%-40s %-5s %10s %12s\n' "$bin" "$fmt" "$median" "$(stat -c %s "$tmp/out.$fmt")"
  done
done

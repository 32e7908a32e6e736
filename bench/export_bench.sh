#!/usr/bin/env bash
# Export of the demo county (issue 13): time and size of `jingzhun export` as CSV and .xlsx, the
# median wall-clock and CPU time of RUNS runs each, for one or more binaries (e.g. this build and a build of an older commit),
# so the typed .xlsx (numbers, dates, names, autofilter) can be compared with the all-text one.
# Usage: bench/export_bench.sh [--runs N] [BINARY...]   (default: build/jingzhun)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
if [ "${1:-}" = "--runs" ]; then runs=$2; shift 2; fi
[ $# -gt 0 ] || set -- build/jingzhun
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-40s %-5s %10s %12s %12s\n' binary fmt "median ms" "median cpu" bytes
for bin in "$@"; do
  db="$tmp/demo.db"
  rm -f "$db"
  "$bin" demo --db "$db" --force >/dev/null
  for fmt in csv xlsx; do
    walls=()
    cpus=()
    for _ in $(seq "$runs"); do
      # wall seconds, user and system CPU seconds (CPU time is steadier on a shared machine)
      read -r wall user sys < <(/usr/bin/time -f '%e %U %S' "$bin" export --db "$db" --format "$fmt" \
        --out "$tmp/out.$fmt" 2>&1 >/dev/null | tail -1)
      walls+=("$(echo "$wall * 1000 / 1" | bc)")
      cpus+=("$(echo "($user + $sys) * 1000 / 1" | bc)")
    done
    mid=$(((runs + 1) / 2))
    wall=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p")
    cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p")
    printf '%-40s %-5s %10s %12s %12s\n' "$bin" "$fmt" "$wall" "$cpu" "$(stat -c %s "$tmp/out.$fmt")"
  done
done

#!/usr/bin/env bash
# Peak memory of `jingzhun import` and of `jingzhun serve` while each hostile file of issue 11 is
# imported (bench/hostile_files.py: huge row number, zip bombs of an inline string, a shared string
# and workbook.xml, a CSV with one huge line). For the server, a fresh `serve` per file on the demo
# county; the upload goes through POST /api/imports and the figure is the process's VmHWM after the
# answer. For the CLI, /usr/bin/time -v's maximum resident set size.
# Usage: bench/hostile_bench.sh [--mib N] [--bin PATH] [--timeout S] [--files "a.xlsx b.csv"] [--no-server]
#   N: size of the bombs (default 1024); --timeout kills what has not finished after S seconds
#   (for the "before" figures of a binary without the limits, which never finishes on huge_row).
set -euo pipefail
cd "$(dirname "$0")/.."
mib=1024
bin=build/jingzhun
timeout=0
files="huge_row.xlsx bomb_inline.xlsx bomb_shared.xlsx bomb_workbook.xlsx long_line.csv"
server=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --mib) mib=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --no-server) server=no; shift ;;
    *) echo "usage: $0 [--mib N] [--bin PATH] [--timeout S] [--files LIST] [--no-server]" >&2; exit 2 ;;
  esac
done
curl_limit=()
if [ "$timeout" != 0 ]; then curl_limit=(--max-time "$timeout"); fi
data=build/bench-data/hostile-$mib
mkdir -p "$data"
[ -s "$data/huge_row.xlsx" ] || python3 bench/hostile_files.py "$data" --mib "$mib"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" demo --db "$work/demo.db" --force >/dev/null
printf 'jingzhun-demo\n' > "$work/password"

printf '%-20s %10s | %-28s %9s %8s | %-28s %9s %8s\n' file size "CLI: outcome" "peak RSS" time \
  "server: outcome" "peak RSS" time
for f in $files; do
  size=$(stat -c %s "$data/$f")
  # CLI
  cp "$work/demo.db" "$work/cli.db"
  start=$(date +%s.%N)
  status=0
  if [ "$timeout" = 0 ]; then
    /usr/bin/time -v "$bin" import --db "$work/cli.db" "$data/$f" --errors "$work/cli-errors.csv" \
      >"$work/cli.out" 2>"$work/cli.err" || status=$?
    cli_rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/cli.err")
  else
    # Killed after the timeout: the peak is polled from /proc (VmHWM) while it runs.
    "$bin" import --db "$work/cli.db" "$data/$f" --errors "$work/cli-errors.csv" \
      >"$work/cli.out" 2>"$work/cli.err" &
    pid=$!
    cli_rss=0
    while kill -0 "$pid" 2>/dev/null; do
      hwm=$(sed -n 's/^VmHWM:\s*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null || true)
      [ -n "$hwm" ] && cli_rss=$hwm
      if [ "$(echo "$(date +%s.%N) - $start > $timeout" | bc)" = 1 ]; then kill -9 "$pid"; fi
      sleep 0.1
    done
    wait "$pid" || status=$?
  fi
  cli_time=$(echo "$(date +%s.%N) - $start" | bc)
  # exit status and the start of the English message ("jingzhun: field: 中文 / English")
  cli_code="exit $status: $(head -1 "$work/cli.err" | sed 's/.* \/ //' | cut -c1-18)"
  ls "$work"/cli-errors.csv* >/dev/null 2>&1 && cli_code="$cli_code +errfile"
  if [ "$server" = no ]; then
    printf '%-20s %10s | %-28s %6s MiB %7.1fs\n' "$f" "$size" "$cli_code" "$((cli_rss / 1024))" "$cli_time"
    continue
  fi
  # server
  cp "$work/demo.db" "$work/srv.db"
  "$bin" serve --db "$work/srv.db" --listen 127.0.0.1:0 --web "$work/none" >"$work/srv.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q listening "$work/srv.log" && break; sleep 0.1; done
  port=$(sed -n 's/.*127.0.0.1:\([0-9]*\)\/.*/\1/p' "$work/srv.log")
  base=http://127.0.0.1:$port
  cookie=$(curl -s -D - -o /dev/null -X POST "$base/api/login" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"jingzhun-demo"}' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p')
  start=$(date +%s.%N)
  answer=$(curl -s "${curl_limit[@]}" -b "$cookie" -X POST -H 'Content-Type: application/octet-stream' --data-binary "@$data/$f" "$base/api/imports?filename=$f" || true)
  srv_time=$(echo "$(date +%s.%N) - $start" | bc)
  srv_rss=$(sed -n 's/^VmHWM:\s*\([0-9]*\) kB/\1/p' "/proc/$server/status")
  srv_code=$(echo "$answer" | sed -n 's/.*"code":"\([^"]*\)".*/\1/p' | head -1)
  kill "$server"
  for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
  stopped="stopped on SIGTERM"
  if kill -0 "$server" 2>/dev/null; then stopped="SIGTERM ignored, killed"; kill -9 "$server"; fi
  wait "$server" 2>/dev/null || true
  leftover=$(find "$work/srv.db.files" -name 'tmp-*' 2>/dev/null | wc -l)
  printf '%-20s %10s | %-28s %6s MiB %7.1fs | %-28s %6s MiB %7.1fs (%s; temp files left: %s)\n' "$f" \
    "$size" "$cli_code" "$((cli_rss / 1024))" "$cli_time" "${srv_code:-no answer}" "$((srv_rss / 1024))" \
    "$srv_time" "$stopped" "$leftover"
done

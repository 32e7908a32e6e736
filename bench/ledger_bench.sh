#!/usr/bin/env bash
# The ledger's figures at scale (issue 14), side by side in one run, on 1M households / 5M items
# (built once by build/bench/bench_delivered into build/bench-data/, the Store's own writes):
#   1. the measures delivered for the county: service::BuildDelivered cold (a fresh process) against
#      a plain SQL GROUP BY over the items table (bench_delivered, each in a forked child);
#   2. the same through the server: GET /api/reports/measures cold (the first request after the
#      server started, and after a ledger change) and kept (the same request again);
#   3. a household's plan page (30 items, 5 years of income): GET /api/households/{code}/plan
#      against GET /api/households/{code}, each asked 50 times, median and 95th percentile.
# Usage: bench/ledger_bench.sh [--households N] [--items K]
set -euo pipefail
cd "$(dirname "$0")/.."
households=1000000
items=5
while [ $# -gt 0 ]; do
  case "$1" in
    --households) households=$2; shift 2 ;;
    --items) items=$2; shift 2 ;;
    *) echo "usage: $0 [--households N] [--items K]" >&2; exit 2 ;;
  esac
done
bin=build/jingzhun
data=build/bench-data
mkdir -p "$data"
db="$data/ledger-$households-$items.db"
reuse=--reuse
[ -s "$db" ] || reuse=
build/bench/bench_delivered --households "$households" --items "$items" --db "$db" $reuse | tee "$data/ledger-bench.log"
page=$(sqlite3 "$db" "SELECT household_code FROM assistance_item GROUP BY household_code HAVING count(*) >= 30 LIMIT 1")
if ! sqlite3 "$db" "SELECT 1 FROM account WHERE username = 'bench'" | grep -q 1; then
  printf 'bench-password\n' > "$data/password"
  "$bin" user add --db "$db" --username bench --role admin --scope 540425 --password-file "$data/password" >/dev/null
fi

echo "plain SQL GROUP BY with the sqlite3 CLI:"
/usr/bin/time -f '  %e s wall, %M KiB peak' sqlite3 "$db" "SELECT measure, count(*), count(DISTINCT household_code) FROM assistance_item WHERE deleted = 0 GROUP BY measure" >/dev/null

web=$(mktemp -d)
log=$(mktemp)
JINGZHUN_SEARCH_RATE=off "$bin" serve --db "$db" --listen 127.0.0.1:0 --web "$web" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$web" "$log"' EXIT
for _ in $(seq 900); do grep -q listening "$log" && break; sleep 0.2; done
base=http://127.0.0.1:$(sed -n 's/.*127.0.0.1:\([0-9]*\)\/.*/\1/p' "$log")
cookie=$(curl -s -D - -o /dev/null -X POST "$base/api/login" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench-password"}' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p')
[ -n "$cookie" ] || { echo "login failed" >&2; exit 1; }
measures="/api/reports/measures?unit=540425&from=2016-01-01&to=2018-12-31"
t() { curl -s -o /dev/null -w '%{http_code} %{time_total}' -b "$cookie" "$base$1"; }
echo "GET $measures"
echo "  cold (first after start)  : $(t "$measures") s"
echo "  kept (asked again)        : $(t "$measures") s"
echo "  kept (asked again)        : $(t "$measures") s"
# A ledger change (a sign-off of an unsigned item) moves the generation: the next answer is cold.
item=$(sqlite3 "$db" "SELECT item_code || ' ' || version FROM assistance_item WHERE signed_on IS NULL AND deleted = 0 LIMIT 1")
if [ -n "$item" ]; then
  set -- $item
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -b "$cookie" -H 'Content-Type: application/json' \
    -d "{\"version\":$2,\"signed_on\":\"2018-12-31\",\"signed_by\":\"bench\"}" "$base/api/assistance/$1/sign")
  echo "  cold (after a sign-off, $code): $(t "$measures") s"
  echo "  kept (asked again)        : $(t "$measures") s"
fi
# Median and p95 of 50 requests.
pct() {
  local url=$1 i
  for i in $(seq 50); do curl -s -o /dev/null -w '%{time_total}\n' -b "$cookie" "$base$url"; done |
    sort -n | awk '{a[NR]=$1} END {printf "median %.2f ms, p95 %.2f ms", a[int(NR/2)]*1000, a[int(NR*0.95)]*1000}'
}
echo "household $page ($(sqlite3 "$db" "SELECT count(*) FROM assistance_item WHERE household_code='$page'") items, $(sqlite3 "$db" "SELECT count(*) FROM income WHERE household_code='$page'") years of income):"
echo "  GET /api/households/$page/plan : $(pct "/api/households/$page/plan")"
echo "  GET /api/households/$page      : $(pct "/api/households/$page")"

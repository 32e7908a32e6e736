#!/usr/bin/env bash
# The battle map's requests, old and new side by side (issue 13), against a generated registry:
#   old: GET /api/reports/progress + /api/reconcile + the overdue count + one list count per cause
#        and per attribute (the county view), then one list count per village of the largest
#        township (its drill-down);
#   new: GET /api/reports/summary for the county, then for that township.
# Each is timed cold (right after a household change, so no kept report applies) and warm (asked
# again), with curl, one request after another as the page makes them (the old page sent its
# count requests in parallel, so its wall time was lower than the sum; the request count is the
# point).
# Usage: bench/summary_bench.sh [--households N]   (database built once under build/bench-data/)
set -euo pipefail
cd "$(dirname "$0")/.."
households=100000
while [ $# -gt 0 ]; do
  case "$1" in
    --households) households=$2; shift 2 ;;
    *) echo "usage: $0 [--households N]" >&2; exit 2 ;;
  esac
done
bin=build/jingzhun
data=build/bench-data
mkdir -p "$data"
db="$data/summary-$households.db"
if [ ! -s "$db" ]; then
  echo "building a registry of $households households (once)..." >&2
  "$bin" generate --households "$households" --seed 7 --out "$data/summary-$households.csv" >/dev/null
  "$bin" init --db "$db" --plan plans/chayu-2016.toml --force >/dev/null
  "$bin" import --db "$db" "$data/summary-$households.csv" --errors "$data/summary-errors.csv" >/dev/null || true
  rm -f "$data/summary-$households.csv"
  printf 'bench-password\n' > "$data/password"
  "$bin" user add --db "$db" --username bench --role admin --scope 540425 --password-file "$data/password" >/dev/null
fi
township=$(sqlite3 "$db" "SELECT substr(division_code,1,9) FROM household GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
villages=$(sqlite3 "$db" "SELECT DISTINCT division_code FROM household WHERE division_code LIKE '$township%'")
changed=$(sqlite3 "$db" "SELECT household_code FROM household LIMIT 1")

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
as_of=2017-06-30

# Moves the registry generation (an unchanged PUT is still a write): no kept report applies after.
touch_registry() {
  local etag body
  body=$(curl -s -D "$web/h" -b "$cookie" "$base/api/households/$changed")
  etag=$(sed -n 's/^[Ee][Tt]ag: \(.*\)\r$/\1/p' "$web/h")
  body=$(printf '%s' "$body" | python3 -c 'import json,sys; h=json.load(sys.stdin); h["phone"]=("13800000000" if h.get("phone")!="13800000000" else "13900000000"); print(json.dumps(h))')
  curl -s -o /dev/null -w "(PUT %{http_code}) " -X PUT -b "$cookie" -H 'Content-Type: application/json' -H "If-Match: $etag" \
    -d "$body" "$base/api/households/$changed"
}
# Times the given URLs one after another: "requests seconds".
run() {
  local n=0 total=0 t
  for u in "$@"; do
    t=$(curl -s -o /dev/null -w '%{time_total}' -b "$cookie" "$base$u")
    total=$(python3 -c "print($total + $t)")
    n=$((n + 1))
  done
  printf '%d requests, %.3f s' "$n" "$total"
}
old_county=("/api/reports/progress?as_of=$as_of" "/api/reconcile?as_of=$as_of" "/api/households?overdue=2017&page_size=1")
for c in $(seq 1 11) 99; do old_county+=("/api/households?cause=$c&page_size=1"); done
for a in 1 2 3; do old_county+=("/api/households?attribute=$a&page_size=1"); done
old_township=()
for v in $villages; do old_township+=("/api/households?division=$v&page_size=1"); done
new_county=("/api/reports/summary?as_of=$as_of")
new_township=("/api/reports/summary?unit=$township&as_of=$as_of")

echo "registry: $households households; township $township ($(echo "$villages" | wc -w) villages with households)"
for view in county township; do
  old="old_$view[@]"; new="new_$view[@]"
  echo "$view, old, cold: $(touch_registry)$(run "${!old}")"
  echo "$view, old, warm: $(run "${!old}")"
  echo "$view, new, cold: $(touch_registry)$(run "${!new}")"
  echo "$view, new, warm: $(run "${!new}")"
done

#!/usr/bin/env bash
# HTTP benchmark of `jingzhun serve` on a 1M-household registry, with wrk at 64 connections:
#   1. GET /api/households/{code} for random codes,
#   2. a filtered list page (township + status, 20 per page),
#   3. the same list with two filters (a scan of the township's index) at page 50,
#   4. a static file of the same size as the household answer, from the same server (the plain
#      alternative: no session, no database, no JSON).
# Usage: bench/serve_bench.sh [--households N] [--duration SECONDS]
# The database is built once under build/bench-data/ and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
households=1000000
duration=15
while [ $# -gt 0 ]; do
  case "$1" in
    --households) households=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    *) echo "usage: $0 [--households N] [--duration SECONDS]" >&2; exit 2 ;;
  esac
done
bin=build/jingzhun
data=build/bench-data
mkdir -p "$data"
db="$data/serve-$households.db"
if [ ! -s "$db" ]; then
  echo "building a registry of $households households (once)..." >&2
  "$bin" generate --households "$households" --seed 7 --out "$data/serve-$households.csv" >/dev/null
  "$bin" init --db "$db" --plan plans/chayu-2016.toml --force >/dev/null
  "$bin" import --db "$db" "$data/serve-$households.csv" --errors "$data/serve-errors.csv" >/dev/null || true
  rm -f "$data/serve-$households.csv"
  printf 'bench-password\n' > "$data/password"
  "$bin" user add --db "$db" --username bench --role admin --scope 540425 --password-file "$data/password" >/dev/null
fi
printf 'bench-password\n' > "$data/password"
sqlite3 "$db" "SELECT household_code FROM household ORDER BY random() LIMIT 10000" > "$data/codes.txt"
township=$(sqlite3 "$db" "SELECT substr(division_code,1,9) FROM household GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")

web=$(mktemp -d)
log=$(mktemp)
"$bin" serve --db "$db" --listen 127.0.0.1:0 --web "$web" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$web" "$log"' EXIT
for _ in $(seq 50); do grep -q listening "$log" && break; sleep 0.2; done
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\)\/.*/\1/p' "$log")
base=http://127.0.0.1:$port
cookie=$(curl -s -D - -o /dev/null -X POST "$base/api/login" \
  -d '{"username":"bench","password":"bench-password"}' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p')
[ -n "$cookie" ] || { echo "login failed" >&2; exit 1; }

# The static file: the same bytes as one household's answer.
first=$(head -1 "$data/codes.txt")
curl -s -b "$cookie" "$base/api/households/$first" > "$web/household.json"
size=$(stat -c %s "$web/household.json")

lua=$(mktemp --suffix .lua)
cat > "$lua" <<LUA
local codes = {}
for line in io.lines("$data/codes.txt") do codes[#codes + 1] = line end
local i = 0
request = function()
  i = i % #codes + 1
  return wrk.format("GET", "/api/households/" .. codes[i], {["Cookie"] = "$cookie"})
end
LUA
run() {  # name, then wrk arguments
  local name=$1; shift
  local out
  out=$(wrk -t2 -c64 -d"${duration}s" --latency "$@")
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  echo "$name: $rps requests/s, p99 $p99" >&2
  echo "$rps"
}
echo "households: $(sqlite3 "$db" 'SELECT count(*) FROM household'), answer size $size bytes, township $township" >&2
one=$(run "GET /api/households/{code}" -s "$lua" "$base")
static=$(run "static file, $size bytes" "$base/household.json")
list=$(run "GET /api/households?division=$township&status=0&page_size=20" -H "Cookie: $cookie" \
  "$base/api/households?division=$township&status=0&page_size=20")
cause=$(run "GET /api/households?division=$township&status=0&cause=1&page=50 (two filters, page 50)" -H "Cookie: $cookie" \
  "$base/api/households?division=$township&status=0&cause=1&page=50&page_size=20")
rm -f "$lua"
awk -v a="$one" -v s="$static" 'BEGIN { printf "ratio household / static file: %.2f\n", a / s }' >&2

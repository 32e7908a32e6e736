#!/usr/bin/env bash
# The cost of durability (issue 11): synchronous=FULL (the default: every commit syncs the WAL) against
# NORMAL (JINGZHUN_SYNCHRONOUS=normal: synced at checkpoints only), for
#   1. API writes: PUT /api/households/{code} with wrk, each request a different household and a new
#      income (one commit each), 8 connections;
#   2. a bulk import of N households into an empty registry (one transaction);
# and the time of `audit verify` (chain + rows) against `--chain-only` on the imported registry.
# Usage: bench/durability_bench.sh [--households N] [--duration SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
households=200000
duration=10
while [ $# -gt 0 ]; do
  case "$1" in
    --households) households=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    *) echo "usage: $0 [--households N] [--duration SECONDS]" >&2; exit 2 ;;
  esac
done
bin=$PWD/build/jingzhun
data=build/bench-data
mkdir -p "$data"
csv="$data/durability-$households.csv"
[ -s "$csv" ] || "$bin" generate --households "$households" --seed 7 --out "$csv" >/dev/null
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

for mode in normal full; do
  db="$data/durability-$mode.db"
  rm -f "$db" "$db-wal" "$db-shm"
  "$bin" init --db "$db" --plan plans/chayu-2016.toml >/dev/null
  sync
  t0=$(date +%s%N)
  JINGZHUN_SYNCHRONOUS=$mode "$bin" import --db "$db" "$csv" --errors "$data/durability-errors.csv" >/dev/null || true
  t1=$(date +%s%N)
  echo "import $households households, synchronous=$mode: $(seconds "$t0" "$t1") s" >&2
done

db="$data/durability-full.db"
t0=$(date +%s%N); "$bin" audit verify --db "$db" >/dev/null; t1=$(date +%s%N)
echo "audit verify (chain + rows), $households households: $(seconds "$t0" "$t1") s" >&2
t0=$(date +%s%N); "$bin" audit verify --db "$db" --chain-only >/dev/null; t1=$(date +%s%N)
echo "audit verify --chain-only: $(seconds "$t0" "$t1") s" >&2
t0=$(date +%s%N); "$bin" backup --db "$db" --out "$data/durability-backup.db" >/dev/null; t1=$(date +%s%N)
echo "backup (copy + integrity_check + audit): $(seconds "$t0" "$t1") s" >&2
rm -f "$data/durability-backup.db"

printf 'bench-password\n' >"$data/password"
"$bin" user add --db "$db" --username bench --role admin --scope 540425 --password-file "$data/password" >/dev/null
bodies=$(mktemp -d)
sqlite3 "$db" "SELECT household_code FROM household ORDER BY random() LIMIT 2000" >"$bodies/codes.txt"
for mode in normal full; do
  web=$(mktemp -d)
  log=$(mktemp)
  JINGZHUN_SYNCHRONOUS=$mode "$bin" serve --db "$db" --listen 127.0.0.1:0 --web "$web" >"$log" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.2; done
  port=$(sed -n 's/.*127.0.0.1:\([0-9]*\)\/.*/\1/p' "$log")
  base=http://127.0.0.1:$port
  cookie=$(curl -s -D - -o /dev/null -X POST -H 'Content-Type: application/json' -H "Origin: $base" \
    "$base/api/login" -d '{"username":"bench","password":"bench-password"}' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p')
  # One body per household, the income replaced by the request counter in Lua.
  if [ ! -s "$bodies/bodies.txt" ]; then
    while read -r code; do
      curl -s -b "$cookie" "$base/api/households/$code" | jq -c '.net_income_per_head = "INCOME"'
    done <"$bodies/codes.txt" >"$bodies/bodies.txt"
  fi
  lua=$(mktemp --suffix .lua)
  cat >"$lua" <<LUA
local codes, bodies = {}, {}
for line in io.lines("$bodies/codes.txt") do codes[#codes + 1] = line end
for line in io.lines("$bodies/bodies.txt") do bodies[#bodies + 1] = line end
local n = 0
request = function()
  n = n + 1
  local i = n % #codes + 1
  local body = string.gsub(bodies[i], "INCOME", tostring(5000 + n % 100000) .. ".25")
  return wrk.format("PUT", "/api/households/" .. codes[i], {["Cookie"] = "$cookie", ["If-Match"] = "*",
    ["Content-Type"] = "application/json", ["Origin"] = "$base"}, body)
end
LUA
  out=$(wrk -t2 -c8 -d"${duration}s" --latency -s "$lua" "$base")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "API writes, synchronous=$mode: $rps writes/s, p99 $p99${non2xx:+, non-2xx $non2xx}" >&2
  kill $server; wait $server || true
  rm -rf "$web" "$log" "$lua"
done
rm -rf "$bodies"

#!/usr/bin/env bash
# Free-text search under load, and what it does to /healthz (issue 11, finding 6): on a registry of
# N households (default 1M), 16 connections search (q=) without pause — two characters of a
# member's name, a member's whole ID number, an ID number's first 10 digits, in turn — while one
# connection asks /healthz; wrk reports both. Run it against the index (this build) and against the
# old scan (a build of an older commit: --bin OLD_BINARY --old).
# Usage: bench/search_bench.sh [--households N] [--duration SECONDS] [--searchers N] [--bin FILE] [--old]
# The database is built once under build/bench-data/ (shared with serve_bench.sh) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
households=1000000
duration=20
searchers=16
bin=build/jingzhun
old=0
while [ $# -gt 0 ]; do
  case "$1" in
    --households) households=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --searchers) searchers=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --old) old=1; shift ;;
    *) echo "usage: $0 [--households N] [--duration SECONDS] [--searchers N] [--bin FILE] [--old]" >&2; exit 2 ;;
  esac
done
data=build/bench-data
mkdir -p "$data"
db="$data/serve-$households.db"
if [ ! -s "$db" ]; then
  echo "building a registry of $households households (once)..." >&2
  build/jingzhun generate --households "$households" --seed 7 --out "$data/serve-$households.csv" >/dev/null
  build/jingzhun init --db "$db" --plan plans/chayu-2016.toml --force >/dev/null
  build/jingzhun import --db "$db" "$data/serve-$households.csv" --errors "$data/serve-errors.csv" >/dev/null || true
  rm -f "$data/serve-$households.csv"
  printf 'bench-password\n' > "$data/password"
  build/jingzhun user add --db "$db" --username bench --role admin --scope 540425 --password-file "$data/password" >/dev/null
fi

# The queries: URL-encoded, one per line.
queries="$data/search-queries.txt"
python3 - "$db" "$queries" <<'PY'
import sqlite3, sys, urllib.parse, random
db = sqlite3.connect(sys.argv[1])
random.seed(11)
rows = db.execute("SELECT name, id_number FROM person ORDER BY random() LIMIT 3000").fetchall()
out = []
for i, (name, id_number) in enumerate(rows):
    q = [name[:2], id_number, id_number[:10]][i % 3]
    out.append(urllib.parse.quote(q))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY

web=$(mktemp -d)
log=$(mktemp)
JINGZHUN_SEARCH_RATE=off "$bin" serve --db "$db" --listen 127.0.0.1:0 --web "$web" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$web" "$log" "$lua"' EXIT
lua=$(mktemp --suffix .lua)
for _ in $(seq 600); do grep -q listening "$log" && break; sleep 0.5; done
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\)\/.*/\1/p' "$log")
base=http://127.0.0.1:$port
cookie=$(curl -s -D - -o /dev/null -X POST -H 'Content-Type: application/json' "$base/api/login" \
  -d '{"username":"bench","password":"bench-password"}' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p')
[ -n "$cookie" ] || { echo "login failed" >&2; exit 1; }
rss() { awk '/VmRSS/ {print int($2 / 1024) " MiB"}' /proc/$server/status; }

cat > "$lua" <<LUA
local queries = {}
for line in io.lines("$queries") do queries[#queries + 1] = line end
local i = math.random(#queries)
request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/api/households?page_size=20&q=" .. queries[i], {["Cookie"] = "$cookie"})
end
LUA
idle=$(wrk -t1 -c1 -d5s --latency "$base/healthz" | awk '$1 == "99%" {print $2}')
# One at a time first: the same 30 queries as the old scan's figure (docs/benchmarks.md).
head -30 "$queries" | while read -r q; do
  curl -s -o /dev/null -w '%{time_total}\n' -b "$cookie" "$base/api/households?page_size=20&q=$q"
done | sort -n | awk '{t[NR] = $1} END {printf "30 searches one at a time: p50 %.0f ms, max %.0f ms\n", t[int((NR + 1) / 2)] * 1000, t[NR] * 1000}' >&2
echo "households: $(sqlite3 "$db" 'SELECT count(*) FROM household'), server $( [ $old = 1 ] && echo 'old scan' || echo index ), RSS $(rss)" >&2
echo "/healthz alone: p99 $idle" >&2
health_out=$(mktemp)
wrk -t1 -c1 -d"${duration}s" --latency "$base/healthz" >"$health_out" &
health=$!
search_out=$(wrk -t2 -c"$searchers" -d"${duration}s" --timeout 60s --latency -s "$lua" "$base")
wait $health
srps=$(awk '/Requests\/sec/ {print $2}' <<<"$search_out")
sp50=$(awk '$1 == "50%" {print $2}' <<<"$search_out")
sp99=$(awk '$1 == "99%" {print $2}' <<<"$search_out")
hp99=$(awk '$1 == "99%" {print $2}' "$health_out")
hmax=$(awk '/Latency/ {print $4; exit}' "$health_out")
echo "searches ($searchers connections): $srps requests/s, p50 $sp50, p99 $sp99" >&2
echo "/healthz during the searches: p99 $hp99, max $hmax; server RSS $(rss)" >&2
grep -E "Non-2xx|Socket errors" <<<"$search_out" >&2 || true
rm -f "$health_out"

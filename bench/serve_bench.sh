#!/usr/bin/env bash
# HTTP benchmark of `jingzhun serve` on a 1M-household registry, with wrk at 64 connections:
#   1. GET /api/households/{code} for random codes,
#   2. a filtered list page (township + status, 20 per page),
#   3. the same list with two filters (a scan of the township's index) at page 50,
#   4. a static file of the same size as the household answer, from the same server (the plain
#      alternative: no session, no database, no JSON),
#   5. GET /api/households/{code} at 200 connections,
#   6. /healthz latency (4 connections) during a login flood (64 connections posting the correct
#      password, so every attempt is hashed; then wrong passwords, which the throttle answers),
#   7. /healthz while 19,900 idle connections are open (more than --max-connections).
# Usage: bench/serve_bench.sh [--households N] [--duration SECONDS] [--only hardening]
# The database is built once under build/bench-data/ and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
households=1000000
duration=15
only=all
while [ $# -gt 0 ]; do
  case "$1" in
    --households) households=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "usage: $0 [--households N] [--duration SECONDS] [--only hardening]" >&2; exit 2 ;;
  esac
done
ulimit -n "$(ulimit -Hn)"  # the idle-connection run needs many descriptors
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
for _ in $(seq 900); do grep -q listening "$log" && break; sleep 0.2; done  # the index of 1M takes a while
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\)\/.*/\1/p' "$log")
base=http://127.0.0.1:$port
cookie=$(curl -s -D - -o /dev/null -X POST "$base/api/login" -H 'Content-Type: application/json' \
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
connections=64
run() {  # name, then wrk arguments
  local name=$1; shift
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@")
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  echo "$name: $rps requests/s, p99 $p99" >&2
  echo "$rps"
}
echo "households: $(sqlite3 "$db" 'SELECT count(*) FROM household'), answer size $size bytes, township $township" >&2
if [ "$only" = hardening ]; then
  connections=200
  run "GET /api/households/{code} at 200 connections" -s "$lua" "$base" >/dev/null
  connections=64
  # /healthz during a login flood: first the correct password (every attempt hashed, one login
  # thread), then a wrong one (throttled after the free failures: answered 429 on the I/O thread).
  for password in bench-password wrong-password; do
    flood=$(mktemp --suffix .lua)
    cat > "$flood" <<LUA
wrk.method = "POST"
wrk.body = '{"username":"bench","password":"$password"}'
wrk.headers["Content-Type"] = "application/json"
LUA
    wrk -t1 -c64 -d"$((duration + 4))s" -s "$flood" "$base/api/login" > "$data/flood.out" &
    flooder=$!
    sleep 2
    out=$(wrk -t1 -c4 -d"${duration}s" --latency "$base/healthz")
    wait $flooder
    echo "/healthz during a login flood ($password): p99 $(awk '$1 == "99%" {print $2}' <<<"$out"), max $(awk '/Latency/ {print $4}' <<<"$out"); flood: $(awk '/Requests\/sec/ {print $2}' "$data/flood.out") requests/s, $(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$data/flood.out" || echo 'all 2xx')" >&2
    rm -f "$flood"
  done
  # Idle connections: more than the server's cap, then /healthz.
  python3 - "$port" <<'PY' >&2
import socket, sys, time, subprocess
port = int(sys.argv[1])
socks = []
for i in range(19900):
    try:
        s = socket.create_connection(("127.0.0.1", port))
        socks.append(s)
    except OSError as e:
        print(f"stopped opening at {i}: {e}")
        break
t = time.time()
out = subprocess.run(["curl", "-s", "-m", "10", "-o", "/dev/null", "-w", "%{http_code} %{time_total}",
                      f"http://127.0.0.1:{port}/healthz"], capture_output=True, text=True).stdout
print(f"/healthz with {len(socks)} idle connections opened: {out} (status, seconds)")
PY
  rm -f "$lua"
  ps -o rss=,pcpu= -p "$server" | awk '{printf "server after the idle run: %d MB resident, %s%% CPU (lifetime)\n", $1/1024, $2}' >&2
  exit 0
fi
one=$(run "GET /api/households/{code}" -s "$lua" "$base")
static=$(run "static file, $size bytes" "$base/household.json")
list=$(run "GET /api/households?division=$township&status=0&page_size=20" -H "Cookie: $cookie" \
  "$base/api/households?division=$township&status=0&page_size=20")
cause=$(run "GET /api/households?division=$township&status=0&cause=1&page=50 (two filters, page 50)" -H "Cookie: $cookie" \
  "$base/api/households?division=$township&status=0&cause=1&page=50&page_size=20")
rm -f "$lua"
awk -v a="$one" -v s="$static" 'BEGIN { printf "ratio household / static file: %.2f\n", a / s }' >&2

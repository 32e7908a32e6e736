# Shared helpers for the installation tests: those of the CLI tests (expect_status, check, fail,
# finish; $JZ, $SRC, $TMP), and a server started in the background and waited for.
# shellcheck source=../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

server_pid=""
server_port=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$TMP"' EXIT

# start_server LOG CMD... : runs CMD in the background and waits (up to 60 s) for its
# "listening on http://HOST:PORT/" line; sets $server_pid and $server_port. Returns 1 (and shows the
# log) when the server exits or does not listen in time.
start_server() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  server_pid=$!
  server_port=""

  for _ in $(seq 600); do
    if grep -q "listening on" "$log"; then
      server_port=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\)\/.*/\1/p' "$log" | head -n 1)
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid" 2>/dev/null
      fail "the server exited before listening: $*"
      sed 's/^/  log: /' "$log" >&2
      server_pid=""
      return 1
    fi
    sleep 0.1
  done
  fail "the server did not listen within 60 s: $*"
  sed 's/^/  log: /' "$log" >&2
  stop_server
  return 1
}

# login BASE USER PASSWORD JAR : POST /api/login; prints the HTTP status.
login() {
  curl -s -o /dev/null -w '%{http_code}' -c "$4" -X POST "$1/api/login" \
    -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"$3\"}"
}

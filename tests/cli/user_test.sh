#!/usr/bin/env bash
# jingzhun user and serve: accounts from the command line, exit statuses, and a served database
# seeing an account disabled by the CLI.
source "$(dirname "$0")/lib.sh"
DB="$TMP/u.db"
expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"
for cmd in "user add" "user list" "user disable" serve; do
  # shellcheck disable=SC2086
  expect_status 0 "$JZ" $cmd --help
done

# Password from stdin, and from a file.
echo "a-long-password" | expect_status 0 "$JZ" user add --db "$DB" --username zhang --role officer --scope 540425100
printf 'another-password\n' >"$TMP/pw"
expect_status 0 "$JZ" user add --db "$DB" --username li --role viewer --scope 540425 --password-file "$TMP/pw" --json
[ "$(jq -r .role "$TMP/out")" = viewer ] || fail "user add --json: $(cat "$TMP/out")"

# Refusals name the field; nothing is added.
echo "a-long-password" | expect_status 2 "$JZ" user add --db "$DB" --username wang --role root --scope 540425
expect_one_line_error "role"
echo "a-long-password" | expect_status 2 "$JZ" user add --db "$DB" --username wang --role viewer --scope 999999
expect_one_line_error "scope"
echo "short" | expect_status 2 "$JZ" user add --db "$DB" --username wang --role viewer --scope 540425
expect_one_line_error "password"
echo "password123" | expect_status 2 "$JZ" user add --db "$DB" --username wang --role viewer --scope 540425
expect_one_line_error "common"
echo "wang.wu.1" | expect_status 2 "$JZ" user add --db "$DB" --username wang.wu.1 --role viewer --scope 540425
expect_one_line_error "username"
echo "a-long-password" | expect_status 2 "$JZ" user add --db "$DB" --username "$(printf 'u%.0s' $(seq 65))" --role viewer --scope 540425
expect_one_line_error "username"
echo "a-long-password" | expect_status 2 "$JZ" user add --db "$DB" --username zhang --role viewer --scope 540425
expect_one_line_error "username"
echo "a-long-password" | expect_status 2 "$JZ" user add --db "$DB" --username "bad name" --role viewer --scope 540425
expect_one_line_error "username"
expect_status 2 "$JZ" user add --db "$DB" --username wang --role viewer --scope 540425 </dev/null
expect_one_line_error "password"

expect_status 0 "$JZ" user list --db "$DB" --json
[ "$(jq '.items | length' "$TMP/out")" = 2 ] || fail "user list: $(cat "$TMP/out")"
[ "$(jq -r '.items[0].username' "$TMP/out")" = li ] || fail "user list is not ordered by username"
expect_status 2 "$JZ" user disable --db "$DB" nobody
expect_one_line_error "nobody"

# serve: bad --listen and a missing database are usage errors.
expect_status 2 "$JZ" serve --db "$DB" --listen "127.0.0.1:99999"
expect_one_line_error "listen"
expect_status 2 "$JZ" serve --db "$TMP/none.db"
expect_one_line_error "none.db"

# A served database: log in, disable the account with the CLI, the session ends at once.
"$JZ" serve --db "$DB" --listen 127.0.0.1:0 >"$TMP/serve.out" 2>&1 &
server=$!
for _ in $(seq 600); do grep -q listening "$TMP/serve.out" && break; sleep 0.1; done
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\)\/.*/\1/p' "$TMP/serve.out")
base="http://127.0.0.1:$port"
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$TMP/jar" -X POST "$base/api/login" \
  -H 'Content-Type: application/json' -d '{"username":"zhang","password":"a-long-password"}')
[ "$code" = 200 ] || fail "login answered $code"
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/jar" "$base/api/me")" = 200 ] || fail "/api/me before disable"
expect_status 0 "$JZ" user disable --db "$DB" zhang --json
[ "$(jq .sessions_ended "$TMP/out")" = 1 ] || fail "user disable: $(cat "$TMP/out")"
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/jar" "$base/api/me")" = 401 ] || fail "a disabled account still has its session"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/login" -H 'Content-Type: application/json' \
  -d '{"username":"zhang","password":"a-long-password"}')" = 401 ] || fail "a disabled account can log in"
# A change without a JSON Content-Type (what a cross-site form sends) is refused.
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/login" -d '{"username":"li","password":"another-password"}')" = 415 ] ||
  fail "a form-encoded login was not refused"
kill -TERM "$server"
wait "$server" || fail "serve did not exit 0 on SIGTERM"

# A slow client cannot hold the server: a header that dawdles past --read-timeout is cut off, and
# others are served meanwhile.
"$JZ" serve --db "$DB" --listen 127.0.0.1:0 --read-timeout 1 --threads 1 >"$TMP/serve.out" 2>&1 &
server=$!
for _ in $(seq 600); do grep -q listening "$TMP/serve.out" && break; sleep 0.1; done
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\)\/.*/\1/p' "$TMP/serve.out")
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n' >&3  # the header never ends
[ "$(curl -s -m 5 "http://127.0.0.1:$port/healthz")" = '{"status":"ok"}' ] || fail "a slow client blocked another request"
sleep 2
timeout 2 cat <&3 >/dev/null
[ $? = 0 ] || fail "the slow connection was not closed after --read-timeout"
exec 3<&-
kill -TERM "$server"
wait "$server" || fail "serve did not exit 0 on SIGTERM"
expect_status 0 "$JZ" audit verify --db "$DB"
finish

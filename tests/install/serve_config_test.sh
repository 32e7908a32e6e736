#!/usr/bin/env bash
# jingzhun serve --config FILE: the settings from a TOML file, flags given override it, relative
# paths are relative to the file; an unknown key, a wrong type or a value out of range stops the
# server with exit 2 and one line naming the file and the key (zh + en).
source "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/etc" "$TMP/state"
expect_status 0 "$JZ" demo --db "$TMP/state/j.db"

# expect_config_error KEY-TEXT : the file $TMP/etc/bad.toml is refused naming KEY-TEXT
expect_config_error() {
  expect_status 2 "$JZ" serve --config "$TMP/etc/bad.toml" --listen 127.0.0.1:0
  expect_one_line_error "$1"
  grep -q "bad.toml" "$TMP/err" || fail "the error does not name the file: $(cat "$TMP/err")"
}
printf 'listen = "127.0.0.1:0"\ndatabase = "../state/j.db"\nthreds = 4\n' >"$TMP/etc/bad.toml"
expect_config_error "threds"
grep -q "未知的配置项" "$TMP/err" || fail "no Chinese: $(cat "$TMP/err")"
grep -q "unknown key" "$TMP/err" || fail "no English: $(cat "$TMP/err")"
grep -q ":3: threds" "$TMP/err" || fail "no line number: $(cat "$TMP/err")"
printf 'threads = "many"\n' >"$TMP/etc/bad.toml"
expect_config_error "threads"
printf 'threads = 1000\n' >"$TMP/etc/bad.toml"
expect_config_error "threads"
grep -q "0 to 256" "$TMP/err" || fail "the range is not named: $(cat "$TMP/err")"
printf 'listen = "localhost:http"\n' >"$TMP/etc/bad.toml"
expect_config_error "listen"
printf 'trust_proxy = "yes"\n' >"$TMP/etc/bad.toml"
expect_config_error "trust_proxy"
printf 'allow_origin = "http://a"\n' >"$TMP/etc/bad.toml"
expect_config_error "allow_origin"
printf 'public_url = "ftp://fp.example"\n' >"$TMP/etc/bad.toml"
expect_config_error "public_url"
printf 'database = ""\n' >"$TMP/etc/bad.toml"
expect_config_error "database"
printf '[server]\nlisten = "127.0.0.1:0"\n' >"$TMP/etc/bad.toml"
expect_config_error "server"
printf 'listen = "127.0.0.1:0\n' >"$TMP/etc/bad.toml"
expect_config_error "bad.toml:1"
# Even when a flag overrides it, a bad value in the file is an error.
printf 'threads = -1\n' >"$TMP/etc/bad.toml"
expect_status 2 "$JZ" serve --config "$TMP/etc/bad.toml" --threads 2 --db "$TMP/state/j.db"
expect_one_line_error "threads"
expect_status 2 "$JZ" serve --config "$TMP/etc/none.toml"
expect_one_line_error "none.toml"
# A database that does not exist: named, with how to create one.
printf 'database = "/nonexistent/jingzhun.db"\n' >"$TMP/etc/bad.toml"
expect_status 2 "$JZ" serve --config "$TMP/etc/bad.toml"
expect_one_line_error "/nonexistent/jingzhun.db"
grep -q "jingzhun init" "$TMP/err" || fail "no hint to create the database: $(cat "$TMP/err")"

# A good file: its database (relative to the file), its listen address overridden by the flag,
# $JINGZHUN_DB below the file.
cat >"$TMP/etc/j.toml" <<'TOML'
# comment
listen = "127.0.0.1:1"
database = "../state/j.db"
backup_dir = "../state/backups"
web = "../nowhere"
threads = 2
max_connections = 50
read_timeout = 20
idle_timeout = 5
trust_proxy = false
secure_cookie = false
allow_origin = ["http://localhost:5173"]
TOML
if JINGZHUN_DB="$TMP/other.db" start_server "$TMP/serve.log" "$JZ" serve --config "$TMP/etc/j.toml" --listen 127.0.0.1:0; then
  grep -q "database $TMP/state/j.db" "$TMP/serve.log" || fail "database from the file, relative to it: $(head -1 "$TMP/serve.log")"
  grep -q "no web workbench in $TMP/nowhere" "$TMP/serve.log" || fail "web from the file: $(head -1 "$TMP/serve.log")"
  grep -q "at most 50 connections" "$TMP/serve.log" || fail "max_connections from the file: $(head -1 "$TMP/serve.log")"
  check "login" [ "$(login "http://127.0.0.1:$server_port" admin jingzhun-demo "$TMP/jar")" = 200 ]
  # allow_origin from the file: a change from that origin is accepted, from another refused.
  check "allowed origin" [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$server_port/api/login" \
    -H 'Origin: http://localhost:5173' -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"jingzhun-demo"}')" = 200 ]
  check "other origin refused" [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$server_port/api/login" \
    -H 'Origin: http://evil.example' -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"jingzhun-demo"}')" = 403 ]
  stop_server
fi
# --db over the file's database.
cp "$TMP/state/j.db" "$TMP/k.db"
if start_server "$TMP/serve2.log" "$JZ" serve --config "$TMP/etc/j.toml" --listen 127.0.0.1:0 --db "$TMP/k.db" --max-connections 40; then
  grep -q "database $TMP/k.db" "$TMP/serve2.log" || fail "--db over the file: $(head -1 "$TMP/serve2.log")"
  grep -q "at most 40 connections" "$TMP/serve2.log" || fail "--max-connections over the file: $(head -1 "$TMP/serve2.log")"
  stop_server
fi
finish

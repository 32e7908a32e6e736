#!/usr/bin/env bash
# cmake --install into a temporary prefix, then, from a folder outside the source tree: the
# installed program runs demo, serves the workbench from share/jingzhun/web and logs in; a binary
# copied elsewhere still finds the demo's plan (built in); the build folder's binary, run from
# elsewhere, finds the source tree's. Arguments: BINARY SOURCE_DIR BUILD_DIR.
source "$(dirname "$0")/lib.sh"
BUILD=$3
PREFIX="$TMP/prefix"
WORK="$TMP/work"  # outside the source tree
mkdir -p "$WORK"
cd "$WORK" || exit 1

cmake --install "$BUILD" --prefix "$PREFIX" >"$TMP/install.log" 2>&1 || { cat "$TMP/install.log" >&2; fail "cmake --install"; finish; }
for f in bin/jingzhun share/jingzhun/plans/chayu-2016.toml share/jingzhun/data/chayu-540425-divisions.csv \
  share/doc/jingzhun/README.md share/doc/jingzhun/install.md share/doc/jingzhun/copyright \
  etc/jingzhun/jingzhun.toml lib/systemd/system/jingzhun.service; do
  check "installed: $f" [ -s "$PREFIX/$f" ]
done
check "installed binary is executable" [ -x "$PREFIX/bin/jingzhun" ]
web_built=false
if [ -f "$SRC/web/dist/index.html" ]; then
  web_built=true
  check "installed: share/jingzhun/web/index.html" cmp -s "$SRC/web/dist/index.html" "$PREFIX/share/jingzhun/web/index.html"
else
  echo "note: web/dist is not built (scripts/build-web); the workbench checks are left out" >&2
fi
# The example configuration and unit point into the prefix.
grep -q "^database = \"$PREFIX/var/lib/jingzhun/jingzhun.db\"" "$PREFIX/etc/jingzhun/jingzhun.toml" || fail "config database: $(grep database "$PREFIX/etc/jingzhun/jingzhun.toml")"
grep -q "^web = \"$PREFIX/share/jingzhun/web\"" "$PREFIX/etc/jingzhun/jingzhun.toml" || fail "config web"
grep -q "^ExecStart=$PREFIX/bin/jingzhun serve --config $PREFIX/etc/jingzhun/jingzhun.toml" "$PREFIX/lib/systemd/system/jingzhun.service" || fail "unit ExecStart"

JI="$PREFIX/bin/jingzhun"
expect_status 0 "$JI" --version
grep -q '^jingzhun [0-9]' "$TMP/out" || fail "--version: $(cat "$TMP/out")"

# demo from a folder without plans/: the installed share/jingzhun is found.
expect_status 0 "$JI" demo --db "$WORK/x.db"
grep -q "察隅" "$TMP/out" || fail "demo printed no report: $(head -3 "$TMP/out")"
check "demo database" [ -s "$WORK/x.db" ]
expect_status 0 "$JI" init --db "$WORK/i.db" --plan plans/chayu-2016.toml  # relative: from share/jingzhun
expect_status 0 "$JI" generate --plan plans/chayu-2016.toml --out "$WORK/g.csv"
# A plan that is nowhere: the error names every place looked in.
expect_status 2 "$JI" init --db "$WORK/n.db" --plan plans/none.toml
expect_one_line_error "$PREFIX/share/jingzhun/plans/none.toml"
grep -q "built-in" "$TMP/err" || fail "the error does not mention the built-in files: $(cat "$TMP/err")"
grep -q "找不到文件" "$TMP/err" || fail "the error has no Chinese: $(cat "$TMP/err")"

# serve with the installed configuration (flags override its listen and database); a login; the
# workbench from the installed web folder.
if start_server "$TMP/serve.log" "$JI" serve --config "$PREFIX/etc/jingzhun/jingzhun.toml" --db "$WORK/x.db" --listen 127.0.0.1:0; then
  base="http://127.0.0.1:$server_port"
  grep -q "database $WORK/x.db" "$TMP/serve.log" || fail "serve did not take --db over the file: $(head -1 "$TMP/serve.log")"
  check "login as the demo admin" [ "$(login "$base" admin jingzhun-demo "$TMP/jar")" = 200 ]
  check "/api/me after login" [ "$(curl -s -o /dev/null -w '%{http_code}' -b "$TMP/jar" "$base/api/me")" = 200 ]
  if $web_built; then
    grep -q "web $PREFIX/share/jingzhun/web" "$TMP/serve.log" || fail "serve line: $(head -1 "$TMP/serve.log")"
    curl -s -o "$TMP/index.html" "$base/" || fail "GET /"
    check "index.html from the installed web folder" cmp -s "$TMP/index.html" "$PREFIX/share/jingzhun/web/index.html"
  fi
  stop_server
fi
# Without --config or --web: the workbench is found from the binary's place.
if $web_built && start_server "$TMP/serve2.log" "$JI" serve --db "$WORK/x.db" --listen 127.0.0.1:0; then
  grep -q "web $PREFIX/share/jingzhun/web" "$TMP/serve2.log" || fail "default web: $(head -1 "$TMP/serve2.log")"
  curl -s -o "$TMP/index2.html" "http://127.0.0.1:$server_port/" || fail "GET / (default web)"
  check "index.html (default web)" cmp -s "$TMP/index2.html" "$PREFIX/share/jingzhun/web/index.html"
  stop_server
fi

# The binary copied anywhere, alone: the demo's plan and divisions are built in.
mkdir -p "$TMP/copy/bin"
cp "$JZ" "$TMP/copy/bin/jingzhun"
expect_status 0 "$TMP/copy/bin/jingzhun" demo --db "$WORK/c.db"
check "copied binary: demo database" [ -s "$WORK/c.db" ]
expect_status 0 "$TMP/copy/bin/jingzhun" report progress --db "$WORK/c.db"
# ... and the same county as the installed one.
for q in "SELECT count(*) FROM household" "SELECT count(*) FROM person" "SELECT count(*) FROM org_unit"; do
  check "copied binary: the same demo county ($q)" [ "$(sqlite3 "$WORK/c.db" "$q")" = "$(sqlite3 "$WORK/x.db" "$q")" ]
done
check "copied binary: the same plan" [ "$(sqlite3 "$WORK/c.db" "SELECT toml FROM plan")" = "$(sqlite3 "$WORK/x.db" "SELECT toml FROM plan")" ]
# $JINGZHUN_DATA_DIR comes first: a plan only there is found.
mkdir -p "$TMP/data/plans" "$TMP/data/data"
sed '0,/^id = .*/s//id = "chayu-2016-copy"/' "$SRC/plans/chayu-2016.toml" >"$TMP/data/plans/other.toml"
cp "$SRC"/data/*.csv "$TMP/data/data/"
grep -q 'chayu-2016-copy' "$TMP/data/plans/other.toml" || fail "test setup: the plan has no id line"
JINGZHUN_DATA_DIR="$TMP/data" expect_status 0 "$TMP/copy/bin/jingzhun" init --db "$WORK/d.db" --plan plans/other.toml --json
check "JINGZHUN_DATA_DIR: its plan" [ "$(jq -r .plan "$TMP/out")" = chayu-2016-copy ]
expect_status 2 "$TMP/copy/bin/jingzhun" init --db "$WORK/d2.db" --plan plans/other.toml
expect_one_line_error "JINGZHUN_DATA_DIR"
# A copied binary has no workbench to find: serve says where it looked, and still serves the API.
if start_server "$TMP/serve3.log" "$TMP/copy/bin/jingzhun" serve --db "$WORK/c.db" --listen 127.0.0.1:0; then
  grep -q "no web workbench" "$TMP/serve3.log" || fail "copied binary serve line: $(head -1 "$TMP/serve3.log")"
  check "copied binary: login" [ "$(login "http://127.0.0.1:$server_port" admin jingzhun-demo "$TMP/jar3")" = 200 ]
  stop_server
fi

# The build folder's binary, run from elsewhere, uses the source tree's plans.
expect_status 0 "$JZ" demo --db "$WORK/b.db"
finish

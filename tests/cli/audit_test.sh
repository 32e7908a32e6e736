#!/usr/bin/env bash
# audit verify: intact after init, import and updates; altered, removed or reordered entries are found.
source "$(dirname "$0")/lib.sh"
FIX="$SRC/tests/fixtures/import"
DB="$TMP/a.db"
expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"
expect_status 0 "$JZ" import --db "$DB" "$FIX/update_by_household_code/before.csv"
expect_status 0 "$JZ" import --db "$DB" "$FIX/update_by_household_code/input.csv"
expect_status 0 "$JZ" audit verify --db "$DB" --json
check "intact" [ "$(jq .intact "$TMP/out")" = true ]
check "entries: org units, plan, 2 inserts, 1 update" [ "$(jq .entries "$TMP/out")" = 5 ]
expect_status 0 "$JZ" audit verify --db "$DB"
grep -q "intact" "$TMP/out" || fail "human output: $(cat "$TMP/out")"
if command -v sqlite3 >/dev/null; then
  cp "$DB" "$TMP/b.db"
  sqlite3 "$TMP/b.db" "UPDATE change_log SET after_json = replace(after_json, '3100.5', '9999') WHERE seq = 5"
  expect_status 1 "$JZ" audit verify --db "$TMP/b.db" --json
  check "altered entry 5" [ "$(jq .first_bad_seq "$TMP/out")" = 5 ]
  cp "$DB" "$TMP/c.db"
  sqlite3 "$TMP/c.db" "DELETE FROM change_log WHERE seq = 3"
  expect_status 1 "$JZ" audit verify --db "$TMP/c.db" --json
  check "removed entry 3" [ "$(jq .first_bad_seq "$TMP/out")" = 3 ]
  expect_status 1 "$JZ" audit verify --db "$TMP/c.db"
  grep -q "3" "$TMP/out" || fail "human output names no entry"
fi
expect_status 2 "$JZ" audit verify --db "$TMP/none.db"
expect_status 2 "$JZ" audit
finish

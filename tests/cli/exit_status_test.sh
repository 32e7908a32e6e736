#!/usr/bin/env bash
# Exit statuses and error lines of every command: 0 success, 2 usage or unusable input, 3 partial import.
source "$(dirname "$0")/lib.sh"
FIX="$SRC/tests/fixtures/import"
DB="$TMP/r.db"

expect_status 2 "$JZ"
for cmd in init demo generate import export "report progress"; do
  # shellcheck disable=SC2086
  expect_status 0 "$JZ" $cmd --help
  grep -q -- "--json" "$TMP/out" || fail "$cmd --help does not mention --json"
done
expect_status 2 "$JZ" frobnicate
expect_status 2 "$JZ" init --plan "$PLAN" --bogus
expect_status 2 "$JZ" init --db "$DB" --plan "$TMP/missing.toml"
expect_one_line_error "missing.toml"

# A malformed plan names its line.
printf '[plan]\nid = "x"\nstart_year = "soon"\n' >"$TMP/bad.toml"
expect_status 2 "$JZ" init --db "$DB" --plan "$TMP/bad.toml"
grep -q "bad.toml:" "$TMP/err" || fail "plan error does not name file:line: $(cat "$TMP/err")"
[ ! -s "$DB" ] || fail "a refused plan left a database behind"

expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"
expect_status 2 "$JZ" init --db "$DB" --plan "$PLAN"
expect_one_line_error "exists"

# Import: missing file, missing column, all accepted, some rejected.
expect_status 2 "$JZ" import --db "$DB" "$TMP/nope.csv"
expect_one_line_error "nope.csv"
expect_status 2 "$JZ" import --db "$DB" "$FIX/missing_required_column/input.csv"
expect_one_line_error "main_cause"
expect_status 0 "$JZ" import --db "$DB" "$FIX/ok_basic/input.csv" --json
check "import --json households.inserted" [ "$(jq .households.inserted "$TMP/out")" = 2 ]
expect_status 3 "$JZ" import --db "$DB" "$FIX/reject_id_in_two_households_of_file/input.csv" --errors "$TMP/e.csv" --json
check "partial import: 2 rejected" [ "$(jq .households.rejected "$TMP/out")" = 2 ]
check "errors have row/household_code/field/reason" \
  [ "$(jq -c '.errors[0] | [has("row"), has("household_code"), has("field"), has("reason")]' "$TMP/out")" = '[true,true,true,true]' ]
check "error file written" [ -s "$TMP/e.csv" ]
expect_status 0 "$JZ" import --db "$DB" "$FIX/ok_basic/input.csv" --json
check "second import unchanged" [ "$(jq .households.unchanged "$TMP/out")" = 2 ]

# Databases that cannot be used.
expect_status 2 "$JZ" report progress --db "$TMP/none.db"
expect_one_line_error "none.db"
head -c 8192 /dev/urandom >"$TMP/corrupt.db"
expect_status 2 "$JZ" report progress --db "$TMP/corrupt.db"
expect_one_line_error "db"
if command -v sqlite3 >/dev/null; then
  (echo "BEGIN EXCLUSIVE; INSERT INTO setting VALUES('lock','1');"; sleep 8) | sqlite3 "$DB" &
  holder=$!
  sleep 1
  expect_status 2 "$JZ" import --db "$DB" "$FIX/ok_basic/input.csv"
  expect_one_line_error "locked"
  kill "$holder" 2>/dev/null
  wait "$holder" 2>/dev/null
fi

# Bad options.
expect_status 2 "$JZ" report progress --db "$DB" --as-of 2017-02-30
expect_one_line_error "as-of"
expect_status 2 "$JZ" export --db "$DB" --out "$TMP/x.csv" --format pdf
expect_status 2 "$JZ" export --db "$DB" --out "$TMP/x.csv" --division 999
expect_status 2 "$JZ" generate --out "$TMP/g.csv"
expect_status 2 "$JZ" generate --households 0 --out "$TMP/g.csv"
finish

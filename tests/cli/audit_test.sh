#!/usr/bin/env bash
# audit verify: intact after init, import and updates; altered, removed or reordered entries are found;
# rows edited outside the program are found by the replay (each with its code and the fields that
# differ); the head anchored outside the database catches a log cut back at the end; reports carry
# the head.
source "$(dirname "$0")/lib.sh"
FIX="$SRC/tests/fixtures/import"
DB="$TMP/a.db"
expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"
# The files without the pairing cadre's name (帮扶责任人, column 26): a name would add a cadre and
# pairings to the log (tests/cli/pairing_*), and the entries' numbers below are the households'.
for f in before input; do
  awk -F, -v OFS=, 'NR > 1 { $26 = "" } 1' "$FIX/update_by_household_code/$f.csv" >"$TMP/$f.csv"
done
expect_status 0 "$JZ" import --db "$DB" "$TMP/before.csv"
expect_status 0 "$JZ" import --db "$DB" "$TMP/input.csv"
expect_status 0 "$JZ" audit verify --db "$DB" --json
check "intact" [ "$(jq .intact "$TMP/out")" = true ]
check "entries: org units, plan, 2 inserts, 1 update" [ "$(jq .entries "$TMP/out")" = 5 ]
check "rows replayed: 2 households and the plan" [ "$(jq .rows "$TMP/out")" = 3 ]
check "no mismatches" [ "$(jq .mismatch_count "$TMP/out")" = 0 ]
head=$(jq -r '"\(.head.seq):\(.head.hash)"' "$TMP/out")
expect_status 0 "$JZ" audit verify --db "$DB"
grep -q "intact" "$TMP/out" || fail "human output: $(cat "$TMP/out")"

# audit head prints what verify calls the head; reports carry it (JSON and the footer).
expect_status 0 "$JZ" audit head --db "$DB"
check "audit head = verify's head" [ "$(cat "$TMP/out")" = "$head" ]
expect_status 0 "$JZ" report progress --db "$DB" --as-of 2017-06-30 --json
check "progress chain_head" [ "$(jq -r '"\(.chain_head.seq):\(.chain_head.hash)"' "$TMP/out")" = "$head" ]
expect_status 0 "$JZ" report progress --db "$DB" --as-of 2017-06-30
grep -q "Change-log head: $head" "$TMP/out" || fail "progress footer: $(tail -3 "$TMP/out")"
"$JZ" check --db "$DB" --as-of 2017-06-30 --json >"$TMP/out" 2>"$TMP/err"
check "check chain_head" [ "$(jq -r .chain_head.seq "$TMP/out")" = 5 ]
"$JZ" check --db "$DB" --as-of 2017-06-30 >"$TMP/out" 2>"$TMP/err"
grep -q "Change-log head: $head" "$TMP/out" || fail "check footer"
"$JZ" reconcile --db "$DB" --as-of 2017-06-30 --json >"$TMP/out" 2>"$TMP/err"
check "reconcile chain_head" [ "$(jq -r .chain_head.hash "$TMP/out")" = "${head#5:}" ]
"$JZ" reconcile --db "$DB" --as-of 2017-06-30 >"$TMP/out" 2>"$TMP/err"
grep -q "Change-log head: $head" "$TMP/out" || fail "reconcile footer"

# The anchored head: found, in either form; a malformed one is refused.
expect_status 0 "$JZ" audit verify --db "$DB" --head "$head" --json
check "anchor found" [ "$(jq .anchor.found "$TMP/out")" = true ]
expect_status 0 "$JZ" audit verify --db "$DB" --head "${head#5:}"
expect_status 1 "$JZ" audit verify --db "$DB" --head "4:${head#5:}"
expect_status 2 "$JZ" audit verify --db "$DB" --head "nothex"
expect_one_line_error "head"

if command -v sqlite3 >/dev/null; then
  # The chain: an altered entry, a removed one.
  cp "$DB" "$TMP/b.db"
  sqlite3 "$TMP/b.db" "UPDATE change_log SET after_json = replace(after_json, '3100.5', '9999') WHERE seq = 5"
  expect_status 1 "$JZ" audit verify --db "$TMP/b.db" --json
  check "altered entry 5" [ "$(jq .first_bad_seq "$TMP/out")" = 5 ]
  check "rows not replayed past a broken chain" [ "$(jq .rows_checked "$TMP/out")" = false ]
  cp "$DB" "$TMP/c.db"
  sqlite3 "$TMP/c.db" "DELETE FROM change_log WHERE seq = 3"
  expect_status 1 "$JZ" audit verify --db "$TMP/c.db" --json
  check "removed entry 3" [ "$(jq .first_bad_seq "$TMP/out")" = 3 ]
  expect_status 1 "$JZ" audit verify --db "$TMP/c.db"
  grep -q "3" "$TMP/out" || fail "human output names no entry"

  # A household's income edited with sqlite3: the chain is intact, the row is not what the log says.
  code=$(sqlite3 "$DB" "SELECT household_code FROM household ORDER BY household_code LIMIT 1")
  cp "$DB" "$TMP/d.db"
  sqlite3 "$TMP/d.db" "UPDATE household SET net_income_per_head = net_income_per_head + 100000 WHERE household_code = '$code'"
  expect_status 1 "$JZ" audit verify --db "$TMP/d.db" --json
  check "edited income: chain still intact" [ "$(jq .first_bad_seq "$TMP/out")" = null ]
  check "edited income: one mismatch" [ "$(jq .mismatch_count "$TMP/out")" = 1 ]
  check "edited income: code" [ "$(jq -r '.mismatches[0].code' "$TMP/out")" = audit.row_mismatch ]
  check "edited income: household" [ "$(jq -r '.mismatches[0].entity_key' "$TMP/out")" = "$code" ]
  check "edited income: field" [ "$(jq -c '.mismatches[0].fields' "$TMP/out")" = '["net_income_per_head"]' ]
  expect_status 1 "$JZ" audit verify --db "$TMP/d.db"
  grep -q "net_income_per_head" "$TMP/out" || fail "human output names no field: $(cat "$TMP/out")"
  grep -q "$code" "$TMP/out" || fail "human output names no household"
  # A member's name edited: the member and field are named.
  cp "$DB" "$TMP/d2.db"
  sqlite3 "$TMP/d2.db" "UPDATE person SET name = '某某' WHERE ordinal = 1 AND household_id = (SELECT id FROM household WHERE household_code = '$code')"
  expect_status 1 "$JZ" audit verify --db "$TMP/d2.db" --json
  check "edited member: field" [ "$(jq -c '.mismatches[0].fields' "$TMP/out")" = '["members[1].name"]' ]
  # A fact the reports count, edited beside the row.
  cp "$DB" "$TMP/d3.db"
  sqlite3 "$TMP/d3.db" "UPDATE household SET persons = persons + 5 WHERE household_code = '$code'"
  expect_status 1 "$JZ" audit verify --db "$TMP/d3.db" --json
  check "edited facts: derived" [ "$(jq -r '.mismatches[0].code' "$TMP/out")" = audit.row_derived ]
  check "edited facts: field" [ "$(jq -c '.mismatches[0].fields' "$TMP/out")" = '["persons"]' ]

  # The last log entry (the update) deleted: the chain is still a chain, the row no longer matches.
  cp "$DB" "$TMP/e.db"
  sqlite3 "$TMP/e.db" "DELETE FROM change_log WHERE seq = 5"
  expect_status 1 "$JZ" audit verify --db "$TMP/e.db" --json
  check "last entry deleted: chain intact" [ "$(jq .first_bad_seq "$TMP/out")" = null ]
  check "last entry deleted: the updated row disagrees" [ "$(jq -r '.mismatches[0].code' "$TMP/out")" = audit.row_mismatch ]
  check "last entry deleted: it names the entry" [ "$(jq '.mismatches[0].seq' "$TMP/out")" = 3 -o "$(jq '.mismatches[0].seq' "$TMP/out")" = 4 ]
  expect_status 1 "$JZ" audit verify --db "$TMP/e.db" --head "$head" --json
  check "last entry deleted: the anchor is gone" [ "$(jq .anchor.found "$TMP/out")" = false ]

  # A household removed, and one added, outside the program.
  cp "$DB" "$TMP/f.db"
  sqlite3 "$TMP/f.db" "PRAGMA foreign_keys=ON; DELETE FROM household WHERE household_code = '$code'"
  expect_status 1 "$JZ" audit verify --db "$TMP/f.db" --json
  check "removed row" [ "$(jq -r '.mismatches[0].code' "$TMP/out")" = audit.row_missing ]
  check "removed row: key" [ "$(jq -r '.mismatches[0].entity_key' "$TMP/out")" = "$code" ]
  cp "$DB" "$TMP/g.db"
  sqlite3 "$TMP/g.db" "UPDATE household SET household_code = 'X' || household_code WHERE household_code = '$code'"
  expect_status 1 "$JZ" audit verify --db "$TMP/g.db" --json
  check "renamed row: one unlogged, one missing" \
    [ "$(jq -c '[.mismatches[].code] | sort' "$TMP/out")" = '["audit.row_missing","audit.row_unlogged"]' ]

  # A change that leaves no row behind to compare (a population setting written, then its row and
  # its entry both removed): only the anchored head sees it.
  cp "$DB" "$TMP/h.db"
  expect_status 0 "$JZ" population set 540425 30000 --year 2016 --db "$TMP/h.db"
  expect_status 0 "$JZ" audit head --db "$TMP/h.db"
  head6=$(cat "$TMP/out")
  check "head moved to 6" [ "${head6%%:*}" = 6 ]
  sqlite3 "$TMP/h.db" "DELETE FROM change_log WHERE seq = 6; DELETE FROM population"
  expect_status 0 "$JZ" audit verify --db "$TMP/h.db"
  expect_status 1 "$JZ" audit verify --db "$TMP/h.db" --head "$head6"
  grep -q "not in the chain" "$TMP/out" || fail "anchor failure not explained: $(cat "$TMP/out")"
  expect_status 0 "$JZ" audit verify --db "$TMP/h.db" --head "$head"

  # An account's password hash swapped outside the program.
  cp "$DB" "$TMP/i.db"
  printf 'a-long-password\n' >"$TMP/pw"
  expect_status 0 "$JZ" user add --db "$TMP/i.db" --username zhang --role admin --scope 540425 --password-file "$TMP/pw"
  expect_status 0 "$JZ" audit verify --db "$TMP/i.db"
  sqlite3 "$TMP/i.db" "UPDATE account SET password_hash = '\$argon2id\$forged' WHERE username = 'zhang'"
  expect_status 1 "$JZ" audit verify --db "$TMP/i.db" --json
  check "swapped hash" [ "$(jq -c '.mismatches[0].fields' "$TMP/out")" = '["password_digest"]' ]
  sqlite3 "$TMP/i.db" "UPDATE account SET role = 'viewer'"
  expect_status 1 "$JZ" audit verify --db "$TMP/i.db" --json
  check "changed role" [ "$(jq -c '.mismatches[0].fields' "$TMP/out")" = '["role","password_digest"]' ]
fi
expect_status 2 "$JZ" audit verify --db "$TMP/none.db"
expect_status 2 "$JZ" audit
finish

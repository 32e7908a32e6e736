#!/usr/bin/env bash
# check and reconcile through the binary: exit statuses, JSON shape, scope, lists, workbook.
source "$(dirname "$0")/lib.sh"
FIX="$SRC/tests/fixtures/check"
DB="$TMP/q.db"
expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"

# A clean registry: no error findings → 0.
expect_status 0 "$JZ" import --db "$DB" "$FIX/income.out_of_range/input.csv"
expect_status 0 "$JZ" check --db "$DB" --as-of 2017-06-30 --json
check "income.out_of_range counted" [ "$(jq '.counts["income.out_of_range"]' "$TMP/out")" = 2 ]
check "every rule has a count" [ "$(jq '.counts | length' "$TMP/out")" = 22 ]
check "finding shape" [ "$(jq -c '.findings[0] | keys' "$TMP/out")" = \
  '["division_code","household_code","id_number","message","message_en","message_zh","rule","severity"]' ]
check "household rule has null id_number" \
  [ "$(jq '[.findings[] | select(.rule == "income.out_of_range") | .id_number] | unique' "$TMP/out")" = '[
  null
]' ]

# Error-severity findings → 1; ages depend on --as-of.
DB2="$TMP/q2.db"
expect_status 0 "$JZ" init --db "$DB2" --plan "$PLAN"
expect_status 0 "$JZ" import --db "$DB2" "$FIX/schooling.dropout/input.csv"
expect_status 1 "$JZ" check --db "$DB2" --as-of 2017-06-30 --json
check "three dropouts on 2017-06-30" [ "$(jq '.counts["schooling.dropout"]' "$TMP/out")" = 3 ]
check "H04 (16 on that day) is not a dropout" [ "$(jq '[.findings[] | select(.rule == "schooling.dropout") | .household_code] | index("H04")' "$TMP/out")" = null ]
expect_status 1 "$JZ" check --db "$DB2" --as-of 2016-06-30 --json
check "a year earlier H04 (then 15) is a dropout, H02 (then 6) is not" \
  [ "$(jq -c '[.findings[] | select(.rule == "schooling.dropout") | .household_code]' "$TMP/out")" = '["H01","H04","H06"]' ]

# Cross-check lists: plain lines, or a CSV with an id_number column.
expect_status 0 "$JZ" import --db "$DB2" "$FIX/person.deceased_or_excluded/input.csv"
id=$(awk '/^list:/ {print $3}' "$FIX/person.deceased_or_excluded/expect.txt")
printf '%s\nnot-an-id\n' "$id" >"$TMP/deceased.txt"
expect_status 1 "$JZ" check --db "$DB2" --as-of 2017-06-30 --against "$TMP/deceased.txt" --list-kind deceased --json
check "deceased found" [ "$(jq '.counts["person.deceased_or_excluded"]' "$TMP/out")" = 1 ]
printf '姓名,证件号码\n某人,%s\n' "$id" >"$TMP/vehicles.csv"
expect_status 1 "$JZ" check --db "$DB2" --as-of 2017-06-30 --against "$TMP/vehicles.csv" --list-kind vehicle --json
check "vehicle list found" [ "$(jq -r '[.findings[] | select(.rule == "person.deceased_or_excluded")][0].message' "$TMP/out" | grep -c vehicle)" = 1 ]
expect_status 2 "$JZ" check --db "$DB2" --against "$TMP/deceased.txt"
expect_one_line_error "list-kind"
expect_status 2 "$JZ" check --db "$DB2" --against "$TMP/deceased.txt" --list-kind pets
expect_status 2 "$JZ" check --db "$DB2" --against "$TMP/none.txt" --list-kind deceased
expect_status 2 "$JZ" check --db "$DB2" --division 540425999
expect_status 2 "$JZ" check --db "$TMP/missing.db"

# Scope: a township with nothing registered has no findings.
expect_status 0 "$JZ" check --db "$DB2" --as-of 2017-06-30 --division 540425200 --json
check "empty scope" [ "$(jq '.findings | length' "$TMP/out")" = 0 ]

# Workbook and text output.
expect_status 1 "$JZ" check --db "$DB2" --as-of 2017-06-30 --xlsx "$TMP/findings.xlsx"
check "xlsx written" [ -s "$TMP/findings.xlsx" ]
grep -q "schooling.dropout" "$TMP/out" || fail "text output lacks the rule id"
grep -q "竹瓦根镇" "$TMP/out" || fail "text output lacks the township"

# reconcile: an almost empty registry disagrees with the plan → 1, the plan's 2364 reported.
expect_status 1 "$JZ" reconcile --db "$DB2" --as-of 2017-06-30 --json
check "2364 reported" [ "$(jq '[.findings[] | select(.kind == "plan_total_mismatch" and .year == 2017 and .actual == 2364 and .expected == 2365)] | length' "$TMP/out")" = 1 ]
check "registry_vs_target reported" [ "$(jq '[.findings[] | select(.kind == "registry_vs_target")] | length > 0' "$TMP/out")" = true ]
check "reconcile finding shape" [ "$(jq -c '.findings[0] | [has("kind"), has("scope"), has("year"), has("measure"), has("expected"), has("actual"), has("message")]' "$TMP/out")" = '[true,true,true,true,true,true,true]' ]
expect_status 2 "$JZ" reconcile --db "$DB2" --as-of yesterday
finish

#!/usr/bin/env bash
# The demo county's ledger (issue 14): written through the Store with one change-log entry per row,
# consistent with the plan (the 373 ranger posts held, a few unsigned items, income years, cover),
# deterministic from the seed, and reconcile still reports only the plan's own 2,364/2,365.
source "$(dirname "$0")/lib.sh"
DB="$TMP/demo.db"

expect_status 0 "$JZ" demo --db "$DB"
grep -q "ledger:" "$TMP/out" || fail "demo does not report its ledger: $(head -2 "$TMP/out")"

expect_status 1 "$JZ" reconcile --db "$DB" --as-of 2017-06-30 --json
check "reconcile with the ledger: only the plan's 2364" \
  [ "$(jq -c '[.findings[] | [.kind, .year, .expected, .actual]]' "$TMP/out")" = '[["plan_total_mismatch",2017,2365,2364]]' ]
expect_status 0 "$JZ" audit verify --db "$DB"

q() { sqlite3 "$DB" "$1"; }
items=$(q "SELECT count(*) FROM assistance_item")
check "the demo has a ledger ($items items)" [ "$items" -gt 1000 ]
check "one change-log entry per item" \
  [ "$(q "SELECT count(*) FROM change_log WHERE entity = 'assistance_item' AND action = 'insert'")" = "$items" ]
check "one change-log entry per income record" \
  [ "$(q "SELECT count(*) FROM change_log WHERE entity = 'income'")" = "$(q "SELECT count(*) FROM income")" ]
check "one change-log entry per cover record" \
  [ "$(q "SELECT count(*) FROM change_log WHERE entity = 'coverage'")" = "$(q "SELECT count(*) FROM coverage")" ]
# The posts held on 2017-06-30: signed job posts of measure 8 still running, one member each.
check "373 ranger posts held" \
  [ "$(q "SELECT count(DISTINCT member_keys) FROM assistance_item WHERE measure = 8 AND kind = 5 AND signed_on IS NOT NULL
          AND start_date <= 20170630 AND (end_date IS NULL OR end_date >= 20170630)")" = 373 ]
unsigned=$(q "SELECT count(*) FROM assistance_item WHERE signed_on IS NULL")
check "a few unsigned items ($unsigned of $items)" [ "$unsigned" -gt 0 ] && [ $((unsigned * 100 / items)) -lt 5 ]
check "income for 2015 and 2016 of every household" \
  [ "$(q "SELECT count(*) FROM income WHERE year IN (2015, 2016)")" = 2862 ]
check "cover for 2016 and 2017" [ "$(q "SELECT count(DISTINCT year) FROM coverage")" = 2 ]

# The cover's few gaps are what the exit candidates then name.
expect_status 0 "$JZ" exit-candidates --db "$DB" --year 2017 --as-of 2017-06-30 --json
check "exit candidates name missing medical insurance" \
  [ "$(jq '[.unmet_counts[] | select(.id == "medical_insurance") | .households] | add // 0' "$TMP/out")" -gt 0 ]

# The same seed gives the same ledger.
expect_status 0 "$JZ" demo --db "$TMP/again.db"
check "same seed, same items" \
  [ "$(q "SELECT group_concat(body_json, '|') FROM (SELECT body_json FROM assistance_item ORDER BY item_code)" | md5sum)" = \
    "$(sqlite3 "$TMP/again.db" "SELECT group_concat(body_json, '|') FROM (SELECT body_json FROM assistance_item ORDER BY item_code)" | md5sum)" ]
# generate --ledger: the items and income beside the registry, in the exchange layouts; they import
# clean into the registry they belong to, and a second import changes nothing.
expect_status 0 "$JZ" generate --plan "$PLAN" --seed 3 --out "$TMP/g.csv" --ledger --json
check "generate --ledger names its files" [ "$(jq -r .assistance_out "$TMP/out")" = "$TMP/g-assistance.csv" ]
generated_items=$(jq .assistance_items "$TMP/out")
check "generate --ledger wrote items" [ "$generated_items" -gt 1000 ]
expect_status 0 "$JZ" init --db "$TMP/g.db" --plan "$PLAN"
expect_status 0 "$JZ" import --db "$TMP/g.db" "$TMP/g.csv"
expect_status 0 "$JZ" assistance import --db "$TMP/g.db" "$TMP/g-assistance.csv" --json
check "generated items import clean" [ "$(jq -c '[.rows.inserted, .rows.rejected]' "$TMP/out")" = "[$generated_items,0]" ]
expect_status 0 "$JZ" income import --db "$TMP/g.db" "$TMP/g-income.csv" --json
check "generated income imports clean" [ "$(jq -c '[.rows.inserted, .rows.rejected]' "$TMP/out")" = "[2862,0]" ]
expect_status 0 "$JZ" assistance import --db "$TMP/g.db" "$TMP/g-assistance.csv" --json
check "generated items re-import unchanged" [ "$(jq .rows.unchanged "$TMP/out")" = "$generated_items" ]
finish

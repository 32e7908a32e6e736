#!/usr/bin/env bash
# The demo county agrees with the plan exactly, and export → import → export is byte-identical.
source "$(dirname "$0")/lib.sh"
DB="$TMP/demo.db"

expect_status 0 "$JZ" demo --db "$DB" --json
R="$TMP/out"
check "demo persons 6160" [ "$(jq .county.persons "$R")" = 6160 ]
check "demo households 1431" [ "$(jq .county.households "$R")" = 1431 ]
check "as_of default" [ "$(jq -r .as_of "$R")" = 2017-06-30 ]
check "six townships" [ "$(jq '.townships | length' "$R")" = 6 ]
check "township × year planned = target" \
  [ "$(jq '[.townships[].years[] | select(.planned_persons != .target_persons)] | length' "$R")" = 0 ]
check "township totals from the plan" \
  [ "$(jq -c '[.townships[] | {(.code): .persons}] | add' "$R")" = \
    '{"540425100":611,"540425101":712,"540425102":1098,"540425200":2308,"540425201":997,"540425202":434}' ]
check "measure households = targets" \
  [ "$(jq '[.measures[] | select(.target_households != null and .households != .target_households)] | length' "$R")" = 0 ]
# The measures delivered come from the ledger: the households planned for a measure are its target;
# as of 2017-06-30 part of them has been reached (an item started by then), never more than planned.
check "measure planned households = targets" \
  [ "$(jq '[.measures[] | select(.target_households != null and .planned_households != .target_households)] | length' "$R")" = 0 ]
check "reached households within planned" \
  [ "$(jq '[.measures[] | select(.reached_households > .planned_households)] | length' "$R")" = 0 ]
check "some households reached, not all yet" \
  [ "$(jq '([.measures[].reached_households] | add) as $r | $r > 0 and $r < ([.measures[].planned_households] | add)' "$R")" = true ]
check "ecological rangers held 373 as of the date" \
  [ "$(jq '[.measures[].others[] | select(.id == "ecological_rangers") | .held] | add' "$R")" = 373 ]
check "2016 exits on target (fallbacks made up by early exits)" \
  [ "$(jq '[.townships[].years[] | select(.year == 2016) | .exited_persons] | add' "$R")" = 2210 ]
# Beneficiaries are the ledger's (measures delivered), no longer derived from ages.
check "measures carry the delivered figures, not age-derived persons" \
  [ "$(jq '[.measures[] | select(has("persons") or (has("beneficiaries") and has("reached_households") and has("planned_households") | not))] | length' "$R")" = 0 ]
check "no 2017 exits yet" [ "$(jq '[.townships[].years[] | select(.year == 2017) | .exited_persons] | add' "$R")" = 0 ]

expect_status 2 "$JZ" demo --db "$DB"
expect_one_line_error "force"

expect_status 0 "$JZ" report progress --db "$DB" --as-of 2017-06-30 --json
check "report progress equals demo's report" cmp -s "$TMP/out" <(jq -c . "$R")
expect_status 0 "$JZ" report progress --db "$DB" --as-of 2017-06-30
grep -q "察瓦龙乡" "$TMP/out" || fail "human report lacks township names"

for fmt in csv xlsx; do
  expect_status 0 "$JZ" export --db "$DB" --format "$fmt" --out "$TMP/one.$fmt"
  expect_status 0 "$JZ" init --db "$TMP/empty-$fmt.db" --plan "$PLAN"
  expect_status 0 "$JZ" import --db "$TMP/empty-$fmt.db" "$TMP/one.$fmt" --json
  check "$fmt reimport inserts all" [ "$(jq .households.inserted "$TMP/out")" = 1431 ]
  expect_status 0 "$JZ" export --db "$TMP/empty-$fmt.db" --format "$fmt" --out "$TMP/two.$fmt"
  check "$fmt export → import → export is byte-identical" cmp -s "$TMP/one.$fmt" "$TMP/two.$fmt"
done

# A few households of 2016 fell back (返贫).
check "some households fell back" [ "$(grep -c '返贫' "$TMP/one.csv")" -gt 0 ]

# The demo agrees with its plan everywhere except the document's own 2,364.
expect_status 1 "$JZ" reconcile --db "$DB" --as-of 2017-06-30 --json
check "reconcile: only the plan's 2364" \
  [ "$(jq -c '[.findings[] | [.kind, .year, .expected, .actual]]' "$TMP/out")" = '[["plan_total_mismatch",2017,2365,2364]]' ]
expect_status 0 "$JZ" check --db "$DB" --as-of 2017-06-30 --json
check "demo has no error-severity findings" \
  [ "$(jq '[.findings[] | select(.severity == "error")] | length' "$TMP/out")" = 0 ]

# A township's export holds only its households.
expect_status 0 "$JZ" export --db "$DB" --division 540425202 --out "$TMP/guyu.csv" --json
check "township export persons" [ "$(jq .persons "$TMP/out")" = 434 ]
# The list's filters (issue 13): the unexited households of the township, each with that status.
expect_status 0 "$JZ" export --db "$DB" --division 540425202 --status 未脱贫 --out "$TMP/guyu-open.csv" --json
open_households=$(jq .households "$TMP/out")
check "filtered export is a part" [ "$open_households" -gt 0 ] && [ "$(jq .persons "$TMP/out")" -lt 434 ]
check "filtered export holds only that status" \
  [ "$(awk -F, 'NR > 1 && $21 != "未脱贫"' "$TMP/guyu-open.csv" | wc -l)" = 0 ]
expect_status 2 "$JZ" export --db "$DB" --status nonesuch --out "$TMP/none.csv"
expect_one_line_error "status"

# generate is deterministic from --seed and matches the plan with --plan.
expect_status 0 "$JZ" generate --plan "$PLAN" --seed 5 --out "$TMP/g1.csv"
expect_status 0 "$JZ" generate --plan "$PLAN" --seed 5 --out "$TMP/g2.csv"
check "same seed, same bytes" cmp -s "$TMP/g1.csv" "$TMP/g2.csv"
expect_status 0 "$JZ" generate --plan "$PLAN" --seed 6 --out "$TMP/g3.csv"
check "other seed, other bytes" bash -c "! cmp -s '$TMP/g1.csv' '$TMP/g3.csv'"
check "6160 person rows" [ "$(($(wc -l <"$TMP/g1.csv") - 1))" = 6160 ]
expect_status 0 "$JZ" generate --households 2000 --seed 1 --out "$TMP/h.csv" --json
check "generate --households" [ "$(jq .households "$TMP/out")" = 2000 ]
expect_status 0 "$JZ" init --db "$TMP/h.db" --plan "$PLAN"
expect_status 0 "$JZ" import --db "$TMP/h.db" "$TMP/h.csv" --json
check "generated registry imports clean" [ "$(jq .households.rejected "$TMP/out")" = 0 ]
finish

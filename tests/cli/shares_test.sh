#!/usr/bin/env bash
# Asset-income shares from the command line: asset add|list|show|dividend|dispose|import|export and
# shares reallocate|household — --help, --json and the human text, the quantification among the
# village's poor households, dividends posted as assistance items, refusals (exit 4) and usage errors
# (exit 2) that change nothing, a csv and an xlsx round trip. docs/shares.md.
source "$(dirname "$0")/lib.sh"
DB="$TMP/shares.db"
jz() { "$JZ" "$@" --db "$DB"; }

for cmd in asset "asset add" "asset list" "asset show" "asset dividend" "asset dispose" "asset import" \
  "asset export" shares "shares reallocate" "shares household"; do
  # shellcheck disable=SC2086
  expect_status 0 "$JZ" $cmd --help
done

expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"
expect_status 0 "$JZ" generate --plan "$PLAN" --households 40 --seed 16 --out "$TMP/gen.csv"
expect_status 0 "$JZ" import --db "$DB" "$TMP/gen.csv"

# The village with the most not-exited (status 0 or 3) households.
VILLAGE=$(awk -F, '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) { sub(/^\xef\xbb\xbf/, "", $i); col[$i] = i }; next }
  !seen[$col["户编号"]]++ && ($col["脱贫状态"] ~ /^(0|3|未脱贫|返贫)$/) { print substr($col["户编号"], 1, 12) }' "$TMP/gen.csv" |
  sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
check "a village with poor households" [ ${#VILLAGE} = 12 ]

expect_status 0 jz asset add --id A-001 --project FP2017-01 --kind 光伏电站 --value 500000 --owner-name 村集体 \
  --village "$VILLAGE" --total-shares 1000 --date 2017-05-01 --json
check "quantified: shares add up" [ "$(jq '[.holdings[].shares] | add' "$TMP/out")" = 1000 ]
HOLDERS=$(jq '.holdings | length' "$TMP/out")
check "some holders" [ "$HOLDERS" -ge 1 ]
H0=$(jq -r '.holdings[0].holder' "$TMP/out")
check "asset value as a decimal string" [ "$(jq -r .asset.value "$TMP/out")" = 500000.00 ]
expect_status 0 jz asset add --id A-002 --kind greenhouse --value 120000.50 --owner cooperative --owner-name 合作社 \
  --village "$VILLAGE" --total-shares 7 --date 2017-05-01
grep -q "Asset added and quantified" "$TMP/out" || fail "human add: $(head -2 "$TMP/out")"

# Refusals and usage errors change nothing.
before=$(sqlite3 "$DB" "SELECT count(*) FROM change_log")
expect_status 4 jz asset add --id A-001 --kind 4 --value 1 --owner-name x --village "$VILLAGE" --total-shares 1
expect_one_line_error "shares.exists"
expect_status 2 jz asset add --id A-009 --kind 宇宙飞船 --value 1 --owner-name x --village "$VILLAGE" --total-shares 1
expect_one_line_error "kind"
expect_status 2 jz asset add --id A-009 --kind 4 --value 1 --owner-name x --village "$VILLAGE" --total-shares 1 --poor-permille 900
expect_one_line_error "split"
expect_status 2 jz asset add --id A-009 --kind 4  # required options missing
expect_status 2 jz asset show A-404
check "nothing changed by refusals" [ "$(sqlite3 "$DB" "SELECT count(*) FROM change_log")" = "$before" ]

expect_status 0 jz asset list --json
check "two assets" [ "$(jq '.assets | length' "$TMP/out")" = 2 ]
check "kind named" [ "$(jq -r '.assets[0].kind_name_zh' "$TMP/out")" = 光伏电站 ]
expect_status 0 jz asset list
grep -q "A-002" "$TMP/out" || fail "human list"

# Dividends: each household line an assistance item (category 11, cash).
expect_status 0 jz asset dividend A-001 --year 2017 --income 100000 --date 2017-12-30 --json
check "distributed is the poor part (55%)" [ "$(jq -r .distributed "$TMP/out")" = 55000.00 ]
check "one line per holder" [ "$(jq '.lines | length' "$TMP/out")" = "$HOLDERS" ]
ITEM=$(jq -r '.lines[0].item_code' "$TMP/out")
check "items posted" [ "$(sqlite3 "$DB" "SELECT count(*) FROM assistance_item WHERE category = 11 AND body_json LIKE '%"FP2017-01"%'")" = "$HOLDERS" ]
expect_status 4 jz asset dividend A-001 --year 2017 --income 1 --date 2017-12-31
expect_one_line_error "shares.dividend_declared"
expect_status 2 jz asset dividend A-001 --year 2018 --income abc
expect_status 0 jz shares household "$H0" --json
check "household holds A-001" [ "$(jq -r '.holdings[] | select(.asset_id == "A-001") | .asset_id' "$TMP/out")" = A-001 ]
check "household's dividend" [ "$(jq -r '.dividends[0].item_code' "$TMP/out")" = "$ITEM" ]
expect_status 0 jz shares household "$H0"
grep -q "Dividends" "$TMP/out" || fail "human household"

# The year's reallocation: nothing changed, nothing moves.
expect_status 0 jz shares reallocate --year 2017 --date 2017-12-20 --json
check "no moves" [ "$(jq '.moves | length' "$TMP/out")" = 0 ]
check "two assets looked at" [ "$(jq .assets "$TMP/out")" = 2 ]

# Disposal: the vote must carry.
expect_status 2 jz asset dispose A-002 --vote-date 2019-03-01 --votes-for 5 --votes-against 5 \
  --township-approved-on 2019-03-10 --county-agreed-on 2019-03-20 --finance-agreed-on 2019-03-21 --reason 损毁
expect_one_line_error "votes_for"
expect_status 0 jz asset dispose A-002 --vote-date 2019-03-01 --votes-for 6 --votes-against 5 \
  --township-approved-on 2019-03-10 --county-agreed-on 2019-03-20 --finance-agreed-on 2019-03-21 --reason 损毁 --json
check "disposed" [ "$(jq .disposed "$TMP/out")" = true ]
expect_status 4 jz asset dividend A-002 --year 2019 --income 1 --date 2019-12-31
expect_one_line_error "shares.disposed"
expect_status 0 jz asset show A-002 --json
check "disposal recorded" [ "$(jq .disposal.votes_for "$TMP/out")" = 6 ]

# A deregistration moves the household's shares at once; the adjustment's approval runs the year's
# reallocation in its transaction.
H1=$(jq -r '.holdings[] | select(.holder | startswith("village:") | not) | .holder' <(jz asset show A-001 --json) | tail -1)
expect_status 0 jz procedure deregister --household "$H1" --year 2017 --date 2017-12-01 --reason wrongly_registered --json
expect_status 0 jz shares household "$H1" --json
# (A disposed asset's holdings stay as they were: A-002 is left out of every reallocation.)
check "the deregistered household holds nothing of A-001" [ "$(jq '[.holdings[] | select(.asset_id == "A-001")] | length' "$TMP/out")" = 0 ]
expect_status 0 jz asset show A-001 --json
check "its shares moved as deregistered" [ "$(jq -r --arg h "$H1" '[.moves[] | select(.from == $h) | .reason] | unique | join(",")' "$TMP/out")" = deregistered ]
check "the total is kept" [ "$(jq '[.holdings[].shares] | add' "$TMP/out")" = 1000 ]
expect_status 0 jz adjustment --year 2017 --approve --date 2017-12-28
grep -q "Asset-income shares reallocated: 0 moves over 2 assets" "$TMP/out" || fail "approval: $(head -3 "$TMP/out")"

# Export and import, csv and xlsx: the exported assets are refused as taken, new ones go in.
for ext in csv xlsx; do
  expect_status 0 jz asset export "$TMP/assets.$ext"
  expect_status 2 jz asset import "$TMP/assets.$ext" --errors "$TMP/errors-$ext.csv" --date 2018-01-01
  check "$ext: every row rejected as taken" [ "$(grep -c shares.exists "$TMP/errors-$ext.csv")" = 2 ]
done
printf '资产编号,资产类型,量化价值(元),所有者名称,所在村,总股数\nB-001,商铺,80000,村集体,%s,50\nB-002,商铺,-1,村集体,%s,50\n' \
  "$VILLAGE" "$VILLAGE" >"$TMP/new.csv"
expect_status 3 jz asset import "$TMP/new.csv" --errors "$TMP/new-errors.csv" --json
check "one added" [ "$(jq .added "$TMP/out")" = 1 ]
check "one rejected" [ "$(jq .rejected "$TMP/out")" = 1 ]
grep -q value "$TMP/new-errors.csv" || fail "the rejected row names value"
expect_status 0 jz asset show B-001 --json
check "B-001 quantified" [ "$(jq '[.holdings[].shares] | add' "$TMP/out")" = 50 ]

# The chain is intact after all of it.
expect_status 0 jz audit verify
finish

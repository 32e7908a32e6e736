#!/usr/bin/env bash
# The assistance ledger from the command line: assistance add|list|sign|delete, the measures
# delivered in `report progress` (a signed item of measure 8 for a member makes that member a
# beneficiary; a versioned delete with a reason takes them out; the change log shows both), refusals
# (exit 4) and usage errors (exit 2) that change nothing.
source "$(dirname "$0")/lib.sh"
DB="$TMP/ledger.db"
jz() { "$JZ" "$@" --db "$DB"; }

for cmd in assistance "assistance list" "assistance add" "assistance sign" "assistance delete"; do
  # shellcheck disable=SC2086
  expect_status 0 "$JZ" $cmd --help
done

expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"
expect_status 0 "$JZ" generate --plan "$PLAN" --households 40 --seed 14 --out "$TMP/reg.csv"
expect_status 0 "$JZ" import --db "$DB" "$TMP/reg.csv"

# A household with at least two members: its code, and its second member's ID number.
read -r HH MEMBER OTHER < <(awk -F, '{ sub(/\r$/, "") }
  NR == 1 { for (i = 1; i <= NF; i++) { sub(/^\xef\xbb\xbf/, "", $i); col[$i] = i }; next }
  { n[$col["户编号"]]++; if (n[$col["户编号"]] == 2 && !hh) { hh = $col["户编号"]; id = $col["证件号码"] } }
  END { for (h in n) if (h != hh) { other = h; break }; print hh, id, other }' "$TMP/reg.csv")
check "a household with two members" [ -n "$HH" ] && [ -n "$MEMBER" ] && [ -n "$OTHER" ]
OTHER_ID=$(awk -F, -v h="$OTHER" '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) { sub(/^\xef\xbb\xbf/, "", $i); col[$i] = i }; next }
  $col["户编号"] == h { print $col["证件号码"]; exit }' "$TMP/reg.csv")

delivered() {  # delivered MEASURE FIELD: the progress report's figure
  "$JZ" report progress --db "$DB" --as-of 2017-06-30 --json >"$TMP/p.json" || fail "report progress"
  jq ".measures[] | select(.number == $1) | .$2" "$TMP/p.json"
}
check "no beneficiaries before the ledger" [ "$(delivered 8 beneficiaries)" = 0 ]
check "the age-derived persons key is gone" [ "$(jq '[.measures[] | select(has("persons"))] | length' "$TMP/p.json")" = 0 ]

# Add: a ranger post for the member, by category and kind names; the record comes back.
expect_status 0 jz assistance add --household "$HH" --member "$MEMBER" --measure 8 --category 公益岗位 \
  --kind 岗位 --start 2016-03-01 --periodic-amount 3000 --period 按月 --fund CY-ECO-2016 --notes 护林 --json
CODE=$(jq -r .item_code "$TMP/out")
check "the code is the household's first" [ "$CODE" = "$HH-001" ]
check "version 1" [ "$(jq .version "$TMP/out")" = 1 ]
check "unconfirmed" [ "$(jq .signed_off "$TMP/out")" = false ]
check "amount as a decimal string" [ "$(jq -r .periodic_amount "$TMP/out")" = 3000 ]
check "the member" [ "$(jq -r '.member_ids[0]' "$TMP/out")" = "$MEMBER" ]
check "an unsigned item counts as an item, not as reached" \
  [ "$(delivered 8 items)/$(delivered 8 unsigned_items)/$(delivered 8 reached_households)" = 1/1/0 ]

expect_status 0 jz assistance add --household "$HH" --measure 9 --category 32 --kind 贷款 --start 2016-05-01 --amount 50000.5
grep -q "$HH-002" "$TMP/out" || fail "human add prints the code: $(head -3 "$TMP/out")"
grep -q "未确认 unconfirmed" "$TMP/out" || fail "human add shows it unconfirmed"

# List: filters, JSON and the table.
expect_status 0 jz assistance list --json
check "two items" [ "$(jq .total "$TMP/out")" = 2 ]
expect_status 0 jz assistance list --measure 8 --json
check "one of measure 8" [ "$(jq -r '.items | map(.item_code) | join(",")' "$TMP/out")" = "$CODE" ]
expect_status 0 jz assistance list --household "$HH" --unsigned --from 2016-04-01 --to 2016-12-31 --json
check "both unconfirmed and in force in the period" [ "$(jq .total "$TMP/out")" = 2 ]
expect_status 0 jz assistance list --from 2015-01-01 --to 2015-12-31 --json
check "none in force in 2015" [ "$(jq .total "$TMP/out")" = 0 ]
expect_status 0 jz assistance list --unit "${HH:0:9}"
grep -q "$CODE" "$TMP/out" || fail "the table lists the item: $(cat "$TMP/out")"

# Sign: the member becomes a beneficiary of measure 8, a ranger post held.
expect_status 0 jz assistance sign "$CODE" --on 2016-03-05 --by 户主 --json
check "signed, version 2" [ "$(jq -r '"\(.signed_off) \(.version) \(.signed_on)"' "$TMP/out")" = "true 2 2016-03-05" ]
check "measure 8 reached, one beneficiary" \
  [ "$(delivered 8 reached_households)/$(delivered 8 beneficiaries)/$(delivered 8 unsigned_items)" = 1/1/0 ]
check "a ranger post held" [ "$(delivered 8 'others[0].held')" = 1 ]
expect_status 0 "$JZ" report progress --db "$DB" --as-of 2017-06-30
grep -q "生态保护员" "$TMP/out" || fail "progress text shows the rangers"
grep -q "reached" "$TMP/out" || fail "progress text shows reached households"

# Refused: signed twice, a stale version, a read-only deleted item (exit 4, nothing changed).
expect_status 4 jz assistance sign "$CODE" --on 2016-03-06 --by 户主
expect_one_line_error "assistance.already_signed"
expect_status 4 jz assistance delete "$CODE" --reason "entered twice" --version 1
expect_one_line_error "store.conflict"

# Delete with a reason: kept on record, out of the figures.
expect_status 0 jz assistance delete "$CODE" --reason "录入错误 entered twice" --json
check "deleted, version 3, the reason kept" \
  [ "$(jq -r '"\(.deleted) \(.version) \(.delete_reason)"' "$TMP/out")" = "true 3 录入错误 entered twice" ]
check "measure 8 no longer reached" [ "$(delivered 8 reached_households)/$(delivered 8 beneficiaries)" = 0/0 ]
expect_status 0 jz assistance list --measure 8 --json
check "not listed" [ "$(jq .total "$TMP/out")" = 0 ]
expect_status 0 jz assistance list --measure 8 --deleted --json
check "listed with --deleted" [ "$(jq '.items[0].deleted' "$TMP/out")" = true ]
expect_status 4 jz assistance sign "$CODE" --on 2016-03-06 --by 户主
expect_one_line_error "assistance.deleted"

# The change log shows the item added, signed and deleted.
expect_status 0 "$JZ" audit verify --db "$DB" --json
check "audit intact" [ "$(jq .intact "$TMP/out")" = true ]
check "no row mismatches" [ "$(jq .mismatch_count "$TMP/out")" = 0 ]

# Usage and unusable input: exit 2, one line naming the field, nothing written.
expect_status 2 jz assistance add --household "$HH" --measure 8 --category 公益岗位 --kind 岗位 --start 2016-03-01
expect_one_line_error "periodic_amount"
expect_status 2 jz assistance add --household 540425999999999999 --measure 8 --category 34 --kind 1 --start 2016-03-01 --amount 10
expect_one_line_error "household_code"
expect_status 2 jz assistance add --household "$HH" --member "$OTHER_ID" --measure 8 --category 34 --kind 1 --start 2016-03-01 --amount 10
expect_one_line_error "member_ids"
expect_status 2 jz assistance add --household "$HH" --measure 8 --category 不存在 --kind 1 --start 2016-03-01 --amount 10
expect_one_line_error "category"
expect_status 2 jz assistance add --household "$HH" --measure 8 --category 34 --kind 1 --start 2016-03-01 --amount 10.001
expect_one_line_error "amount"
expect_status 2 jz assistance add --household "$HH" --measure 8 --category 34 --kind 1 --start 2016-13-01 --amount 10
expect_one_line_error "start"
expect_status 2 jz assistance add --household "$HH" --measure 8 --category 34 --kind 1 --start 2016-03-01 --amount 10 \
  --signed-on 2016-02-01 --signed-by 户主
expect_one_line_error "signed_on"
expect_status 2 jz assistance delete "$HH-002"
expect_status 2 jz assistance delete "$HH-002" --reason "   "
expect_one_line_error "reason"
expect_status 2 jz assistance sign NO-SUCH-ITEM --on 2016-03-06 --by 户主
expect_one_line_error "item_code"
expect_status 2 jz assistance list --to 2016-01-01 --from 2016-12-31
expect_status 2 jz assistance list --measure 42
expect_status 0 jz assistance list --json
check "nothing more written: one item left" [ "$(jq .total "$TMP/out")" = 1 ]

# reconcile keeps its form.
"$JZ" reconcile --db "$DB" --as-of 2017-06-30 --json >"$TMP/out" 2>"$TMP/err"
check "reconcile's keys" [ "$(jq -c 'keys' "$TMP/out")" = '["as_of","chain_head","findings"]' ]

finish

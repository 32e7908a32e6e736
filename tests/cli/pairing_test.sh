#!/usr/bin/env bash
# Pairing from the command line: cadre list|add, pairing assign|set|end|list, team add|end|days|list,
# visit add|list|overdue, place set — each with --json and the human table, refusals (exit 4) and
# usage errors (exit 2) that change nothing, the assignment shown and applied only with --yes (the
# same input gives the same proposal), a visit recorded once per client id, and the checks reading
# the pairing table. docs/pairing.md.
source "$(dirname "$0")/lib.sh"
DB="$TMP/pairing.db"
jz() { "$JZ" "$@" --db "$DB"; }

for cmd in cadre "cadre list" "cadre add" pairing "pairing assign" "pairing set" "pairing end" "pairing list" \
  team "team add" "team end" "team days" "team list" visit "visit add" "visit list" "visit overdue" place "place set"; do
  # shellcheck disable=SC2086
  expect_status 0 "$JZ" $cmd --help
done

expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"
expect_status 0 "$JZ" generate --plan "$PLAN" --households 30 --seed 15 --out "$TMP/gen.csv"
# The free-text pairing cadre left empty: every pairing here is made by the commands, on known days.
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^\xef\xbb\xbf/, "", h); if (h == "帮扶责任人") c = i } }
  NR > 1 && c { $c = "" } { print }' "$TMP/gen.csv" >"$TMP/reg.csv"
expect_status 0 "$JZ" import --db "$DB" "$TMP/reg.csv"

# Not-exited households (status 0 or 3), and an exited one.
mapfile -t OPEN < <(awk -F, '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) { sub(/^\xef\xbb\xbf/, "", $i); col[$i] = i }; next }
  !seen[$col["户编号"]]++ && ($col["脱贫状态"] ~ /^(0|3|未脱贫|返贫)$/) { print $col["户编号"] }' "$TMP/reg.csv" | sort)
EXITED=$(awk -F, '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) { sub(/^\xef\xbb\xbf/, "", $i); col[$i] = i }; next }
  !seen[$col["户编号"]]++ && ($col["脱贫状态"] ~ /^(1|4|已脱贫)/) { print $col["户编号"]; exit }' "$TMP/reg.csv")
check "some not-exited households" [ "${#OPEN[@]}" -ge 8 ]
check "an exited household" [ -n "$EXITED" ]
H0=${OPEN[0]} H1=${OPEN[1]} H2=${OPEN[2]}
TOWN=${H0:0:9}
VILLAGE=${H0:0:12}

# --- cadres
expect_status 0 jz cadre add --name 县领导 --rank 县级 --unit 县委 --from 2015-01-01 --json
COUNTY=$(jq .id "$TMP/out")
check "a county cadre's quota is 3" [ "$(jq .quota "$TMP/out")" = 3 ]
check "rank named" [ "$(jq -r .rank_name "$TMP/out")" = 县级 ]
expect_status 0 jz cadre add --name 副科干部 --rank 3 --township "$TOWN" --from 2015-01-01 --id-number 540425198001010018 --json
DEPUTY=$(jq .id "$TMP/out")
check "a deputy's quota is 1" [ "$(jq .quota "$TMP/out")" = 1 ]
expect_status 0 jz cadre add --name 科长 --rank 正科 --township "$TOWN" --from 2015-01-01
grep -q "已添加干部 Cadre added" "$TMP/out" || fail "human add: $(head -2 "$TMP/out")"
expect_status 4 jz cadre add --name 重复 --rank 3 --id-number 540425198001010018
expect_one_line_error "id_number"
expect_status 2 jz cadre add --name 错职级 --rank 7
expect_one_line_error "rank"
expect_status 2 jz cadre add --name 外县 --rank 3 --township 540424100
expect_one_line_error "township_code"
expect_status 2 jz cadre add --rank 3  # no name: a usage error
expect_status 0 jz cadre list --json
check "three cadres" [ "$(jq '.cadres | length' "$TMP/out")" = 3 ]
expect_status 0 jz cadre list --rank 副科及以下 --json
check "one deputy" [ "$(jq -r '.cadres | map(.name) | join(",")' "$TMP/out")" = 副科干部 ]
expect_status 2 jz cadre list --rank 县长
expect_status 2 jz cadre list --unit 999999999
expect_status 0 jz cadre list
grep -q "结对/限额 load" "$TMP/out" || fail "human cadre list has the load column"

# --- set, end, list
expect_status 0 jz pairing set "$H0" --cadre "$DEPUTY" --from 2016-03-01 --reason 结对 --json
check "current pairing" [ "$(jq .current "$TMP/out")" = true ]
check "begins on the day" [ "$(jq -r .from "$TMP/out")" = 2016-03-01 ]
expect_status 4 jz pairing set "$H0" --cadre "$DEPUTY" --from 2016-04-01 --reason 再次
expect_one_line_error "pairing.same_cadre"
expect_status 4 jz pairing set "$H1" --cadre "$DEPUTY" --from 2016-03-01 --reason 超额
expect_one_line_error "pairing.over_quota"
expect_status 0 jz pairing set "$H1" --cadre "$DEPUTY" --from 2016-03-01 --reason 超额 --allow-over-quota
expect_status 4 jz pairing set "$EXITED" --cadre "$COUNTY" --from 2016-03-01 --reason 已脱贫
expect_one_line_error "household.exited"
expect_status 2 jz pairing set 540425999999999999 --cadre "$COUNTY" --from 2016-03-01 --reason 无此户
expect_status 2 jz pairing set "$H2" --cadre 999 --from 2016-03-01 --reason 无此人
expect_one_line_error "cadre_id"
expect_status 2 jz pairing set "$H2" --cadre "$COUNTY" --from 2016-13-01 --reason 日期
expect_status 2 jz pairing set "$H2" --cadre "$COUNTY" --from 2016-03-01  # --reason is required
# A change of cadre ends the old pairing the day before.
expect_status 0 jz pairing set "$H1" --cadre "$COUNTY" --from 2016-09-01 --reason 调整 --json
expect_status 0 jz pairing list --household "$H1" --json
check "two pairings, current first" [ "$(jq -r '[.pairings[] | .cadre_name] | join(",")' "$TMP/out")" = 县领导,副科干部 ]
check "the old one ended the day before" [ "$(jq -r '.pairings[1].to' "$TMP/out")" = 2016-08-31 ]
check "with the reason" [ "$(jq -r '.pairings[1].end_reason' "$TMP/out")" = 调整 ]
expect_status 0 jz pairing list --household "$H1"
grep -q "现任 current" "$TMP/out" || fail "human history marks the current pairing"
expect_status 0 jz pairing end "$H1" --on 2016-12-31 --reason 干部调离 --json
check "ended" [ "$(jq -r .to "$TMP/out")" = 2016-12-31 ]
expect_status 2 jz pairing end "$H1" --on 2017-01-31 --reason 再次
expect_one_line_error "no current pairing"
expect_status 2 jz pairing set "$H1" --cadre "$COUNTY" --from 2016-12-15 --reason 重叠
expect_one_line_error "from"
expect_status 0 jz pairing list --current --json
check "one current pairing" [ "$(jq '.pairings | length' "$TMP/out")" = 1 ]
expect_status 0 jz pairing list --cadre "$DEPUTY"
grep -q "$H0" "$TMP/out" || fail "human list by cadre"

# --- the assignment: shown, not applied without --yes (stdin is not a terminal), the same twice
expect_status 0 jz pairing assign --on 2017-01-01 --json </dev/null
cp "$TMP/out" "$TMP/proposal1.json"
check "not applied" [ "$(jq .applied "$TMP/out")" = false ]
check "kept the existing pair" [ "$(jq .kept "$TMP/out")" = 1 ]
# county 3, chief 2 and the deputy (full) 0: five new pairs, the rest uncovered for want of capacity.
check "five pairs" [ "$(jq '.pairs | length' "$TMP/out")" = 5 ]
check "the rest uncovered: no capacity" [ "$(jq -r '[.uncovered[].reason] | unique | join(",")' "$TMP/out")" = no_capacity ]
expect_status 0 jz pairing assign --on 2017-01-01 --json </dev/null
check "the same input gives the same proposal" cmp -s "$TMP/out" "$TMP/proposal1.json"
expect_status 0 jz pairing assign --on 2017-01-01 </dev/null
grep -q "未应用" "$TMP/out" || fail "human proposal says it was not applied"
grep -q "无法覆盖 Cannot be covered" "$TMP/out" || fail "human proposal lists what cannot be covered"
expect_status 0 jz pairing list --current --json
check "still one current pairing" [ "$(jq '.pairings | length' "$TMP/out")" = 1 ]
expect_status 0 jz pairing assign --on 2017-01-01 --yes --json
check "applied" [ "$(jq .applied "$TMP/out")" = true ]
check "five made" [ "$(jq .pairs_made "$TMP/out")" = 5 ]
expect_status 0 jz cadre list --json
check "nobody over quota" [ "$(jq '[.cadres[] | select(.load > .quota)] | length' "$TMP/out")" = 0 ]
expect_status 0 jz pairing assign --on 2017-01-01 --json
check "nothing more to assign" [ "$(jq '.pairs | length' "$TMP/out")" = 0 ]
expect_status 2 jz pairing assign --unit 540425999
P1=$(jq -r '.pairs[0].household_code' "$TMP/proposal1.json")

# --- teams
expect_status 0 jz team add --village "$VILLAGE" --cadre "$COUNTY" --role 第一书记 --from 2017-01-01 --json
SECRETARY=$(jq .id "$TMP/out")
expect_status 4 jz team add --village "$VILLAGE" --cadre "$DEPUTY" --role 1 --from 2017-02-01
expect_one_line_error "team.first_secretary_exists"
expect_status 0 jz team add --village "$VILLAGE" --cadre "$DEPUTY" --from 2017-02-01 --json
MEMBER=$(jq .id "$TMP/out")
check "a member by default" [ "$(jq -r .role_name "$TMP/out")" = 队员 ]
expect_status 2 jz team add --village 540425999999 --cadre "$DEPUTY"
expect_status 2 jz team add --village "$VILLAGE" --cadre "$DEPUTY" --role 厨师
expect_status 0 jz team days "$SECRETARY" --month 2017-05 --days 22
expect_status 0 jz team days "$MEMBER" --month 2017-05 --days 12 --json
check "short month" [ "$(jq .short "$TMP/out")" = true ]
expect_status 2 jz team days "$MEMBER" --month 2017-5 --days 12
expect_status 2 jz team days "$MEMBER" --month 2017-02 --days 29
expect_status 2 jz team days 999 --month 2017-05 --days 1
expect_status 0 jz team list --unit "$TOWN" --on 2017-06-30 --json
check "the first secretary" [ "$(jq -r --arg v "$VILLAGE" '.villages[] | select(.village_code == $v) | .first_secretary.cadre_name' "$TMP/out")" = 县领导 ]
check "one short month" [ "$(jq .counts.short_months "$TMP/out")" = 1 ]
expect_status 0 jz team list --unit "$TOWN" --on 2017-06-30
grep -q "05:12!" "$TMP/out" || fail "human team list flags the short month: $(grep "$VILLAGE" "$TMP/out" | head -2)"
expect_status 0 jz team end "$MEMBER" --on 2017-05-31 --json
check "left" [ "$(jq -r .to "$TMP/out")" = 2017-05-31 ]
expect_status 2 jz team end "$MEMBER" --on 2017-06-30

# --- places and visits
expect_status 0 jz place set "$P1" --lat 28.660000 --lon 97.460000 --accuracy 8 --on 2016-05-01 --json
check "place in microdegrees" [ "$(jq .lat_e6 "$TMP/out")" = 28660000 ]
expect_status 2 jz place set "$P1" --lat 91 --lon 97.46
expect_one_line_error "lat"
expect_status 2 jz place set 540425999999999999 --lat 28.66 --lon 97.46
CADRE=$(jq -r '.pairs[0].cadre_id' "$TMP/proposal1.json")
printf '\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\0\0\0\0' >"$TMP/photo.png"
expect_status 0 jz visit add --household "$P1" --cadre "$CADRE" --date 2017-02-01 --discussed 了解务工 --done 送化肥 \
  --photo "$TMP/photo.png" --lat 28.670000 --lon 97.460000 --accuracy 10 --client-id cli-test-0001 --json
check "inserted" [ "$(jq .inserted "$TMP/out")" = true ]
check "a PNG" [ "$(jq -r .photo_type "$TMP/out")" = image/png ]
check "1.1 km away: flagged, not refused" [ "$(jq .far "$TMP/out")" = true ]
expect_status 0 jz visit add --household "$P1" --cadre "$CADRE" --date 2017-02-01 --discussed 了解务工 --client-id cli-test-0001 --json
check "a retry changes nothing" [ "$(jq .inserted "$TMP/out")" = false ]
expect_status 4 jz visit add --household "$H2" --cadre "$CADRE" --date 2017-02-01 --discussed 别户 --client-id cli-test-0001
expect_one_line_error "visit.client_id_reused"
echo "GIF89a" >"$TMP/photo.gif"
expect_status 2 jz visit add --household "$P1" --cadre "$CADRE" --date 2017-02-02 --discussed 照片 --photo "$TMP/photo.gif"
expect_one_line_error "photo"
expect_status 2 jz visit add --household "$P1" --cadre "$CADRE" --date 2017-02-02 --discussed 位置 --lat 28.6
expect_status 2 jz visit add --household "$P1" --cadre "$CADRE" --date 2017-02-02 --discussed 文件 --photo "$TMP/none.jpg"
expect_status 2 jz visit add --household "$P1" --cadre "$CADRE" --date 2099-01-01 --discussed 未来
expect_one_line_error "date"
# Recorded against an old version of the household: refused until confirmed.
expect_status 4 jz visit add --household "$P1" --cadre "$CADRE" --date 2017-03-01 --discussed 核对 --household-version 1 --client-id cli-test-0002
grep -q "visit.household_changed" "$TMP/err" || fail "the changed household is named: $(cat "$TMP/err")"
grep -q "the household now" "$TMP/err" || fail "the household's state is shown"
expect_status 0 jz visit add --household "$P1" --cadre "$CADRE" --date 2017-03-01 --discussed 核对 --household-version 1 --client-id cli-test-0002 --confirm-changed
grep -q "已记录走访 Visit recorded" "$TMP/out" || fail "human visit add"
expect_status 0 jz visit list --household "$P1" --json
check "two visits to the household" [ "$(jq '.visits | length' "$TMP/out")" = 2 ]
expect_status 0 jz visit list --far --json
check "one far visit" [ "$(jq '.visits | length' "$TMP/out")" = 1 ]
expect_status 0 jz visit list --unit "$TOWN"
grep -q "过远 FAR" "$TMP/out" || fail "human visit list flags the far visit"
expect_status 2 jz visit list --from 2017-03-01 --to 2017-01-01

# --- overdue on a past day: every paired household not visited within 46 days
expect_status 0 jz visit overdue --on 2017-06-30 --json
check "the interval" [ "$(jq .interval_days "$TMP/out")" = 46 ]
check "six paired households" [ "$(jq .paired "$TMP/out")" = 6 ]
check "all overdue on 2017-06-30" [ "$(jq .total "$TMP/out")" = 6 ]
check "counted per township" [ "$(jq '[.by_township[].overdue] | add' "$TMP/out")" = 6 ]
expect_status 0 jz visit overdue --on 2017-03-15 --json
check "visited on 2017-03-01: not overdue on 2017-03-15" \
  [ "$(jq --arg h "$P1" '[.households[] | select(.household_code == $h)] | length' "$TMP/out")" = 0 ]
expect_status 0 jz visit overdue --on 2017-06-30 --limit 2
grep -q "走访逾期 Overdue visits" "$TMP/out" || fail "human overdue"
expect_status 2 jz visit overdue --on yesterday

# --- the checks read the pairing table
jz check --as-of 2017-06-30 --json >"$TMP/out" 2>"$TMP/err"  # 1 when the generated data has errors
MISSING=$(jq '.counts["pairing.missing"]' "$TMP/out")
check "pairing.missing counts the not-exited households without a current pairing" \
  [ "$MISSING" = "$(( ${#OPEN[@]} - 6 ))" ]

finish

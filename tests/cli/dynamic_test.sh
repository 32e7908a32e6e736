#!/usr/bin/env bash
# Dynamic management from the command line (docs/dynamic-management.md): exit candidates, an exit
# procedure to its end, refusals (exit 4) that change nothing, fallback, deregistration, a new
# identification to registration, member changes, incidence, the year's adjustment and its
# approval, the third-party evaluation, and usage errors (exit 2).
source "$(dirname "$0")/lib.sh"
DB="$TMP/dyn.db"
jz() { "$JZ" "$@" --db "$DB"; }

expect_status 0 "$JZ" demo --db "$DB" --plan "$PLAN"

for cmd in exit-candidates incidence "population set" "population list" "procedure list" "procedure show" \
  "procedure open" "procedure step" "procedure fallback" "procedure deregister" "procedure member" \
  "procedure end-buffer" adjustment "evaluation draw" "evaluation show" "evaluation list" "evaluation verdict" \
  "evaluation survey"; do
  # shellcheck disable=SC2086
  expect_status 0 "$JZ" $cmd --help
done

# The registry as export writes it: household code → status (脱贫状态), one line per household.
statuses() {
  "$JZ" export --db "$DB" --format csv --out "$TMP/reg.csv" >/dev/null || fail "export"
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { sub(/^\xef\xbb\xbf/, "", $i); if ($i == "户编号") c = i; if ($i == "脱贫状态") s = i }; next }
           !seen[$c]++ { print $c, $s }' "$TMP/reg.csv"
}
status_of() { statuses | awk -v h="$1" '$1 == h { print $2 }'; }
persons_of() { awk -F, -v h="$1" 'NR > 1 && $0 ~ h { n++ } END { print n + 0 }' "$TMP/reg.csv"; }

# --- Exit candidates: every household that may still exit is listed, as a candidate or not ready.
expect_status 0 jz exit-candidates --year 2017 --json
cp "$TMP/out" "$TMP/ec.json"
listed=$(jq '.total_candidates + .total_not_ready' "$TMP/ec.json")
not_exited=$(statuses | awk '$2 == "未脱贫" || $2 == "返贫" || $2 == "0" || $2 == "3"' | wc -l)
check "exit candidates + not ready ($listed) = households not exited ($not_exited)" [ "$listed" = "$not_exited" ]
check "the lists are as long as the totals" \
  [ "$(jq '(.candidates | length) + (.not_ready | length)' "$TMP/ec.json")" = "$listed" ]
check "township figures add up" \
  [ "$(jq '[.townships[] | .candidates + .not_ready] | add' "$TMP/ec.json")" = "$listed" ]
check "as_of defaults to Dec 31" [ "$(jq -r .as_of "$TMP/ec.json")" = 2017-12-31 ]
check "a not-ready household lacks something" [ "$(jq '.not_ready[0].unmet | length' "$TMP/ec.json")" -gt 0 ]
# The village reports three more households' new income, housing, water and electricity (an
# import of their rows), and they become candidates too.
before=$(jq .total_candidates "$TMP/ec.json")
check "the demo has candidates (about half of 2017's households are on track)" [ "$before" -gt 0 ]
jq -r '[.not_ready[] | select(all(.unmet[].id; . == "income" or . == "housing" or . == "water" or . == "electricity"))][0:3][].household_code' \
  "$TMP/ec.json" >"$TMP/ready.txt"
check "three households to make ready" [ "$(wc -l <"$TMP/ready.txt")" = 3 ]
awk -F, -v OFS=, '{ sub(/\r$/, "") }
  NR == FNR { ready[$1] = 1; next }
  FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
  ready[$1] { $col["年人均纯收入"] = "5000"; $col["是否危房"] = "否"; $col["饮水安全"] = "是"; $col["通生活用电"] = "是";
              $col["住房面积"] = "80"; print }' "$TMP/ready.txt" "$TMP/reg.csv" >"$TMP/ready.csv"
expect_status 0 "$JZ" import --db "$DB" "$TMP/ready.csv" --json
check "three households updated" [ "$(jq .households.updated "$TMP/out")" = 3 ]
expect_status 0 jz exit-candidates --year 2017 --json
cp "$TMP/out" "$TMP/ec.json"
check "three more candidates" [ "$(jq .total_candidates "$TMP/ec.json")" = $((before + 3)) ]
check "still every household that may exit" [ "$(jq '.total_candidates + .total_not_ready' "$TMP/ec.json")" = "$listed" ]
check "a candidate meets everything" [ "$(jq '.candidates[0].unmet | length' "$TMP/ec.json")" = 0 ]
check "unmet conditions have their details" [ "$(jq -r '.not_ready[0].unmet[0].detail_zh | length' "$TMP/ec.json")" -gt 0 ]
C=$(jq -r '.candidates[0].household_code' "$TMP/ec.json")
C2=$(jq -r '.candidates[1].household_code' "$TMP/ec.json")
NR=$(jq -r '.not_ready[0].household_code' "$TMP/ec.json")
expect_status 0 jz exit-candidates --year 2017
grep -q "$C" "$TMP/out" || fail "human exit candidates lack $C"
grep -q "扶贫标准" "$TMP/out" || fail "human exit candidates lack the poverty line"
expect_status 0 jz exit-candidates --year 2017 --division "${C:0:9}" --json
check "--division limits to a township" [ "$(jq '[.townships[].code] | unique' -c "$TMP/out")" = "[\"${C:0:9}\"]" ]

# --- A household that does not meet the standard cannot open an exit.
expect_status 4 jz procedure open exit --household "$NR" --year 2017 --date 2017-07-01
expect_one_line_error "procedure\."

# --- The exit procedure of a candidate, to exited.
expect_status 0 jz procedure open exit --household "$C" --year 2017 --date 2017-07-01 --notes "村民小组提名" --json
ID=$(jq .id "$TMP/out")
check "opened as proposed" [ "$(jq -r .state "$TMP/out")" = proposed ]
check "next is appraise" [ "$(jq -r .next_step.step "$TMP/out")" = appraise ]
expect_status 4 jz procedure open exit --household "$C" --year 2017 --date 2017-07-01
expect_one_line_error "procedure.open_case"
expect_status 0 jz procedure step "$ID" appraise --date 2017-07-02
# Skipping a step (agree before verify) is refused and changes nothing.
jz procedure show "$ID" --json >"$TMP/before.json"
expect_status 4 jz procedure step "$ID" agree --date 2017-07-03
expect_one_line_error "procedure.step"
jz procedure show "$ID" --json >"$TMP/after.json"
check "a skipped step changes nothing" cmp -s "$TMP/before.json" "$TMP/after.json"
expect_status 0 jz procedure step "$ID" verify --date 2017-07-03
expect_status 0 jz procedure step "$ID" agree --date 2017-07-04
expect_status 0 jz procedure step "$ID" notice --date 2017-07-05 --json
check "notice runs 7 days" [ "$(jq -r .notice_until "$TMP/out")" = 2017-07-11 ]
check "announce not before the notice ends" [ "$(jq -r .next_step.not_before "$TMP/out")" = 2017-07-12 ]
# Announcing during the notice is refused, and the case stays as it was.
jz procedure show "$ID" --json >"$TMP/before.json"
expect_status 4 jz procedure step "$ID" announce --date 2017-07-08
expect_one_line_error "procedure.notice_period"
jz procedure show "$ID" --json >"$TMP/after.json"
check "a refused step changes nothing" cmp -s "$TMP/before.json" "$TMP/after.json"
check "still exit candidate status" [ "$(status_of "$C")" != "已脱贫(享受政策)" ]
expect_status 0 jz procedure step "$ID" announce --date 2017-07-12 --json
check "exited" [ "$(jq -r .state "$TMP/out")" = exited ]
check "closed" [ "$(jq .open "$TMP/out")" = false ]
check "six steps" [ "$(jq '.steps | length' "$TMP/out")" = 6 ]
st=$(status_of "$C")
check "the household is exited (status $st)" bash -c "[ '$st' = 1 ] || [ '$st' = '已脱贫(享受政策)' ]"
expect_status 0 jz procedure show "$ID"
grep -q "announce" "$TMP/out" || fail "procedure show lacks its steps"
expect_status 4 jz procedure step "$ID" announce --date 2017-07-13
expect_one_line_error "procedure.closed"

# --- Fallback of the exited household.
expect_status 0 jz procedure fallback --household "$C" --year 2017 --date 2017-08-01 --reason "因病返贫" --json
check "fallback done" [ "$(jq -r .state "$TMP/out")" = "done" ]
st=$(status_of "$C")
check "the household fell back (status $st)" bash -c "[ '$st' = 3 ] || [ '$st' = '返贫' ]"
expect_status 4 jz procedure fallback --household "$C" --year 2017 --date 2017-08-02 --reason "again"

# --- Deregistration; the code is then refused for a new identification.
D=$NR
expect_status 0 jz procedure deregister --household "$D" --year 2017 --date 2017-08-01 --reason moved_away --json
check "deregistration done" [ "$(jq -r .state "$TMP/out")" = "done" ]
check "the household left the registry" [ -z "$(status_of "$D")" ]
expect_status 2 jz procedure deregister --household "$D" --year 2017 --date 2017-08-02 --reason moved_away
expect_status 2 jz procedure deregister --household "$C" --year 2017 --date 2017-08-02 --reason eloped

# ID numbers with their check character (GB 11643): 17 digits → 18.
id18() {
  local d=$1 w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) map=10X98765432 sum=0 i
  for i in $(seq 0 16); do sum=$((sum + ${d:i:1} * w[i])); done
  echo "$d${map:$((sum % 11)):1}"
}
HEAD_ID=$(id18 54042519800101991)    # male (odd sequence)
SPOUSE_ID=$(id18 54042519820305992)  # female
BABY_ID=$(id18 54042520170601994)    # female
VILLAGE=${D:0:12}
household_json() {  # household_json CODE
  cat <<EOF
{"household_code": "$1", "division_code": "$VILLAGE", "attribute": 1, "identification_standard": 1,
 "main_cause": 1, "other_causes": [], "identified_year": 2017, "planned_exit_year": 2019, "status": 0,
 "net_income_per_head": "2100", "aux_measures": [], "pairing_cadre": "王干部", "phone": "",
 "dangerous_housing": false, "safe_water": true, "household_electricity": true, "housing_area": "80",
 "members": [
  {"name": "扎西", "id_number": "$HEAD_ID", "relation": 1, "sex": 1, "birth_date": "1980-01-01",
   "ethnicity": 4, "education": 2, "health": 2, "labour": 2},
  {"name": "卓玛", "id_number": "$SPOUSE_ID", "relation": 2, "sex": 2, "birth_date": "1982-03-05",
   "ethnicity": 4, "education": 2, "health": 1, "labour": 2}]}
EOF
}
household_json "$D" >"$TMP/old.json"
expect_status 4 jz procedure open new_identification --household-file "$TMP/old.json" --year 2017 --date 2017-09-01
expect_one_line_error "household.deregistered"
echo '{"household_code": ' >"$TMP/bad.json"
expect_status 2 jz procedure open new_identification --household-file "$TMP/bad.json" --year 2017 --date 2017-09-01
expect_one_line_error "bad.json"
# A new household's numeric code starts with its village's code (as the API requires).
household_json "5404259999990001" >"$TMP/elsewhere.json"
expect_status 2 jz procedure open new_identification --household-file "$TMP/elsewhere.json" --year 2017 --date 2017-09-01
expect_one_line_error "must start with its village"

# --- A new identification, through both notices, to registered.
N=${VILLAGE}9901
household_json "$N" >"$TMP/new.json"
expect_status 0 jz procedure open new_identification --household-file "$TMP/new.json" --year 2017 --date 2017-09-01 --json
NID=$(jq .id "$TMP/out")
check "applied" [ "$(jq -r .state "$TMP/out")" = applied ]
expect_status 0 jz procedure step "$NID" appraise --date 2017-09-02
expect_status 0 jz procedure step "$NID" verify --date 2017-09-03
expect_status 0 jz procedure step "$NID" notice --date 2017-09-04
expect_status 0 jz procedure step "$NID" review --date 2017-09-11
expect_status 0 jz procedure step "$NID" notice --date 2017-09-12 --json
check "second notice" [ "$(jq -r .state "$TMP/out")" = second_notice ]
# At approval, a member on an external list excludes the household.
printf 'id_number\n%s\n' "$SPOUSE_ID" >"$TMP/payroll.csv"
expect_status 4 jz procedure step "$NID" approve --date 2017-09-19 --against "public_payroll=$TMP/payroll.csv"
expect_one_line_error "procedure\."
expect_status 2 jz procedure step "$NID" approve --date 2017-09-19 --against "payroll=$TMP/payroll.csv"
expect_status 0 jz procedure step "$NID" approve --date 2017-09-19
expect_status 0 jz procedure step "$NID" announce --date 2017-09-20 --json
check "registered" [ "$(jq -r .state "$TMP/out")" = registered ]
st=$(status_of "$N")
check "the new household is registered poor (status $st)" bash -c "[ '$st' = 0 ] || [ '$st' = '未脱贫' ]"
check "with two persons" [ "$(persons_of "$N")" = 2 ]
expect_status 4 jz procedure open new_identification --household-file "$TMP/new.json" --year 2017 --date 2017-09-21
expect_one_line_error "household.exists"

# --- Member changes: a newborn joins, the spouse dies.
cat >"$TMP/baby.json" <<EOF
{"name": "小卓玛", "id_number": "$BABY_ID", "relation": 4, "sex": 2, "birth_date": "2017-06-01", "ethnicity": 4}
EOF
expect_status 0 jz procedure member --household "$N" --year 2017 --date 2017-10-01 --change 新生儿 --person-file "$TMP/baby.json" --json
check "member change done" [ "$(jq -r .state "$TMP/out")" = "done" ]
statuses >/dev/null
check "three persons after the birth" [ "$(persons_of "$N")" = 3 ]
# Already a member: refused by the procedure (procedure.member, as the API's 409), not a usage error.
expect_status 4 jz procedure member --household "$N" --year 2017 --date 2017-10-02 --change 新生儿 --person-file "$TMP/baby.json"
expect_one_line_error "procedure.member"
expect_status 0 jz procedure member --household "$N" --year 2017 --date 2017-10-02 --change 死亡 --id-number "$SPOUSE_ID" --json
statuses >/dev/null
check "two persons after the death" [ "$(persons_of "$N")" = 2 ]
expect_status 4 jz procedure member --household "$N" --year 2017 --date 2017-10-03 --change 死亡 --id-number "$HEAD_ID"
expect_status 2 jz procedure member --household "$N" --year 2017 --date 2017-10-03 --change 升天 --id-number "$HEAD_ID"
expect_status 0 jz procedure list --household "$N" --json
check "the household's timeline: 3 cases" [ "$(jq .total "$TMP/out")" = 3 ]
expect_status 0 jz procedure list --year 2017
check "human list: one line per case" [ "$(grep -c '^#' "$TMP/out")" = 6 ]

# --- Population and incidence.
# No population yet: whether the county meets the threshold is unknown, not "does not meet".
expect_status 0 jz incidence --year 2017 --json
check "no population: meets_threshold null" [ "$(jq -c '.county | [.incidence, .meets_threshold]' "$TMP/out")" = '[null,null]' ]
expect_status 0 jz incidence --year 2017
sed -n 2p "$TMP/out" | grep -q "无法判断 unknown" || fail "human incidence calls an unknown county anything but unknown"
expect_status 0 jz population set 540425 20000 --year 2017
expect_status 0 jz population list --json
check "population listed" [ "$(jq -c '[.items[] | [.code, .year, .rural_population]]' "$TMP/out")" = '[["540425",2017,20000]]' ]
expect_status 2 jz population set 999999 100 --year 2017
expect_status 0 jz incidence --year 2017 --json
check "incidence = poor / population" \
  [ "$(jq '(.county.incidence - .county.poor_persons / 20000) | fabs < 1e-12' "$TMP/out")" = true ]
check "county population as set" [ "$(jq .county.population "$TMP/out")" = 20000 ]
expect_status 0 jz incidence --year 2017
grep -q "未设置" "$TMP/out" || fail "human incidence does not say which populations are not set"

# --- The year's adjustment: counts, refused while a case is open, approved after.
expect_status 0 jz procedure open exit --household "$C2" --year 2017 --date 2017-11-01 --json
OPEN_ID=$(jq .id "$TMP/out")
expect_status 0 jz adjustment --year 2017 --json
check "adjustment counts" [ "$(jq -c '.total | [.exits, .new_identifications, .new_persons, .fallbacks, .deregistrations, .members_in, .members_out, .open_cases]' "$TMP/out")" = '[1,1,2,1,1,1,1,1]' ]
check "not approved yet" [ "$(jq .approval "$TMP/out")" = null ]
expect_status 4 jz adjustment --year 2017 --approve --date 2017-12-20
expect_one_line_error "procedure.open_cases"
expect_status 2 jz adjustment --year 2017 --approve
expect_status 0 jz procedure step "$OPEN_ID" appraise --date 2017-11-02 --outcome rejected --json
check "rejected" [ "$(jq -r .state "$TMP/out")" = rejected ]
expect_status 0 jz adjustment --year 2017 --approve --date 2017-12-20 --notes "县扶贫开发领导小组审定" --json
check "approved" [ "$(jq -r .approval.approved_on "$TMP/out")" = 2017-12-20 ]
check "no open cases" [ "$(jq .total.open_cases "$TMP/out")" = 0 ]
expect_status 4 jz adjustment --year 2017 --approve --date 2017-12-21
expect_status 0 jz adjustment --year 2017
grep -q "已审定" "$TMP/out" || fail "human adjustment does not say it is approved"

# --- Third-party evaluation: a seed draws the same sample; verdicts and the survey change the rates.
expect_status 0 jz evaluation draw --year 2017 --size 10 --seed 42 --json
E1=$(jq .id "$TMP/out")
jq -c '[.items[].household_code]' "$TMP/out" >"$TMP/s1"
check "ten sampled" [ "$(jq '.items | length' "$TMP/out")" = 10 ]
check "nothing judged yet" [ "$(jq .rates.judged "$TMP/out")" = 0 ]
expect_status 0 jz evaluation draw --year 2017 --size 10 --seed 42 --json
jq -c '[.items[].household_code]' "$TMP/out" >"$TMP/s2"
check "same seed, same sample" cmp -s "$TMP/s1" "$TMP/s2"
H1=$(jq -r '.[0]' "$TMP/s1")
H2=$(jq -r '.[1]' "$TMP/s1")
expect_status 0 jz evaluation verdict "$E1" "$H1" wrongful --notes "收入未达标" --json
check "one wrongful of one judged" [ "$(jq -c '.rates | [.judged, .wrongful, .wrongful_exit_rate]' "$TMP/out")" = '[1,1,1]' ]
expect_status 0 jz evaluation verdict "$E1" "$H2" correct --json
check "wrongful rate halves" [ "$(jq .rates.wrongful_exit_rate "$TMP/out")" = 0.5 ]
expect_status 0 jz evaluation survey "$E1" --non-poor-surveyed 100 --missed-found 1 --approval-surveyed 50 --approval-satisfied 48 --json
check "missed and approval rates" [ "$(jq -c '.rates | [.missed_rate, .approval_rate]' "$TMP/out")" = '[0.01,0.96]' ]
check "vetoes listed" [ "$(jq '.rates.vetoes | length' "$TMP/out")" -ge 1 ]
expect_status 2 jz evaluation survey "$E1" --missed-found 200
expect_status 2 jz evaluation verdict "$E1" "$H1" maybe
expect_status 2 jz evaluation verdict "$E1" 0000000000000000 correct
expect_status 2 jz evaluation show 999
expect_status 0 jz evaluation show "$E1"
grep -q "错退率" "$TMP/out" || fail "human evaluation lacks its rates"
expect_status 0 jz evaluation list --json
check "two evaluations" [ "$(jq '.items | length' "$TMP/out")" = 2 ]

# --- Buffer end: nothing is due in 2017 (the plan's buffer is 3 years); in 2019 every household
# still 已脱贫(享受政策) since 2016 leaves it, and becomes 已脱贫(不再享受政策).
expect_status 0 jz procedure end-buffer --year 2017 --date 2017-12-31 --json
check "nothing due in 2017" [ "$(jq '.count' "$TMP/out")" = 0 ]
due=$(statuses | awk '$2 == "已脱贫(享受政策)" || $2 == "已脱贫" || $2 == "1"' | wc -l)
exited_2016=$("$JZ" export --db "$DB" --format csv --out "$TMP/b.csv" >/dev/null && \
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { sub(/^\xef\xbb\xbf/, "", $i); if ($i == "户编号") c = i; if ($i == "脱贫状态") s = i; if ($i == "脱贫年度") y = i }; next }
           !seen[$c]++ && ($s == "已脱贫(享受政策)" || $s == "已脱贫") && $y <= 2016 { n++ } END { print n + 0 }' "$TMP/b.csv")
check "some households exited in 2016 are still covered" [ "$exited_2016" -gt 0 ]
expect_status 0 jz procedure end-buffer --year 2019 --date 2019-12-31 --json
check "end-buffer answers a count" [ "$(jq '.count == (.cases | length)' "$TMP/out")" = true ]
check "2019 ends the buffer of every 2016 exit ($exited_2016)" [ "$(jq '.count' "$TMP/out")" = "$exited_2016" ]
after=$(statuses | awk '$2 == "已脱贫(享受政策)" || $2 == "已脱贫" || $2 == "1"' | wc -l)
check "they are no longer covered ($due → $after)" [ "$after" = $((due - exited_2016)) ]
expect_status 0 jz procedure end-buffer --year 2019 --date 2019-12-31 --json
check "a second run finds none" [ "$(jq '.count' "$TMP/out")" = 0 ]

# --- Usage errors: exit 2, one line.
expect_status 2 jz procedure open bogus --household "$C" --year 2017 --date 2017-07-01
expect_one_line_error "bogus"
expect_status 2 jz procedure list --kind bogus
expect_one_line_error "bogus"
expect_status 2 jz exit-candidates
expect_status 2 jz procedure open exit --household "$C2" --year 2017 --date 2017-13-01
expect_one_line_error "date"
expect_status 2 jz procedure step "$ID" announce --date yesterday
expect_one_line_error "date"
expect_status 2 jz procedure show 99999
expect_one_line_error "99999"
expect_status 2 jz procedure open exit --household 5404259999999999 --year 2017 --date 2017-07-01
expect_status 2 jz exit-candidates --year 2017 --division 999
expect_one_line_error "999"

# A joining person who names no relation joins as 之子 (3), as through the API.
cat >"$TMP/son.json" <<EOF
{"name": "小扎西", "id_number": "$(id18 54042520180301995)", "sex": 1, "birth_date": "2018-03-01", "ethnicity": 4}
EOF
expect_status 0 jz procedure member --household "$N" --year 2018 --date 2018-04-01 --change 新生儿 --person-file "$TMP/son.json" --json
check "the son joined" [ "$(jq -r .state "$TMP/out")" = "done" ]

expect_status 0 "$JZ" audit verify --db "$DB"
finish

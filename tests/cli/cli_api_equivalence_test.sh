#!/usr/bin/env bash
# The CLI and the HTTP API do the same thing: one demo database is copied twice; every operation
# that both interfaces offer is done through the CLI on copy A and through the API (jingzhun
# serve, logged in as the demo's county admin) on copy B, and after each operation the two
# databases must hold the same households, persons, cases, population settings, adjustment
# approvals, evaluations, accounts, imports and change-log contents.
#
# What may differ, and is left out of the comparison (the lists below say it column by column):
# when a change was made, who made it (the CLI's --actor against the logged-in user), hashes,
# and what only a server writes (sessions, and the log-ins in the change log).
#
# An operation whose results really differ between the CLI and the API is named in
# KNOWN_DIFFERENCES: the test reports it as a known difference instead of failing, and copies A
# over B before going on. Remove an operation from that list once the two agree.
source "$(dirname "$0")/lib.sh"

# Operations known to answer differently through the CLI and the API; none today (a joining
# person without a relation, once refused by the CLI only, is now accepted by both as 之子 through
# service::AcceptJoiningMember).
KNOWN_DIFFERENCES=()

# Columns left out of each compared table (everything else is compared, in a fixed order).
#   household:            updated_at (when)
#   person:               — (every column)
#   procedure_case:       updated_at (when); body_json without the keys in JSON_WHEN_WHO
#   population:           — (every column)
#   adjustment_approval:  approved_by (who), approved_at (when); summary_json without JSON_WHEN_WHO
#   evaluation:           body_json without JSON_WHEN_WHO
#   account:              id, password_hash (salted), created_at (when), failed_logins and
#                         locked_until (log-ins only happen through the server); in the change
#                         log its password_digest (a digest of the salted hash)
#   import:               started_at (when), actor (who); summary_json without JSON_WHEN_WHO
#   change_log:           seq (the server also logs log-ins), at (when), actor (who), hash (chains
#                         the when and who); rows of the session entity and of the actions login,
#                         login_failed, lock and logout; before/after JSON without JSON_WHEN_WHO
#   session, setting, plan, org_unit, org_unit_name: not compared (sessions are the server's;
#                         the rest is not changed by any operation here)
# Keys dropped from JSON bodies at any depth: when and who, and a household event's log_seq (a
# position in the change log, which the server's log-ins move).
JSON_WHEN_WHO='["at", "updated_at", "recorded_at", "drawn_at", "drawn_by", "actor", "approved_at", "approved_by", "created_at", "password_hash", "failed_logins", "locked_until", "started_at", "password_digest", "recorded_by", "log_seq"]'

A="$TMP/a.db"
B="$TMP/b.db"
ACTOR=admin
PASSWORD=jingzhun-demo  # the demo's logins
expect_status 0 "$JZ" demo --db "$A" --plan "$PLAN"
expect_status 0 "$JZ" backup --db "$A" --out "$B"
BASE_SEQ=$(sqlite3 "$A" 'SELECT max(seq) FROM change_log')

# --- The server on copy B.
server=
start_server() {
  "$JZ" serve --db "$B" --listen 127.0.0.1:0 --threads 2 >"$TMP/serve.out" 2>&1 &
  server=$!
  for _ in $(seq 600); do
    grep -q listening "$TMP/serve.out" && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  local port
  port=$(sed -n '1s/.*127.0.0.1:\([0-9]*\)\/.*/\1/p' "$TMP/serve.out")
  [ -n "$port" ] || { fail "serve did not start: $(cat "$TMP/serve.out")"; finish; }
  base="http://127.0.0.1:$port"
  rm -f "$TMP/jar"
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -c "$TMP/jar" -X POST "$base/api/login" \
    -H 'Content-Type: application/json' -d "{\"username\":\"$ACTOR\",\"password\":\"$PASSWORD\"}")
  [ "$code" = 200 ] || { fail "login as $ACTOR answered $code"; finish; }
}
stop_server() {
  [ -n "$server" ] || return 0
  kill -TERM "$server" 2>/dev/null
  wait "$server" 2>/dev/null
  server=
}
trap 'stop_server; rm -rf "$TMP"' EXIT
start_server

# --- The two interfaces.
# cli ARGS...: the CLI on copy A, acting as the same user; stdout in $TMP/out.
cli() {
  "$JZ" "$@" --db "$A" --actor "$ACTOR" --json >"$TMP/out" 2>"$TMP/err"
  cli_status=$?
}
# api METHOD PATH [JSON | @FILE CONTENT-TYPE]: the API on copy B; the answer in $TMP/out.
api() {
  local method=$1 path=$2
  shift 2
  local args=(-s -o "$TMP/out" -w '%{http_code}' -b "$TMP/jar" -X "$method" "$base$path")
  if [ $# -eq 1 ]; then
    args+=(-H 'Content-Type: application/json' --data-binary "$1")
  elif [ $# -eq 2 ]; then
    args+=(-H "Content-Type: $2" --data-binary "$1")
  fi
  api_status=$(curl "${args[@]}")
}
# Each step of an operation: the CLI must exit 0 and the API answer 2xx, else the step is named.
# A failed step of a known difference is reported, not failed.
step_fail() {
  if known "$op"; then echo "KNOWN DIFFERENCE: $*" >&2; else fail "$*"; fi
}
both_ok() {  # both_ok WHAT
  if [ "$cli_status" != 0 ]; then
    step_fail "$op: CLI $1 exited $cli_status: $(head -c 300 "$TMP/err")"
  fi
}
api_ok() {  # api_ok WHAT
  case "$api_status" in
    2??) ;;
    *)
      step_fail "$op: API $1 answered $api_status: $(head -c 300 "$TMP/out")"
      ;;
  esac
}

# --- The comparison.
# dump DB: the compared contents, one line per row, in a fixed order.
dump() {
  local db=$1
  sqlite3 -separator '|' "$db" "
    SELECT 'household', id, county_code, household_code, division_code, attribute, identification_standard,
           main_cause, other_causes, identified_year, planned_exit_year, status, exit_year, net_income_per_head,
           main_measure, aux_measures, pairing_cadre, phone, dangerous_housing, safe_water,
           household_electricity, housing_area, version, persons, students, ill, migrant_workers,
           able_birth_dates, out_of_school_birth_dates
      FROM household ORDER BY id;
    SELECT 'person', h.household_code, p.* FROM person p JOIN household h ON h.id = p.household_id
      ORDER BY p.household_id, p.ordinal;
    SELECT 'population', * FROM population ORDER BY code, year;
    SELECT 'account', username, role, scope, disabled FROM account ORDER BY username;
    SELECT 'cadre', id, version, name, id_number, unit, rank, phone, township_code, division_code, active_from,
           active_to FROM cadre ORDER BY id;
    SELECT 'pairing', id, household_code, division_code, cadre_id, from_date, to_date, reason, end_reason
      FROM pairing ORDER BY id;
    SELECT 'team_member', id, village_code, cadre_id, role, from_date, to_date FROM team_member ORDER BY id;
    SELECT 'on_post', member_id, year, month, days FROM on_post ORDER BY member_id, year, month;
    SELECT 'visit', id, client_id, household_code, division_code, cadre_id, visit_date, discussed, done, lat_e6,
           lon_e6, accuracy_m, photo, photo_bytes, distance_m, far FROM visit ORDER BY id;
    SELECT 'place', household_code, division_code, lat_e6, lon_e6, accuracy_m, recorded_on, source
      FROM household_place ORDER BY household_code;"
  # Rows with JSON bodies: a JSON array per row, its JSON columns parsed, then the when and who
  # dropped by jq.
  sqlite3 "$db" "
    SELECT json_array('case', id, kind, household_code, division_code, year, state, open, version,
                      json(body_json)) FROM procedure_case ORDER BY id;
    SELECT json_array('approval', year, county_code, approved_on, notes,
                      CASE WHEN summary_json = '' THEN NULL ELSE json(summary_json) END)
      FROM adjustment_approval ORDER BY year, county_code;
    SELECT json_array('evaluation', id, year, division_code, version, json(body_json)) FROM evaluation ORDER BY id;
    SELECT json_array('import', id, file_name, json(summary_json)) FROM import ORDER BY id;
    SELECT json_array('change', county_code, entity, entity_key, action, json(before_json), json(after_json),
                      import_id)
      FROM change_log
     WHERE seq > $BASE_SEQ AND entity <> 'session' AND action NOT IN ('login', 'login_failed', 'lock', 'logout')
     ORDER BY seq;" |
    jq -c --argjson drop "$JSON_WHEN_WHO" \
      'walk(if type == "object" then with_entries(select(.key as $k | $drop | index($k) | not)) else . end)'
}

known() {  # known OP: is OP in KNOWN_DIFFERENCES?
  local k
  for k in "${KNOWN_DIFFERENCES[@]}"; do [ "$k" = "$1" ] && return 0; done
  return 1
}

# compare OP: the two copies must hold the same after OP.
compare() {
  dump "$A" >"$TMP/a.txt"
  dump "$B" >"$TMP/b.txt"
  if diff "$TMP/a.txt" "$TMP/b.txt" >"$TMP/diff.txt"; then
    if known "$1"; then
      fail "$1 is listed in KNOWN_DIFFERENCES but the CLI and the API now agree: remove it from the list"
    fi
    return
  fi
  if known "$1"; then
    echo "KNOWN DIFFERENCE: $1: the CLI (<, copy A) and the API (>, copy B) differ:" >&2
  else
    fail "$1: the CLI (<, copy A) and the API (>, copy B) left different databases:"
  fi
  head -40 "$TMP/diff.txt" | cut -c1-400 >&2
  # Go on from the same state: copy A over B.
  stop_server
  rm -f "$B" "$B-wal" "$B-shm"
  "$JZ" backup --db "$A" --out "$B" >/dev/null || fail "backup of A to B"
  start_server
}

# --- The operations, each done on both copies and then compared.

# The registry as export writes it, from copy A.
"$JZ" export --db "$A" --format csv --out "$TMP/reg.csv" >/dev/null || fail "export"
"$JZ" exit-candidates --db "$A" --year 2017 --json >"$TMP/ec.json" || fail "exit-candidates"
# Two candidates for exit, a not-ready household to make ready (an edit by import), another to
# deregister.
C=$(jq -r '.candidates[0].household_code' "$TMP/ec.json")
C2=$(jq -r '.candidates[1].household_code' "$TMP/ec.json")
jq -r '[.not_ready[] | select(all(.unmet[].id; . == "income" or . == "housing" or . == "water" or . == "electricity"))][0:2][].household_code' \
  "$TMP/ec.json" >"$TMP/ready.txt"
READY=$(head -1 "$TMP/ready.txt")
D=$(jq -r --arg r "$READY" '[.not_ready[] | select(.household_code != $r)][0].household_code' "$TMP/ec.json")
VILLAGE=${D:0:12}
N=${VILLAGE}9901
# A household to pair (not exited, in no other operation).
P=$(jq -r --arg r "$READY" --arg d "$D" '[.not_ready[] | select(.household_code != $r and .household_code != $d)][5].household_code' "$TMP/ec.json")
check "the demo has candidates and households to make ready" test -n "$C" -a -n "$C2" -a -n "$READY" -a -n "$D" -a -n "$P"

op_household_edit() {  # households made ready for exit by a re-imported file
  awk -F, -v OFS=, '{ sub(/\r$/, "") }
    NR == FNR { ready[$1] = 1; next }
    FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
    ready[$1] { $col["年人均纯收入"] = "5000"; $col["是否危房"] = "否"; $col["饮水安全"] = "是"; $col["通生活用电"] = "是";
                $col["住房面积"] = "80"; $col["联系电话"] = "13900000000"; print }' "$TMP/ready.txt" "$TMP/reg.csv" >"$TMP/ready.csv"
  # From the folder of the file, so that the import records the same file name as the upload's.
  cd "$TMP" || return
  cli import ready.csv
  cd - >/dev/null || return
  both_ok "import"
  api POST "/api/imports?filename=ready.csv" "@$TMP/ready.csv" text/csv
  api_ok "import"
}

# steps_both ID_A ID_B STEP DATE [OUTCOME]
steps_both() {
  local ida=$1 idb=$2 step=$3 date=$4 outcome=${5-}
  if [ -n "$outcome" ]; then
    cli procedure step "$ida" "$step" --date "$date" --outcome "$outcome"
    api POST "/api/procedures/$idb/steps" "{\"step\":\"$step\",\"date\":\"$date\",\"outcome\":\"$outcome\"}"
  else
    cli procedure step "$ida" "$step" --date "$date"
    api POST "/api/procedures/$idb/steps" "{\"step\":\"$step\",\"date\":\"$date\"}"
  fi
  both_ok "step $step"
  api_ok "step $step"
}

op_exit_procedure() {  # an exit, from the proposal to the announcement
  cli procedure open exit --household "$C" --year 2017 --date 2017-07-01 --notes "村民小组提名"
  both_ok "open exit"
  local ida idb
  ida=$(jq .id "$TMP/out")
  api POST /api/procedures "{\"kind\":\"exit\",\"household_code\":\"$C\",\"year\":2017,\"date\":\"2017-07-01\",\"notes\":\"村民小组提名\"}"
  api_ok "open exit"
  idb=$(jq .id "$TMP/out")
  steps_both "$ida" "$idb" appraise 2017-07-02
  steps_both "$ida" "$idb" verify 2017-07-03
  steps_both "$ida" "$idb" agree 2017-07-04
  steps_both "$ida" "$idb" notice 2017-07-05
  steps_both "$ida" "$idb" announce 2017-07-12
}

op_fallback() {
  cli procedure fallback --household "$C" --year 2017 --date 2017-08-01 --reason "因病返贫"
  both_ok "fallback"
  api POST /api/procedures "{\"kind\":\"fallback\",\"household_code\":\"$C\",\"year\":2017,\"date\":\"2017-08-01\",\"reason\":\"因病返贫\"}"
  api_ok "fallback"
}

op_deregistration() {
  cli procedure deregister --household "$D" --year 2017 --date 2017-08-01 --reason moved_away --notes "迁往林芝"
  both_ok "deregister"
  api POST /api/procedures "{\"kind\":\"deregistration\",\"household_code\":\"$D\",\"year\":2017,\"date\":\"2017-08-01\",\"reason\":\"moved_away\",\"notes\":\"迁往林芝\"}"
  api_ok "deregister"
}

# ID numbers with their check character (GB 11643): 17 digits → 18.
id18() {
  local d=$1 w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) map=10X98765432 sum=0 i
  for i in $(seq 0 16); do sum=$((sum + ${d:i:1} * w[i])); done
  echo "$d${map:$((sum % 11)):1}"
}
HEAD_ID=$(id18 54042519800101991)
SPOUSE_ID=$(id18 54042519820305992)
BABY_ID=$(id18 54042520170601994)
SON_ID=$(id18 54042520170901995)
cat >"$TMP/new.json" <<EOF
{"household_code": "$N", "division_code": "$VILLAGE", "attribute": 1, "identification_standard": 1,
 "main_cause": 1, "other_causes": [], "identified_year": 2017, "planned_exit_year": 2019, "status": 0,
 "net_income_per_head": "2100", "aux_measures": [], "pairing_cadre": "王干部", "phone": "",
 "dangerous_housing": false, "safe_water": true, "household_electricity": true, "housing_area": "80",
 "members": [
  {"name": "扎西", "id_number": "$HEAD_ID", "relation": 1, "sex": 1, "birth_date": "1980-01-01",
   "ethnicity": 4, "education": 2, "health": 2, "labour": 2},
  {"name": "卓玛", "id_number": "$SPOUSE_ID", "relation": 2, "sex": 2, "birth_date": "1982-03-05",
   "ethnicity": 4, "education": 2, "health": 1, "labour": 2}]}
EOF

op_new_identification() {  # a new household, through both notices, to registered
  cli procedure open new_identification --household-file "$TMP/new.json" --year 2017 --date 2017-09-01
  both_ok "open new_identification"
  local ida idb
  ida=$(jq .id "$TMP/out")
  api POST /api/procedures "{\"kind\":\"new_identification\",\"year\":2017,\"date\":\"2017-09-01\",\"household\":$(cat "$TMP/new.json")}"
  api_ok "open new_identification"
  idb=$(jq .id "$TMP/out")
  steps_both "$ida" "$idb" appraise 2017-09-02
  steps_both "$ida" "$idb" verify 2017-09-03
  steps_both "$ida" "$idb" notice 2017-09-04
  steps_both "$ida" "$idb" review 2017-09-11
  steps_both "$ida" "$idb" notice 2017-09-12
  steps_both "$ida" "$idb" approve 2017-09-19
  steps_both "$ida" "$idb" announce 2017-09-20
}

op_member_joins() {  # a newborn joins, its relation given
  cat >"$TMP/baby.json" <<EOF
{"name": "小卓玛", "id_number": "$BABY_ID", "relation": 4, "sex": 2, "birth_date": "2017-06-01", "ethnicity": 4}
EOF
  cli procedure member --household "$N" --year 2017 --date 2017-10-01 --change 新生儿 --person-file "$TMP/baby.json" --notes "出生登记"
  both_ok "member joins"
  api POST /api/procedures "{\"kind\":\"member_change\",\"household_code\":\"$N\",\"year\":2017,\"date\":\"2017-10-01\",\"member_change\":\"新生儿\",\"notes\":\"出生登记\",\"person\":$(cat "$TMP/baby.json")}"
  api_ok "member joins"
}

op_member_joins_without_relation() {  # a newborn joins, its relation left out
  cat >"$TMP/son.json" <<EOF
{"name": "小扎西", "id_number": "$SON_ID", "sex": 1, "birth_date": "2017-09-01", "ethnicity": 4}
EOF
  cli procedure member --household "$N" --year 2017 --date 2017-10-01 --change 新生儿 --person-file "$TMP/son.json"
  both_ok "member joins"
  api POST /api/procedures "{\"kind\":\"member_change\",\"household_code\":\"$N\",\"year\":2017,\"date\":\"2017-10-01\",\"member_change\":\"新生儿\",\"person\":$(cat "$TMP/son.json")}"
  api_ok "member joins"
}

op_member_leaves() {  # the spouse dies
  cli procedure member --household "$N" --year 2017 --date 2017-10-02 --change 死亡 --id-number "$SPOUSE_ID"
  both_ok "member leaves"
  api POST /api/procedures "{\"kind\":\"member_change\",\"household_code\":\"$N\",\"year\":2017,\"date\":\"2017-10-02\",\"member_change\":\"死亡\",\"id_number\":\"$SPOUSE_ID\"}"
  api_ok "member leaves"
}

op_population() {
  cli population set 540425 20000 --year 2017
  both_ok "population set"
  api PUT /api/org-units/540425/population '{"year":2017,"rural_population":20000}'
  api_ok "population set"
  cli population set "${C:0:9}" 3000 --year 2017
  both_ok "population set"
  api PUT "/api/org-units/${C:0:9}/population" '{"year":2017,"rural_population":3000}'
  api_ok "population set"
}

op_rejected_exit() {  # an exit rejected at its appraisal
  cli procedure open exit --household "$C2" --year 2017 --date 2017-11-01
  both_ok "open exit"
  local ida idb
  ida=$(jq .id "$TMP/out")
  api POST /api/procedures "{\"kind\":\"exit\",\"household_code\":\"$C2\",\"year\":2017,\"date\":\"2017-11-01\"}"
  api_ok "open exit"
  idb=$(jq .id "$TMP/out")
  steps_both "$ida" "$idb" appraise 2017-11-02 rejected
}

op_adjustment_approval() {
  cli adjustment --year 2017 --approve --date 2017-12-20 --notes "县扶贫开发领导小组审定"
  both_ok "adjustment approve"
  api POST /api/adjustments/2017/approve '{"date":"2017-12-20","notes":"县扶贫开发领导小组审定"}'
  api_ok "adjustment approve"
}

op_evaluation() {  # a sample drawn, two verdicts, the survey figures
  cli evaluation draw --year 2017 --size 10 --seed 42
  both_ok "evaluation draw"
  local ea eb h1 h2
  ea=$(jq .id "$TMP/out")
  h1=$(jq -r '.items[0].household_code' "$TMP/out")
  h2=$(jq -r '.items[1].household_code' "$TMP/out")
  api POST /api/evaluations '{"year":2017,"size":10,"seed":42}'
  api_ok "evaluation draw"
  eb=$(jq .id "$TMP/out")
  cli evaluation verdict "$ea" "$h1" wrongful --notes "收入未达标"
  both_ok "verdict"
  api PUT "/api/evaluations/$eb/items/$h1" '{"verdict":"wrongful","notes":"收入未达标"}'
  api_ok "verdict"
  cli evaluation verdict "$ea" "$h2" correct
  both_ok "verdict"
  api PUT "/api/evaluations/$eb/items/$h2" '{"verdict":"correct"}'
  api_ok "verdict"
  cli evaluation survey "$ea" --non-poor-surveyed 100 --missed-found 1 --approval-surveyed 50 --approval-satisfied 48
  both_ok "survey"
  api PATCH "/api/evaluations/$eb" '{"non_poor_surveyed":100,"missed_found":1,"approval_surveyed":50,"approval_satisfied":48}'
  api_ok "survey"
}

op_buffer_end() {  # households exited in 2016 leave their buffer period in 2019
  cli procedure end-buffer --year 2019 --date 2019-12-31
  both_ok "end-buffer"
  api POST /api/procedures '{"kind":"buffer_end","year":2019,"date":"2019-12-31"}'
  api_ok "end-buffer"
}

op_accounts() {  # an account added, then disabled
  echo "a-long-password" | "$JZ" user add --db "$A" --actor "$ACTOR" --username zhang --role officer \
    --scope "${C:0:9}" >"$TMP/out" 2>"$TMP/err"
  cli_status=$?
  both_ok "user add"
  api POST /api/users "{\"username\":\"zhang\",\"password\":\"a-long-password\",\"role\":\"officer\",\"scope\":\"${C:0:9}\"}"
  api_ok "user add"
  cli user disable zhang
  both_ok "user disable"
  api PATCH /api/users/zhang '{"disabled":true}'
  api_ok "user disable"
}

op_pairing() {  # a household's place, a new cadre paired with it, on its village's team, a visit, the pairing ended
  cli place set "$P" --lat 28.661 --lon 97.46 --accuracy 10 --on 2018-03-01 --source survey
  both_ok "place set"
  api PUT "/api/households/$P/place" '{"lat":"28.661","lon":"97.46","accuracy":10,"recorded_on":"2018-03-01","source":"survey"}'
  api_ok "place set"
  cli cadre add --name 对比测试干部 --unit 县农牧局 --rank 3 --phone 13900000001 --township "${P:0:9}" --from 2015-01-01
  both_ok "cadre add"
  local cadre
  cadre=$(jq '.id // .cadre.id' "$TMP/out")
  api POST /api/cadres "{\"name\":\"对比测试干部\",\"unit\":\"县农牧局\",\"rank\":3,\"phone\":\"13900000001\",\"township_code\":\"${P:0:9}\",\"active_from\":\"2015-01-01\"}"
  api_ok "cadre add"
  cli pairing set "$P" --cadre "$cadre" --from 2018-03-01 --reason 干部调整 --allow-over-quota
  both_ok "pairing set"
  api PUT "/api/households/$P/pairing" "{\"cadre_id\":$cadre,\"from\":\"2018-03-01\",\"reason\":\"干部调整\",\"allow_over_quota\":true}"
  api_ok "pairing set"
  cli team add --village "${P:0:12}" --cadre "$cadre" --role 3 --from 2018-03-01
  both_ok "team add"
  local member
  member=$(jq '.id // .member.id' "$TMP/out")
  api POST /api/teams/members "{\"village_code\":\"${P:0:12}\",\"cadre_id\":$cadre,\"role\":3,\"from\":\"2018-03-01\"}"
  api_ok "team add"
  cli team days "$member" --month 2018-03 --days 22
  both_ok "team days"
  api PUT "/api/teams/members/$member/on-post/2018-03" '{"days":22}'
  api_ok "team days"
  cli visit add --household "$P" --cadre "$cadre" --date 2018-04-02 --discussed 了解种植收入 --done 协调技术员 \
    --lat 28.6615 --lon 97.4605 --accuracy 15 --client-id equivalence-visit-1
  both_ok "visit add"
  api POST /api/visits "{\"client_id\":\"equivalence-visit-1\",\"household_code\":\"$P\",\"cadre_id\":$cadre,\"date\":\"2018-04-02\",\"discussed\":\"了解种植收入\",\"done\":\"协调技术员\",\"place\":{\"lat\":\"28.6615\",\"lon\":\"97.4605\",\"accuracy\":15}}"
  api_ok "visit add"
  cli pairing end "$P" --on 2018-06-30 --reason 干部调离
  both_ok "pairing end"
  api POST "/api/households/$P/pairing/end" '{"to":"2018-06-30","reason":"干部调离"}'
  api_ok "pairing end"
}

OPERATIONS=(household_edit exit_procedure fallback deregistration new_identification member_joins
  member_joins_without_relation member_leaves population rejected_exit adjustment_approval evaluation
  buffer_end accounts pairing)
for op in "${OPERATIONS[@]}"; do
  "op_$op"
  compare "$op"
done

# The comparison sees what it should: a change on one copy only is a difference.
sqlite3 "$A" "UPDATE household SET phone = '1' WHERE household_code = '$C'"
dump "$A" >"$TMP/a.txt"
dump "$B" >"$TMP/b.txt"
diff -q "$TMP/a.txt" "$TMP/b.txt" >/dev/null && fail "the comparison does not see a changed phone number"
check "the comparison covers cases" test "$(grep -c '^\["case"' "$TMP/b.txt")" -ge 4
check "the comparison covers evaluations" test "$(grep -c '^\["evaluation"' "$TMP/b.txt")" = 1
check "the comparison covers pairings and visits" test "$(grep -c '^visit|' "$TMP/b.txt")" -ge 1
check "the comparison covers the change log" test "$(grep -c '^\["change"' "$TMP/b.txt")" -ge 20

stop_server
finish

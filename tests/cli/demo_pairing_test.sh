#!/usr/bin/env bash
# The demo county's pairing (issue 15, src/generator/README.md "Pairing"): cadres by rank, every
# not-exited household with one current cadre named as its pairing_cadre text, nobody over quota,
# a first secretary per village, visits, the audit intact, a few pairing findings (not thousands),
# and `generate --pairing` files whose cadres import cleanly.
source "$(dirname "$0")/lib.sh"
DB="$TMP/demo.db"
expect_status 0 "$JZ" demo --db "$DB"
grep -q "结对帮扶 Pairing:" "$TMP/out" || fail "demo does not report its pairing: $(head -3 "$TMP/out")"
q() { sqlite3 "$DB" "$1"; }
check "cadres of every rank" [ "$(q "SELECT count(DISTINCT rank) FROM cadre")" = 4 ]
check "no household without a current cadre" \
  [ "$(q "SELECT count(*) FROM household h WHERE NOT EXISTS (SELECT 1 FROM pairing p WHERE p.household_code = h.household_code AND p.to_date IS NULL)")" = 0 ]
check "one current cadre each" [ "$(q "SELECT count(*) FROM pairing WHERE to_date IS NULL")" = 1431 ]
check "the current cadre is the household's pairing_cadre" \
  [ "$(q "SELECT count(*) FROM household h JOIN pairing p ON p.household_code = h.household_code AND p.to_date IS NULL JOIN cadre c ON c.id = p.cadre_id WHERE c.name <> h.pairing_cadre")" = 0 ]
check "nobody over quota (3/2/1, unknown rank 1)" \
  [ "$(q "SELECT count(*) FROM (SELECT c.id, c.rank, count(*) n FROM pairing p JOIN cadre c ON c.id = p.cadre_id WHERE p.to_date IS NULL GROUP BY c.id) WHERE n > CASE rank WHEN 1 THEN 3 WHEN 2 THEN 2 ELSE 1 END")" = 0 ]
check "a first secretary per village" \
  [ "$(q "SELECT count(DISTINCT village_code) FROM team_member WHERE role = 1 AND to_date IS NULL")" = "$(q "SELECT count(DISTINCT division_code) FROM household")" ]
check "visits" [ "$(q "SELECT count(*) FROM visit")" -gt 10000 ]
check "a place per household" [ "$(q "SELECT count(*) FROM household_place")" = 1431 ]
expect_status 0 "$JZ" audit verify --db "$DB"

# The data-quality rules find a few pairing problems, not thousands.
"$JZ" check --db "$DB" --as-of 2017-06-30 --json >"$TMP/check.json" 2>"$TMP/err"
n=$(jq '[.counts | to_entries[] | select(.key | test("^(pairing|team|visit)\\.")) | .value] | add // 0' "$TMP/check.json")
check "a few pairing findings ($n)" [ "$n" -lt 100 ]

# The cadres' export imports back unchanged.
expect_status 0 "$JZ" cadre export --db "$DB" "$TMP/cadres.csv" --json
rows=$(jq .rows "$TMP/out")
expect_status 0 "$JZ" cadre import --db "$DB" "$TMP/cadres.csv" --json
check "demo cadres re-import unchanged" [ "$(jq .rows.unchanged "$TMP/out")" = "$rows" ]

# generate --pairing: the files, and the cadres file imports into a new database.
expect_status 0 "$JZ" generate --plan "$PLAN" --seed 2016 --out "$TMP/g.csv" --pairing --json
cp "$TMP/out" "$TMP/g.json"
for f in cadres pairings teams on-post places visits; do
  check "generate wrote $f" [ -s "$TMP/g-$f.csv" ]
done
expect_status 0 "$JZ" init --db "$TMP/new.db" --plan "$PLAN"
expect_status 0 "$JZ" cadre import --db "$TMP/new.db" "$TMP/g-cadres.csv" --json
check "generated cadres import" [ "$(jq .rows.inserted "$TMP/out")" = "$(jq .cadres "$TMP/g.json")" ]
finish

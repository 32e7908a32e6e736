#!/usr/bin/env bash
# The upgrade path: serve (and any other command) on a database from an older version (schema v3: no
# migration 004 column, no migration 005 ledger, no migration 006 pairing tables) backs it up as it is, migrates it, says so, and
# serves its data; a database newer than the program is refused (exit 2, nothing changed, no restart
# loop).
source "$(dirname "$0")/lib.sh"
DB="$TMP/state/jingzhun.db"
mkdir -p "$TMP/state"
# A registry and an account, as an older version had them (no ledger: v3 had none; no cadres nor
# pairings: only the free-text pairing_cadre names).
expect_status 0 "$JZ" generate --households 300 --seed 5 --out "$TMP/reg.csv"
expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"
printf 'jingzhun-demo\n' >"$TMP/pw"
expect_status 0 "$JZ" user add --db "$DB" --username admin --role admin --scope 540425 --password-file "$TMP/pw"
"$JZ" import --db "$DB" "$TMP/reg.csv" --errors "$TMP/reg.errors.csv" >/dev/null
latest=$(sqlite3 "$DB" "PRAGMA user_version")
check "a current database (v6 or later)" [ "$latest" -ge 6 ]
households=$(sqlite3 "$DB" "SELECT count(*) FROM household")
persons=$(sqlite3 "$DB" "SELECT count(*) FROM person")
named=$(sqlite3 "$DB" "SELECT count(*) FROM household WHERE trim(pairing_cadre) <> ''")
names=$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT DISTINCT trim(pairing_cadre), substr(division_code, 1, 9)
                        FROM household WHERE trim(pairing_cadre) <> '')")
check "registry loaded" [ "$households" -gt 200 ]
check "households with a pairing cadre's name" [ "$named" -gt 100 ]
# Today's import turned the names into cadres and pairings: its last entries, which v5 never wrote.
# They go, and the chain's head is then the import's last household.
sqlite3 "$DB" "DELETE FROM change_log WHERE entity IN ('cadre', 'pairing')" || fail "the pairing entries"
"$JZ" audit head --db "$DB" >"$TMP/head-before"

# Back to v3: migration 010 added the household events, 009 the shares' tables, 008 the project library's tables, 007 the funds ledger's tables, 006 the pairing tables, 005 the
# ledger's tables (all empty here), 004 the column person.ethnicity_name (every later migration has
# to be undone too, or this test needs a v3 fixture).
funds=""
[ "$latest" -ge 7 ] && funds="DROP TABLE fund_balance; DROP TABLE fund_entry; DROP TABLE payee; DROP TABLE fund_project;
                            DROP TABLE allocation; DROP TABLE fund_source;"
# Migration 008: the project library's tables and the refused postings.
[ "$latest" -ge 8 ] && funds="DROP TABLE project_step; DROP TABLE project_beneficiary; DROP TABLE project_source;
                            DROP TABLE project; DROP TABLE fund_refusal; $funds"
# Migration 009: the asset-income shares' tables.
[ "$latest" -ge 9 ] && funds="DROP TABLE asset_disposal; DROP TABLE dividend_line; DROP TABLE dividend;
                            DROP TABLE share_certificate; DROP TABLE share_move; DROP TABLE share_holding;
                            DROP TABLE asset; $funds"
# Migration 010: the household events; 011: the issued (frozen) periodic reports.
[ "$latest" -ge 10 ] && funds="DROP TABLE household_event; $funds"
[ "$latest" -ge 11 ] && funds="DROP TABLE issued_reports; $funds"
if [ "$latest" -ge 6 ] && [ "$latest" -le 11 ]; then
  sqlite3 "$DB" "$funds DROP TABLE visit_photo; DROP TABLE visit_summary; DROP TABLE visit; DROP TABLE on_post;
                 DROP TABLE team_member; DROP TABLE pairing; DROP TABLE cadre; DROP TABLE household_place;
                 DROP TABLE assistance_item; DROP TABLE income; DROP TABLE coverage;
                 ALTER TABLE person DROP COLUMN ethnicity_name; PRAGMA user_version=3;" || fail "downgrade to v3"
else
  fail "the schema is v$latest: update this test's downgrade"
fi
check "v3 now" [ "$(sqlite3 "$DB" "PRAGMA user_version")" = 3 ]

printf 'database = "%s"\nbackup_dir = "%s"\nlisten = "127.0.0.1:0"\n' "$DB" "$TMP/state/backups" >"$TMP/j.toml"
if start_server "$TMP/serve.log" "$JZ" serve --config "$TMP/j.toml"; then
  backup="$TMP/state/backups/jingzhun-before-v$latest.db"
  check "backup taken: $backup" [ -s "$backup" ]
  grep -q "backed up to $backup" "$TMP/serve.log" || fail "the backup is not logged: $(cat "$TMP/serve.log")"
  grep -q "migrated the database from v3 to v$latest" "$TMP/serve.log" || fail "the migration is not logged: $(cat "$TMP/serve.log")"
  grep -q "已迁移数据库" "$TMP/serve.log" || fail "no Chinese log line"
  check "the backup is the old file (v3)" [ "$(sqlite3 "$backup" "PRAGMA user_version")" = 3 ]
  check "the backup has every household" [ "$(sqlite3 "$backup" "SELECT count(*) FROM household")" = "$households" ]
  check "the backup is sound" [ "$(sqlite3 "$backup" "PRAGMA integrity_check")" = ok ]
  check "the database is migrated" [ "$(sqlite3 "$DB" "PRAGMA user_version")" = "$latest" ]
  check "households intact" [ "$(sqlite3 "$DB" "SELECT count(*) FROM household")" = "$households" ]
  check "persons intact" [ "$(sqlite3 "$DB" "SELECT count(*) FROM person")" = "$persons" ]
  check "the migrated column" [ "$(sqlite3 "$DB" "SELECT count(*) FROM person WHERE ethnicity_name = ''")" = "$persons" ]
  # Migration 006: every name a cadre of rank unknown (one per name and township, or the county's
  # only one of the name), every named household a current pairing from the day of the upgrade.
  cadres=$(sqlite3 "$DB" "SELECT count(*) FROM cadre WHERE rank = 9 AND id_number = ''")
  check "cadres of rank unknown from the names ($cadres of at most $names)" [ "$cadres" -gt 0 -a "$cadres" -le "$names" ]
  check "no other cadres" [ "$(sqlite3 "$DB" "SELECT count(*) FROM cadre")" = "$cadres" ]
  check "a current pairing per named household" \
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM pairing WHERE to_date IS NULL")" = "$named" ]
  check "each with its name" [ "$(sqlite3 "$DB" "SELECT count(*) FROM pairing p JOIN cadre c ON c.id = p.cadre_id
      JOIN household h ON h.household_code = p.household_code WHERE trim(h.pairing_cadre) <> c.name")" = 0 ]
  check "the migration's reason" [ "$(sqlite3 "$DB" "SELECT DISTINCT reason FROM pairing")" = \
    "migrated from the free-text pairing cadre / 由原帮扶责任人文本迁移" ]
  check "logged by the migration" [ "$(sqlite3 "$DB" "SELECT count(*) FROM change_log WHERE actor = 'system:migration-006'")" = \
    "$((cadres + named))" ]
  base="http://127.0.0.1:$server_port"
  check "login after the upgrade" [ "$(login "$base" admin jingzhun-demo "$TMP/jar")" = 200 ]
  check "households served" [ "$(curl -s -b "$TMP/jar" "$base/api/households?page_size=1" | jq .total)" = "$households" ]
  stop_server
fi
# The audit of the migrated database: the chain and the rows as before the upgrade.
expect_status 0 "$JZ" audit verify --db "$DB"
# (the logins since added entries: the head from before must still be in the chain)
expect_status 0 "$JZ" audit verify --db "$DB" --head "$(cat "$TMP/head-before")"
# Started again: nothing more to do, no second backup, nothing logged.
if start_server "$TMP/serve2.log" "$JZ" serve --config "$TMP/j.toml"; then
  check "one backup only" [ "$(ls "$TMP/state/backups" | wc -l)" = 1 ]
  grep -q "migrated" "$TMP/serve2.log" && fail "migrated twice: $(cat "$TMP/serve2.log")"
  stop_server
fi
# Rollback: the backup is what the older program opens; restore puts it back (migrating a copy).
expect_status 0 "$JZ" restore "$TMP/state/backups/jingzhun-before-v$latest.db" --db "$TMP/rolled.db"
check "restored households" [ "$(sqlite3 "$TMP/rolled.db" "SELECT count(*) FROM household")" = "$households" ]

# Any other command on an older database takes the same backup first (beside it, in backups/).
cp "$TMP/state/backups/jingzhun-before-v$latest.db" "$TMP/old.db"
expect_status 0 "$JZ" report progress --db "$TMP/old.db" --json
check "report: the backup beside the database (v3)" \
  [ "$(sqlite3 "$TMP/backups/old-before-v$latest.db" "PRAGMA user_version" 2>/dev/null)" = 3 ]
check "report: the database migrated" [ "$(sqlite3 "$TMP/old.db" "PRAGMA user_version")" = "$latest" ]

# A database newer than the program: refused, untouched, no backup.
sqlite3 "$DB" "PRAGMA user_version=$((latest + 1))"
before=$(sha256sum "$DB" | cut -d' ' -f1)
expect_status 2 "$JZ" serve --config "$TMP/j.toml"
expect_one_line_error "newer than this program"
grep -q "比本程序" "$TMP/err" || fail "no Chinese: $(cat "$TMP/err")"
check "newer database untouched" [ "$(sha256sum "$DB" | cut -d' ' -f1)" = "$before" ]
check "no backup of a newer database" [ "$(ls "$TMP/state/backups" | wc -l)" = 1 ]
finish

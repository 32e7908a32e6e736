#!/usr/bin/env bash
# jingzhun backup and restore: a checked copy, also while `jingzhun serve` handles writes; restore
# checks the backup first, refuses a database in use or (without --force) an existing one, and keeps
# the replaced file as .bak.
source "$(dirname "$0")/lib.sh"
DB="$TMP/live.db"
expect_status 0 "$JZ" generate --households 300 --seed 5 --out "$TMP/reg.csv"
expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"
"$JZ" import --db "$DB" "$TMP/reg.csv" --errors "$TMP/reg.errors.csv" >/dev/null
n=$(sqlite3 "$DB" "SELECT count(*) FROM household")
check "registry loaded" [ "$n" -gt 200 ]
for cmd in backup restore; do expect_status 0 "$JZ" $cmd --help; done

# A backup: checked, renamed into place, nothing left behind.
expect_status 0 "$JZ" backup --db "$DB" --out "$TMP/b1.db" --json
check "backup intact" [ "$(jq .audit.intact "$TMP/out")" = true ]
check "backup rows" [ "$(jq .audit.rows "$TMP/out")" -gt "$n" ]
check "backup file" [ -s "$TMP/b1.db" ]
check "no temporary files" [ -z "$(ls "$TMP" | grep -e '\.tmp-' -e 'b1.db-')" ]
check "same households" [ "$(sqlite3 "$TMP/b1.db" "SELECT count(*) FROM household")" = "$n" ]
expect_status 0 "$JZ" audit verify --db "$TMP/b1.db"
expect_status 0 "$JZ" backup --db "$DB" --out "$TMP/b1.db"  # over an older backup
grep -q "Backed up" "$TMP/out" || fail "human output: $(cat "$TMP/out")"
expect_status 2 "$JZ" backup --db "$TMP/none.db" --out "$TMP/x.db"
expect_one_line_error "db"
expect_status 2 "$JZ" backup --db "$DB" --out "$DB"
expect_one_line_error "out"
expect_status 2 "$JZ" backup --db "$DB"

# Restore into a new place, then over an existing database (refused without --force; .bak kept).
expect_status 0 "$JZ" restore "$TMP/b1.db" --db "$TMP/new.db" --json
check "restored" [ "$(jq .restored "$TMP/out")" = true ]
check "households" [ "$(jq .households "$TMP/out")" = "$n" ]
expect_status 0 "$JZ" audit verify --db "$TMP/new.db"
cp "$DB" "$TMP/old.db"
sqlite3 "$TMP/old.db" "SELECT 1" >/dev/null
expect_status 2 "$JZ" restore "$TMP/b1.db" --db "$TMP/old.db"
expect_one_line_error "force"
expect_status 0 "$JZ" restore "$TMP/b1.db" --db "$TMP/old.db" --force
check "old kept as .bak" [ -s "$TMP/old.db.bak" ]
grep -q "old.db.bak" "$TMP/out" || fail "restore does not say where the old file went"
expect_status 2 "$JZ" restore "$TMP/none.db" --db "$TMP/new2.db"
expect_one_line_error "backup"

# A tampered backup is refused and replaces nothing.
cp "$TMP/b1.db" "$TMP/bad.db"
sqlite3 "$TMP/bad.db" "UPDATE household SET net_income_per_head = 1 WHERE id = 1"
before=$(sha256sum "$TMP/new.db" | cut -d' ' -f1)
expect_status 1 "$JZ" restore "$TMP/bad.db" --db "$TMP/new.db" --force --json
check "tampered backup not restored" [ "$(jq .restored "$TMP/out")" = false ]
check "tampered backup: the mismatch is named" [ "$(jq -r '.audit.mismatches[0].fields[0]' "$TMP/out")" = net_income_per_head ]
check "target unchanged" [ "$(sha256sum "$TMP/new.db" | cut -d' ' -f1)" = "$before" ]
# A damaged file is refused too.
cp "$TMP/b1.db" "$TMP/broken.db"
size=$(stat -c %s "$TMP/broken.db")
dd if=/dev/urandom of="$TMP/broken.db" bs=4096 seek=$((size / 4096 / 2)) count=4 conv=notrunc status=none
"$JZ" restore "$TMP/broken.db" --db "$TMP/new.db" --force >"$TMP/out" 2>"$TMP/err"
check "damaged backup refused" [ $? != 0 ]
check "target unchanged after a damaged backup" [ "$(sha256sum "$TMP/new.db" | cut -d' ' -f1)" = "$before" ]

# While the server handles writes: the backup is consistent; restore refuses the database in use.
printf 'backup-password-1\n' >"$TMP/pw"
expect_status 0 "$JZ" user add --db "$DB" --username bk --role admin --scope 540425 --password-file "$TMP/pw"
mkdir -p "$TMP/web"
"$JZ" serve --db "$DB" --listen 127.0.0.1:0 --web "$TMP/web" >"$TMP/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 1200); do grep -q listening "$TMP/serve.log" && break; sleep 0.05; done
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\)\/.*/\1/p' "$TMP/serve.log" | head -1)
base="http://127.0.0.1:$port"
cookie=$(curl -s -D - -o /dev/null -X POST -H 'Content-Type: application/json' -H "Origin: $base" \
  "$base/api/login" -d '{"username":"bk","password":"backup-password-1"}' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p')
check "logged in" [ -n "$cookie" ]
sqlite3 "$DB" "SELECT household_code FROM household ORDER BY household_code LIMIT 60" >"$TMP/codes"
(
  i=0
  while read -r code; do
    i=$((i + 1))
    curl -s -b "$cookie" "$base/api/households/$code" | jq --arg v "$((90000 + i)).37" '.net_income_per_head = $v' >"$TMP/put.json"
    curl -s -o /dev/null -w '%{http_code}\n' -X PUT -b "$cookie" -H 'If-Match: *' -H 'Content-Type: application/json' \
      -H "Origin: $base" --data-binary @"$TMP/put.json" "$base/api/households/$code" >>"$TMP/statuses"
  done <"$TMP/codes"
) &
writer=$!
sleep 0.3
expect_status 0 "$JZ" backup --db "$DB" --out "$TMP/during.db" --json
check "backup during writes intact" [ "$(jq .audit.intact "$TMP/out")" = true ]
expect_status 2 "$JZ" restore "$TMP/b1.db" --db "$DB" --force
expect_one_line_error "open in another process"
wait $writer
check "the writes went through" [ "$(grep -c '^200$' "$TMP/statuses")" = 60 ]
expect_status 0 "$JZ" audit verify --db "$TMP/during.db"
# The API's reports carry the chain's head too.
for route in reports/progress reconcile check; do
  curl -s -b "$cookie" "$base/api/$route?as_of=2017-06-30" >"$TMP/report.json"
  "$JZ" audit head --db "$DB" >"$TMP/head"
  check "$route chain_head" [ "$(jq -r '"\(.chain_head.seq):\(.chain_head.hash)"' "$TMP/report.json")" = "$(cat "$TMP/head")" ]
done
expect_status 0 "$JZ" backup --db "$DB" --out "$TMP/after.db"
kill $server
wait $server
check "server stopped cleanly" [ $? = 0 ]
check "the backup after the writes has them" \
  [ "$(sqlite3 "$TMP/after.db" "SELECT count(*) FROM household WHERE net_income_per_head >= 9000000 AND net_income_per_head % 100 = 37")" = 60 ]
expect_status 0 "$JZ" audit verify --db "$DB"
# Restored over the stopped server's database: the writes after b1 are gone, the old file kept.
expect_status 0 "$JZ" restore "$TMP/b1.db" --db "$DB" --force
check "restored to b1" [ "$(sqlite3 "$DB" "SELECT count(*) FROM household WHERE net_income_per_head >= 9000000 AND net_income_per_head % 100 = 37")" = 0 ]
check "the kept file has the writes" \
  [ "$(sqlite3 "$DB.bak" "SELECT count(*) FROM household WHERE net_income_per_head >= 9000000 AND net_income_per_head % 100 = 37")" = 60 ]
expect_status 0 "$JZ" audit verify --db "$DB"
finish

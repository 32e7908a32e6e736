#!/usr/bin/env bash
# jingzhun assistance import|export and income import|export (issue 14, docs/import-format.md): exit
# statuses 0 (all accepted), 3 (some rows rejected, the rest imported), 2 (file or arguments
# unusable, nothing changed); the error file's columns; re-importing changes nothing; exports in
# CSV, GB18030 and .xlsx come back unchanged.
source "$(dirname "$0")/lib.sh"
DB="$TMP/ledger.db"
A="$SRC/tests/fixtures/assistance-import"
I="$SRC/tests/fixtures/income-import"
expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"
expect_status 0 "$JZ" import --db "$DB" "$A/registry.csv" --errors "$TMP/reg.errors.csv"
for cmd in "assistance import" "assistance export" "income import" "income export"; do
  expect_status 0 "$JZ" $cmd --help
done

# All accepted: 0, no error file.
expect_status 0 "$JZ" assistance import --db "$DB" "$A/ok_chinese/input.csv" --errors "$TMP/a.errors.csv" --json
check "items inserted" [ "$(jq .rows.inserted "$TMP/out")" = 4 ]
check "layout named" [ "$(jq -r .layout "$TMP/out")" = assistance ]
check "no error file" [ ! -e "$TMP/a.errors.csv" ]
check "errors_file null" [ "$(jq .errors_file "$TMP/out")" = null ]
n=$(sqlite3 "$DB" "SELECT count(*) FROM change_log")

# The same file again: 0, everything unchanged, nothing logged.
expect_status 0 "$JZ" assistance import --db "$DB" "$A/ok_chinese/input.csv" --json
check "re-import unchanged" [ "$(jq .rows.unchanged "$TMP/out")" = 4 ]
check "re-import not logged" [ "$(sqlite3 "$DB" "SELECT count(*) FROM change_log")" = "$n" ]
grep -q "unchanged" <("$JZ" assistance import --db "$DB" "$A/ok_chinese/input.csv") || fail "human output"

# Some rows rejected: 3, the error file with the input's columns plus row, field and reason.
expect_status 3 "$JZ" assistance import --db "$DB" "$A/reject_reasons/input.csv" --errors "$TMP/r.errors.csv" --json
check "rejected counted" [ "$(jq .rows.rejected "$TMP/out")" = 13 ]
check "the good row updates the same item (natural key)" [ "$(jq .rows.updated "$TMP/out")" = 1 ]
check "error file written" [ -s "$TMP/r.errors.csv" ]
header=$(head -1 "$TMP/r.errors.csv" | sed 's/^\xEF\xBB\xBF//' | tr -d '\r')
check "error file header" [ "$header" = "帮扶项目编号,户编号,受益成员身份证号,帮扶措施,帮扶类别,帮扶方式,开始日期,结束日期,金额(元),周期金额(元),发放周期,项目或资金编号,备注,签收日期,签收人,行号,错误字段,错误原因" ]
check "error file rows" [ "$(wc -l <"$TMP/r.errors.csv")" = 14 ]
grep -q '^,Z999,.*,2,户编号,户编号Z999未登记 / household Z999 is not registered' "$TMP/r.errors.csv" ||
  fail "error file row 2: $(sed -n 2p "$TMP/r.errors.csv")"
grep -q ',7,金额(元),' "$TMP/r.errors.csv" || fail "error file names the amount column"

# Unusable: 2 and nothing changed (missing file, missing column, bad arguments).
n=$(sqlite3 "$DB" "SELECT count(*) FROM assistance_item" 2>/dev/null || echo x)
expect_status 2 "$JZ" assistance import --db "$DB" "$TMP/none.csv"
expect_one_line_error "none.csv"
expect_status 2 "$JZ" assistance import --db "$DB" "$A/missing_required_column/input.csv"
expect_one_line_error "measure"
expect_status 2 "$JZ" assistance export --db "$DB" "$TMP/x.csv" --format pdf
expect_status 2 "$JZ" assistance export --db "$DB" "$TMP/x.csv" --measure 99
expect_status 2 "$JZ" assistance export --db "$DB" "$TMP/x.csv" --unit 999
expect_status 2 "$JZ" assistance export --db "$DB" "$TMP/x.csv" --from 2017-13-01
check "nothing written" [ "$(sqlite3 "$DB" "SELECT count(*) FROM assistance_item" 2>/dev/null || echo x)" = "$n" ]

# Income: 0, 3, re-import unchanged.
expect_status 0 "$JZ" income import --db "$DB" "$I/ok_chinese/input.csv" --json
check "income inserted" [ "$(jq .rows.inserted "$TMP/out")" = 3 ]
expect_status 0 "$JZ" income import --db "$DB" "$I/ok_chinese/input.csv" --json
check "income unchanged" [ "$(jq .rows.unchanged "$TMP/out")" = 3 ]
expect_status 3 "$JZ" income import --db "$DB" "$I/reject_reasons/input.csv" --errors "$TMP/i.errors.csv" --json
check "income rejected" [ "$(jq .rows.rejected "$TMP/out")" = 8 ]
grep -q ',2,人均纯收入(元),' "$TMP/i.errors.csv" || fail "income error names 人均纯收入: $(sed -n 2p "$TMP/i.errors.csv")"
expect_status 2 "$JZ" income import --db "$DB" "$I/missing_required_column/input.csv"

# Exports in every format, re-imported: nothing changes.
items=$(sqlite3 "$DB" "SELECT count(*) FROM assistance_item" 2>/dev/null || echo 6)
for fmt in csv gb18030 xlsx; do
  ext=csv
  [ "$fmt" = xlsx ] && ext=xlsx
  expect_status 0 "$JZ" assistance export --db "$DB" "$TMP/items-$fmt.$ext" --format "$fmt" --json
  check "$fmt export rows" [ "$(jq .rows "$TMP/out")" = "$items" ]
  expect_status 0 "$JZ" assistance import --db "$DB" "$TMP/items-$fmt.$ext" --json
  check "$fmt items unchanged" [ "$(jq .rows.unchanged "$TMP/out")" = "$items" ]
  expect_status 0 "$JZ" income export --db "$DB" "$TMP/income-$fmt.$ext" --format "$fmt" --json
  check "$fmt income rows" [ "$(jq .rows "$TMP/out")" = 4 ]
  expect_status 0 "$JZ" income import --db "$DB" "$TMP/income-$fmt.$ext" --json
  check "$fmt income unchanged" [ "$(jq .rows.unchanged "$TMP/out")" = 4 ]
done
check "gb18030 export is not UTF-8" [ "$(head -c 3 "$TMP/items-gb18030.csv" | od -An -tx1 | tr -d ' ')" != efbbbf ]
expect_status 0 "$JZ" assistance export --db "$DB" "$TMP/m8.csv" --measure 生态补偿扶贫 --json
check "measure filter" [ "$(jq .rows "$TMP/out")" = 1 ]
expect_status 0 "$JZ" assistance export --db "$DB" "$TMP/p.csv" --from 2016-01-01 --to 2016-04-30 --json
check "period filter (only 低保 had started)" [ "$(jq .rows "$TMP/out")" = 1 ]
expect_status 0 "$JZ" income export --db "$DB" "$TMP/y.csv" --year 2016 --unit 540425100 --json
check "year filter" [ "$(jq .rows "$TMP/out")" = 2 ]
expect_status 0 "$JZ" audit verify --db "$DB"
finish

#!/usr/bin/env bash
# jingzhun cadre import|export (issue 15, docs/import-format.md "The cadres layout"): exit statuses
# 0 (all accepted), 3 (some rows rejected, the rest imported), 2 (file or arguments unusable,
# nothing changed); the error file's columns; re-importing changes nothing; exports in CSV,
# GB18030 and .xlsx come back unchanged; filters by unit and rank.
source "$(dirname "$0")/lib.sh"
DB="$TMP/cadres.db"
F="$SRC/tests/fixtures/cadre-import"
expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"
for cmd in "cadre import" "cadre export"; do
  expect_status 0 "$JZ" $cmd --help
done

# All accepted: 0, no error file.
expect_status 0 "$JZ" cadre import --db "$DB" "$F/new_cadres/input.csv" --errors "$TMP/a.errors.csv" --json
check "cadres inserted" [ "$(jq .rows.inserted "$TMP/out")" = 4 ]
check "layout named" [ "$(jq -r .layout "$TMP/out")" = cadre ]
check "no error file" [ ! -e "$TMP/a.errors.csv" ]
n=$(sqlite3 "$DB" "SELECT count(*) FROM change_log WHERE entity = 'cadre'")
check "one change-log entry per cadre" [ "$n" = 4 ]

# The same file again: 0, unchanged, nothing logged.
expect_status 0 "$JZ" cadre import --db "$DB" "$F/new_cadres/input.csv" --json
check "re-import unchanged" [ "$(jq .rows.unchanged "$TMP/out")" = 4 ]
check "re-import not logged" [ "$(sqlite3 "$DB" "SELECT count(*) FROM change_log WHERE entity = 'cadre'")" = "$n" ]
grep -q "unchanged 4" <("$JZ" cadre import --db "$DB" "$F/new_cadres/input.csv") || fail "human output"

# English headers and English rank names.
expect_status 0 "$JZ" cadre import --db "$DB" "$F/english_headers/input.csv" --json
check "english inserted" [ "$(jq .rows.inserted "$TMP/out")" = 3 ]

# Some rows rejected: 3, the error file with the input's columns plus row, field and reason.
expect_status 3 "$JZ" cadre import --db "$DB" "$F/bad_rows/input.csv" --errors "$TMP/r.errors.csv" --json
check "rejected counted" [ "$(jq .rows.rejected "$TMP/out")" = 7 ]
check "error file written" [ -s "$TMP/r.errors.csv" ]
header=$(head -1 "$TMP/r.errors.csv" | sed 's/^\xEF\xBB\xBF//' | tr -d '\r')
check "error file header" [ "$header" = "干部编号,姓名,身份证号,工作单位,职级,联系电话,工作乡镇,任职起,任职止,行号,错误字段,错误原因" ]
check "error file rows" [ "$(wc -l <"$TMP/r.errors.csv")" = 8 ]
grep -q ',3,职级,"职级""处级""不在代码表' "$TMP/r.errors.csv" || fail "error file names the rank: $(sed -n 3p "$TMP/r.errors.csv")"
check "nothing of the rejected rows stored" [ "$(sqlite3 "$DB" "SELECT count(*) FROM cadre")" = 7 ]

# Unusable: 2, one line, nothing changed.
before=$(sqlite3 "$DB" "SELECT count(*) FROM change_log")
expect_status 2 "$JZ" cadre import --db "$DB" "$F/missing_name/input.csv"
expect_one_line_error "import.missing_columns\|姓名"
expect_status 2 "$JZ" cadre import --db "$DB" "$TMP/nope.csv"
expect_status 2 "$JZ" cadre export --db "$DB" "$TMP/x.csv" --format pdf
expect_status 2 "$JZ" cadre export --db "$DB" "$TMP/x.csv" --rank 处级
expect_status 2 "$JZ" cadre export --db "$DB" "$TMP/x.csv" --unit 999999
check "nothing logged by unusable input" [ "$(sqlite3 "$DB" "SELECT count(*) FROM change_log")" = "$before" ]

# Exports in every format come back unchanged.
for fmt in csv csv-nobom gb18030 xlsx; do
  ext=csv
  [ "$fmt" = xlsx ] && ext=xlsx
  expect_status 0 "$JZ" cadre export --db "$DB" "$TMP/all-$fmt.$ext" --format "$fmt" --json
  check "$fmt export rows" [ "$(jq .rows "$TMP/out")" = 7 ]
  expect_status 0 "$JZ" cadre import --db "$DB" "$TMP/all-$fmt.$ext" --json
  check "$fmt re-import unchanged" [ "$(jq .rows.unchanged "$TMP/out")" = 7 ]
done
iconv -f GB18030 -t UTF-8 "$TMP/all-gb18030.csv" | grep -q "扎西次仁" || fail "gb18030 export"

# Filters.
expect_status 0 "$JZ" cadre export --db "$DB" "$TMP/t.csv" --unit 540425100 --json
check "unit filter" [ "$(jq .rows "$TMP/out")" = 3 ]
expect_status 0 "$JZ" cadre export --db "$DB" "$TMP/r.csv" --rank 县级 --json
check "rank filter" [ "$(jq .rows "$TMP/out")" = 2 ]
expect_status 0 "$JZ" audit verify --db "$DB"
finish

#!/usr/bin/env bash
# jingzhun import refuses hostile and oversized files (issue 11) with exit 2 and one line naming the
# limit, changes nothing and leaves no error file; --max-rows, --max-cell-bytes and --time-limit
# change the limits.
source "$(dirname "$0")/lib.sh"
FIX="$SRC/tests/fixtures/import"
DB="$TMP/r.db"
expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"
python3 "$SRC/bench/hostile_files.py" "$TMP/hostile" --mib 12 || fail "hostile_files.py"

for f in huge_row.xlsx bomb_inline.xlsx bomb_shared.xlsx bomb_workbook.xlsx long_line.csv; do
  expect_status 2 "$JZ" import --db "$DB" "$TMP/hostile/$f" --errors "$TMP/errors-$f.csv"
  expect_one_line_error "$f"
  check "$f leaves no error file" [ -z "$(ls "$TMP"/errors-* 2>/dev/null)" ]
done
expect_status 2 "$JZ" import --db "$DB" "$TMP/hostile/huge_row.xlsx"
expect_one_line_error "登记表"

# The limits as flags: three data rows are too many for --max-rows 2; a long name is cut.
expect_status 2 "$JZ" import --db "$DB" "$FIX/ok_basic/input.csv" --max-rows 2
expect_one_line_error "2 data rows"
sed '2s/扎西次仁/扎西次仁扎西次仁扎西次仁/' "$FIX/ok_basic/input.csv" >"$TMP/long.csv"
expect_status 3 "$JZ" import --db "$DB" "$TMP/long.csv" --max-cell-bytes 20 --errors "$TMP/cut.csv" --json
check "a long cell is import.cell_too_long" grep -q "import.cell_too_long" "$TMP/out"
check "the error file has the cut value" grep -q "…" "$TMP/cut.csv"
expect_status 2 "$JZ" import --db "$DB" "$FIX/ok_basic/input.csv" --max-rows 0
check "the rejected household is not imported" [ "$(sqlite3 "$DB" "SELECT count(*) FROM household WHERE household_code = 'A001'")" = 0 ]
expect_status 0 "$JZ" import --db "$DB" "$FIX/ok_basic/input.csv" --time-limit 600
finish

#!/usr/bin/env bash
# The periodic reports from the command line on the demo county (docs/reports.md): report
# weekly|monthly|quarterly|annual as .xlsx (and PDF when the build renders PDF) and --json, issue
# (frozen, once: exit 4 the second time), issued, show (the stored document), compare, due; usage
# errors exit 2 naming the option; `report progress` still works beside them.
source "$(dirname "$0")/lib.sh"
DB="$TMP/reports.db"
jz() { "$JZ" "$@" --db "$DB"; }

for cmd in report "report progress" "report weekly" "report monthly" "report quarterly" "report annual" \
  "report issue" "report issued" "report show" "report compare" "report due"; do
  # shellcheck disable=SC2086
  expect_status 0 "$JZ" $cmd --help
done

expect_status 0 "$JZ" demo --db "$DB" --json
COUNTY=$(jq -r .county.code "$TMP/out")
check "a county code" [ ${#COUNTY} = 6 ]
expect_status 0 jz report progress --as-of 2017-06-30 --json
check "report progress still works" [ "$(jq .county.persons "$TMP/out")" = 6160 ]

# --- building: json, xlsx, pdf
expect_status 0 jz report weekly --unit "$COUNTY" --period 2017-W26 --json
check "weekly json kind" [ "$(jq -r .kind "$TMP/out")" = weekly ]
check "weekly from Monday" [ "$(jq -r .from "$TMP/out")" = 2017-06-26 ]
check "weekly has the task" [ "$(jq '[.sections[] | select(.id == "task")] | length' "$TMP/out")" = 1 ]
check "every empty section says why" \
  [ "$(jq '[.sections[] | select((.rows | length) == 0 and .note_zh == "")] | length' "$TMP/out")" = 0 ]
expect_status 0 jz report monthly --unit "$COUNTY" --period 2017-06 --out "$TMP/m.xlsx"
check "monthly xlsx written" [ -s "$TMP/m.xlsx" ]
check "xlsx is a zip with sheets" sh -c "unzip -l '$TMP/m.xlsx' | grep -q 'xl/worksheets/sheet1.xml'"
check "one sheet per section" [ "$(unzip -l "$TMP/m.xlsx" | grep -c 'xl/worksheets/sheet[0-9]*.xml')" -ge 8 ]
expect_status 0 jz report quarterly --unit "${COUNTY}" --period 2017-Q2 --json
check "quarter by month" [ "$(jq '.sections[] | select(.id == "trend") | .rows | length' "$TMP/out")" = 3 ]
check "trend has a chart" [ "$(jq -r '.sections[] | select(.id == "trend") | .chart.kind' "$TMP/out")" = line ]
expect_status 0 jz report annual --unit "$COUNTY" --period 2016 --out "$TMP/a.xlsx"
check "annual xlsx" [ -s "$TMP/a.xlsx" ]
expect_status 0 jz report monthly --unit industry --period 2017-06 --json
check "battle office unit" [ "$(jq -r .unit.code "$TMP/out")" = industry ]
if jz report annual --unit "$COUNTY" --period 2016 --format pdf --out "$TMP/a.pdf" >/dev/null 2>"$TMP/err"; then
  check "pdf written" [ -s "$TMP/a.pdf" ]
  if command -v pdfinfo >/dev/null; then
    check "pdf opens" sh -c "pdfinfo '$TMP/a.pdf' | grep -q '^Pages:'"
    check "pdf holds the title" sh -c "pdftotext '$TMP/a.pdf' - | grep -q '年总结'"
  fi
else
  grep -q "report.pdf_unavailable" "$TMP/err" || fail "pdf failed: $(cat "$TMP/err")"
fi

# --- usage and refusals
expect_status 2 jz report weekly --unit "$COUNTY" --period 2017-06 --json
expect_one_line_error "period"
expect_status 2 jz report weekly --unit 999999 --period 2017-W26 --json
expect_one_line_error "unit"
expect_status 2 jz report weekly --unit "$COUNTY" --period 2017-W26 --out "$TMP/x.doc"
expect_one_line_error "format"
expect_status 2 jz report weekly --unit "$COUNTY" --period 2017-W26
expect_one_line_error "out"
expect_status 4 jz report annual --unit "$COUNTY" --period 2099 --json
expect_one_line_error "report.future_period"

# --- issue, issued, show, compare
expect_status 0 jz report issue monthly --unit "$COUNTY" --period 2017-05
check "issued line" grep -Eq '^issued 1 [0-9a-f]{64}$' "$TMP/out"
HASH=$(awk '{print $3}' "$TMP/out")
expect_status 4 jz report issue monthly --unit "$COUNTY" --period 2017-05
expect_one_line_error "report.already_issued"
expect_status 0 jz report issue monthly --unit "$COUNTY" --period 2017-06 --json
check "issued meta" [ "$(jq .id "$TMP/out")" = 2 ]
check "meta seq" [ "$(jq '.seq > 0' "$TMP/out")" = true ]
expect_status 0 jz report issued --unit "$COUNTY" --json
check "two issued" [ "$(jq .total "$TMP/out")" = 2 ]
check "newest first" [ "$(jq -r '.issued[0].period' "$TMP/out")" = 2017-06 ]
expect_status 0 jz report show 1 --json
check "show gives the stored hash" [ "$(jq -r .issued.hash "$TMP/out")" = "$HASH" ]
check "stored document" [ "$(jq -r .document.period "$TMP/out")" = 2017-05 ]
if command -v sqlite3 >/dev/null && command -v b2sum >/dev/null; then
  STORED=$(sqlite3 "$DB" "SELECT document_json FROM issued_reports WHERE id = 1" | head -c -1 | b2sum -l 256 | cut -d' ' -f1)
  check "hash is BLAKE2b-256 of the stored JSON" [ "$STORED" = "$HASH" ]
  # A changed stored report is found by audit verify.
  cp "$DB" "$TMP/tampered.db"
  sqlite3 "$TMP/tampered.db" "UPDATE issued_reports SET document_json = replace(document_json, '2017-05', '2017-04') WHERE id = 1"
  expect_status 1 "$JZ" audit verify --db "$TMP/tampered.db"
  grep -q "issued_report" "$TMP/out" "$TMP/err" || fail "audit verify does not name the issued report"
fi
expect_status 0 jz report show 1 --out "$TMP/issued.xlsx"
check "issued xlsx" [ -s "$TMP/issued.xlsx" ]
expect_status 2 jz report show 99
expect_one_line_error "no issued report"
expect_status 0 jz report compare 2 --json
check "compared with 1" [ "$(jq .previous.id "$TMP/out")" = 1 ]
check "rows array" [ "$(jq '.rows | type' "$TMP/out")" = '"array"' ]
expect_status 2 jz report compare 1
expect_one_line_error "no earlier issued"
expect_status 0 jz audit verify
# --- due
expect_status 0 jz report due --as-of 2017-07-03 --json
check "due items" [ "$(jq '.items | length' "$TMP/out")" -gt 0 ]
check "issued one is issued" \
  [ "$(jq -r --arg c "$COUNTY" '.items[] | select(.unit_code == $c and .kind == "monthly" and .period == "2017-06") | .state' "$TMP/out")" = issued ]
check "an overdue week" \
  [ "$(jq -r --arg c "$COUNTY" '.items[] | select(.unit_code == $c and .kind == "weekly" and .period == "2017-W25") | .state' "$TMP/out")" = overdue ]
expect_status 0 jz report due --unit industry --as-of 2017-07-03
expect_status 2 jz report due --unit nowhere
expect_one_line_error "unit"
finish

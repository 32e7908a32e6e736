#!/usr/bin/env bash
# The annual county report (年总结) built and rendered, side by side with the plain alternative
# (issue 17): `report progress` (one BuildProgress: the county's figures alone) against
# `report annual --unit COUNTY --period YEAR` as .xlsx and as PDF (when the build renders PDF),
# and as JSON (the building alone). The annual report reads the battle map at the year's end, the
# day before it and at each quarter's end (5 scans of the households' facts and the items' facts),
# the pairing tables and the open cases.
# Usage: bench/periodic_report_bench.sh [--households N] [--year Y]   (the registry is built once
# under build/bench-data/; /usr/bin/time gives wall seconds and peak memory)
set -euo pipefail
cd "$(dirname "$0")/.."
households=100000
year=2016
while [ $# -gt 0 ]; do
  case "$1" in
    --households) households=$2; shift 2 ;;
    --year) year=$2; shift 2 ;;
    *) echo "usage: $0 [--households N] [--year Y]" >&2; exit 2 ;;
  esac
done
bin=build/jingzhun
data=build/bench-data
mkdir -p "$data"
db="$data/periodic-$households.db"
if [ ! -s "$db" ]; then
  echo "building a registry of $households households (once)..." >&2
  start=$(date +%s)
  "$bin" generate --households "$households" --seed 7 --out "$data/periodic-$households.csv" >/dev/null
  "$bin" init --db "$db" --plan plans/chayu-2016.toml --force >/dev/null
  "$bin" import --db "$db" "$data/periodic-$households.csv" --errors "$data/periodic-errors.csv" >/dev/null || true
  rm -f "$data/periodic-$households.csv"
  echo "built in $(( $(date +%s) - start )) s" >&2
fi
county=$(sqlite3 "$db" "SELECT code FROM org_unit WHERE level = 'county' LIMIT 1")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() {  # run LABEL CMD...
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null
  read -r secs kb <"$out/time"
  printf '%-40s %8s s %8s MB\n' "$label" "$secs" "$((kb / 1024))"
}
echo "households: $(sqlite3 "$db" 'SELECT count(*) FROM household'), year $year, county $county"
run "report progress (plain BuildProgress)" "$bin" report progress --db "$db" --as-of "$year-12-31" --json
run "report annual --json (build only)" "$bin" report annual --db "$db" --unit "$county" --period "$year" --json
run "report annual .xlsx" "$bin" report annual --db "$db" --unit "$county" --period "$year" --out "$out/a.xlsx"
if "$bin" report annual --db "$db" --unit "$county" --period "$year" --out "$out/a.pdf" >/dev/null 2>&1; then
  run "report annual .pdf" "$bin" report annual --db "$db" --unit "$county" --period "$year" --out "$out/a.pdf"
else
  echo "report annual .pdf: this build renders no PDF"
fi
run "report weekly --json (build only)" "$bin" report weekly --db "$db" --unit "$county" --period "$year-W26" --json
run "report monthly .xlsx" "$bin" report monthly --db "$db" --unit "$county" --period "$year-06" --out "$out/m.xlsx"

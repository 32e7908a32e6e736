#!/usr/bin/env bash
# Import of the assistance ledger (issue 14): `jingzhun assistance import` of 5 items per household
# (5M items for 1M households) into a registry made by `jingzhun generate`, side by side, in the
# same run, with a plain prepared INSERT of the same rows into the same table (Python's sqlite3
# executemany over one prepared statement, one transaction, no checks, no change log, no lookups).
# Prints items/s and the peak RSS (/usr/bin/time -v) of both. Goal: ≥ 100k items/s, < 500 MB.
#
# The items file is made deterministically by python3 over the generated registry (the import
# layout, one row per person: each household's head row gives its 5 items): an industry cash
# payment, a ranger post (monthly pay, for the head), a health service, the 低保 floor (yearly) and a
# housing repair in kind; no item codes, so every row goes through the natural-key lookup and gets
# the household's next code.
#
# Usage: bench/assistance_import_bench.sh [--households N] [--keep DIR] [--reimport] [BINARY]   (default 1000000, build/jingzhun)
set -euo pipefail
cd "$(dirname "$0")/.."
households=1000000
keep=""
reimport=0
while [ $# -gt 0 ]; do
  case "$1" in
    --households) households=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --reimport) reimport=1; shift ;;
    *) break ;;
  esac
done
bin=${1:-build/jingzhun}
if [ -n "$keep" ]; then
  tmp=$keep
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi

say() { echo "# $*" >&2; }
say "registry of $households households"
"$bin" generate --households "$households" --seed 14 --out "$tmp/registry.csv" >/dev/null
rm -f "$tmp/base.db"
"$bin" init --db "$tmp/base.db" --plan plans/chayu-2016.toml >/dev/null
"$bin" import --db "$tmp/base.db" "$tmp/registry.csv" --errors "$tmp/registry.errors.csv" >/dev/null

say "items file (python3) and the same rows as table rows for the plain insert"
python3 - "$tmp/registry.csv" "$tmp/items.csv" "$tmp/plain.tsv" <<'PY'
import csv, json, sys, zlib
registry, items_path, plain_path = sys.argv[1:4]
header = ["帮扶项目编号", "户编号", "受益成员身份证号", "帮扶措施", "帮扶类别", "帮扶方式", "开始日期", "结束日期",
          "金额(元)", "周期金额(元)", "发放周期", "项目或资金编号", "备注", "签收日期", "签收人"]
# measure, measure number, category (name, code), kind (name, code), start, end, amount, periodic, period (name, code), fund, notes, signed, head?
templates = [
    ("产业扶持", 1, "产业扶持", 10, "现金", 1, "2016-05-01", "", "3000", "", "", None, "CY-2016-001", "养殖补贴", "2016-05-03", False),
    ("生态补偿扶贫", 8, "公益岗位", 14, "岗位", 5, "2017-01-01", "2017-12-31", "", "800", "按月", 1, "", "生态护林员", "2017-01-05", True),
    ("医疗扶贫", 6, "健康医疗", 30, "服务", 3, "2016-03-01", "", "", "", "", None, "", "家庭医生签约", "2016-03-01", False),
    ("社保兜底扶贫", 10, "社保兜底(低保/五保)", 33, "现金", 1, "2016-01-01", "", "", "1380.5", "按年", 2, "", "低保", "", False),
    ("微型基建扶贫", 3, "危房改造", 31, "实物", 2, "2016-08-01", "", "12000", "", "", None, "WF-2016", "危房改造材料", "2016-09-01", False),
]
def fen(text):
    return int(round(float(text) * 100)) if text else None
def dint(text):
    return int(text.replace("-", "")) if text else None
with open(registry, encoding="utf-8-sig", newline="") as f, \
     open(items_path, "w", encoding="utf-8", newline="") as out, \
     open(plain_path, "w", encoding="utf-8", newline="") as plain:
    reader = csv.reader(f)
    cols = next(reader)
    hc, dc, idc, namec = cols.index("户编号"), cols.index("行政区划代码"), cols.index("证件号码"), cols.index("姓名")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    last = None
    for row in reader:
        code = row[hc]
        if code == last:
            continue
        last = code  # the head's row comes first
        for n, (measure, mnum, cat, catc, kind, kindc, start, end, amount, periodic, period, periodc, fund, notes, signed, member) in enumerate(templates, 1):
            members = row[idc] if member else ""
            by = row[namec] if signed else ""
            w.writerow(["", code, members, measure, cat, kind, start, end, amount, periodic, period, fund, notes, signed, by])
            item_code = "%s-%03d" % (code, n)
            body = {"item_code": item_code, "household_code": code, "division_code": row[dc], "version": 1,
                    "deleted": False, "member_ids": [members] if members else [], "measure": mnum,
                    "category": catc, "kind": kindc, "start_date": start}
            if end: body["end_date"] = end
            if amount: body["amount"] = amount
            if periodic: body["periodic_amount"] = periodic
            if periodc: body["period"] = periodc
            if fund: body["fund_ref"] = fund
            if notes: body["notes"] = notes
            if signed: body["signed_on"] = signed
            if by: body["signed_by"] = by
            keys = (int(members[:17]).to_bytes(8, "little").hex() if members else "")
            natural = zlib.crc32(("%s|%d|%d|%d|%s|%s" % (code, mnum, catc, kindc, start, members)).encode()) 
            plain.write("\t".join(str(x) if x is not None else "\\N" for x in [
                code, item_code, row[dc], 1, 0, mnum, catc, kindc, dint(start), dint(end), dint(signed),
                fen(amount), keys if keys else None, natural, "2026-12-06T00:00:00Z",
                json.dumps(body, ensure_ascii=False, separators=(",", ":"))]) + "\n")
PY
items=$(($(wc -l <"$tmp/items.csv") - 1))

cat >"$tmp/plain_insert.py" <<'PY'
import sqlite3, sys
db, rows = sys.argv[1:3]
con = sqlite3.connect(db, isolation_level=None)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA synchronous=NORMAL")
def read():
    with open(rows, encoding="utf-8") as f:
        for line in f:
            v = [None if x == "\\N" else x for x in line.rstrip("\n").split("\t")]
            for i in (3, 4, 5, 6, 7, 8, 9, 10, 11, 13):
                if v[i] is not None: v[i] = int(v[i])
            if v[12] is not None: v[12] = bytes.fromhex(v[12])
            yield v
con.execute("BEGIN")
con.executemany("INSERT INTO assistance_item VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", read())
con.execute("COMMIT")
print(con.execute("SELECT count(*) FROM assistance_item").fetchone()[0])
PY

measure() {  # measure LABEL CMD... : wall seconds and peak RSS (kB) of CMD
  local label=$1
  shift
  /usr/bin/time -v "$@" >"$tmp/$label.out" 2>"$tmp/$label.time"
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$tmp/$label.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/$label.time")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$tmp/$label.time")
  # CPU time too: on a shared machine the wall clock also counts other processes' turns.
  printf '%-34s %9d items %8.1f s %8.0f items/s %8.1f s CPU %8.0f items/CPU-s %6.0f MB peak RSS\n' "$label" \
    "$items" "$wall" "$(echo "$items / $wall" | bc -l)" "$cpu" "$(echo "$items / $cpu" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

cp "$tmp/base.db" "$tmp/ledger.db"
cp "$tmp/base.db" "$tmp/plain.db"
say "$items items"
measure "jingzhun assistance import" "$bin" assistance import --db "$tmp/ledger.db" "$tmp/items.csv" --json
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); r=s['rows']; assert r['inserted']==$items and r['rejected']==0, r" "$tmp/jingzhun assistance import.out" ||
  { echo "import did not accept every item" >&2; head -c 2000 "$tmp/jingzhun assistance import.out" >&2; exit 1; }
measure "plain prepared INSERT (sqlite3)" python3 "$tmp/plain_insert.py" "$tmp/plain.db" "$tmp/plain.tsv"
[ "$reimport" = 1 ] || exit 0
say "again: the same file re-imported (every row unchanged)"
measure "re-import (all unchanged)" "$bin" assistance import --db "$tmp/ledger.db" "$tmp/items.csv" --json

#!/usr/bin/env bash
# Printing from the command line (docs/printing.md): `card` and `register` — --help, --json
# summaries, usage errors (exit 2) — and golden checks of the PDFs themselves read back with
# poppler-utils: the card of one household of the demo county and a village's register carry their
# Chinese section titles and the head's name (pdftotext -layout), their page counts (pdfinfo) agree
# with --json, Noto Sans CJK is embedded and nothing is a Type 3 or unembedded font (pdffonts), and
# page 1 renders (pdftoppm) with a non-trivial number of dark pixels (a blank page fails).
source "$(dirname "$0")/lib.sh"
DB="$TMP/print.db"
jz() { "$JZ" "$@" --db "$DB"; }

for cmd in card register; do
  expect_status 0 "$JZ" $cmd --help
done
expect_status 0 "$JZ" demo --db "$DB"
check "fontconfig gives Noto Sans CJK SC" [ "$(fc-match -f '%{family[0]}' 'Noto Sans CJK SC')" = "Noto Sans CJK SC" ]

H=$(sqlite3 "$DB" "SELECT household_code FROM household h WHERE EXISTS (SELECT 1 FROM assistance_item a WHERE a.household_code = h.household_code) ORDER BY household_code LIMIT 1")
check "a household with assistance" [ ${#H} -ge 12 ]
HEAD=$(sqlite3 "$DB" "SELECT p.name FROM person p JOIN household h ON p.household_id = h.id WHERE h.household_code = '$H' ORDER BY p.ordinal LIMIT 1" 2>/dev/null)
V=${H:0:12}
T=${H:0:9}

# dark_pixels FILE.pdf: pixels darker than mid-grey on page 1 at 50 dpi.
dark_pixels() {
  pdftoppm -r 50 -gray -f 1 -l 1 "$1" "$TMP/page" || { echo 0; return; }
  local pgm
  pgm=$(ls "$TMP"/page*.pgm | head -1)
  python3 - "$pgm" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
# P5 header: magic, width, height, maxval, each followed by whitespace
parts = data.split(maxsplit=4)
pixels = parts[4]
print(sum(1 for b in pixels if b < 128))
PY
  rm -f "$TMP"/page*.pgm
}
pdf_checks() {  # pdf_checks FILE.pdf PAGES
  local f=$1 pages=$2
  check "$f: pdfinfo pages $pages" [ "$(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')" = "$pages" ]
  # The Noto Sans CJK outlines are embedded as CID-keyed CFF fonts cairo builds from them
  # (named CairoFont-n-m: io/pdf.h says why); none is Type 3, none left out.
  pdffonts "$f" >"$TMP/fonts"
  grep -q "CID Type 0C" "$TMP/fonts" || fail "$f: no embedded CID font: $(cat "$TMP/fonts")"
  if grep -q "Type 3" "$TMP/fonts"; then fail "$f: a Type 3 font"; fi
  # every font embedded (the emb column is "yes")
  if awk 'NR > 2 && $(NF-4) != "yes"' "$TMP/fonts" | grep -q .; then fail "$f: a font not embedded: $(cat "$TMP/fonts")"; fi
  local dark
  dark=$(dark_pixels "$f")
  check "$f: page 1 has ink ($dark dark pixels)" [ "$dark" -gt 2000 ]
}

# --- one household's card
expect_status 0 jz card --household "$H" --out "$TMP/card.pdf" --as-of 2020-12-31 --json
check "card summary file" [ "$(jq -r .file "$TMP/out")" = "$TMP/card.pdf" ]
check "card summary households" [ "$(jq .households "$TMP/out")" = 1 ]
check "card summary bytes" [ "$(jq .bytes "$TMP/out")" = "$(stat -c %s "$TMP/card.pdf")" ]
PAGES=$(jq .pages "$TMP/out")
pdf_checks "$TMP/card.pdf" "$PAGES"
pdftotext -layout "$TMP/card.pdf" "$TMP/card.txt"
for title in 精准扶贫明白卡 一、基本情况 二、家庭成员 三、帮扶责任人及变更 四、享受帮扶情况 五、收入情况 六、资产收益 七、动态管理 \
  填表人 户主签字 "$H"; do
  grep -q -- "$title" "$TMP/card.txt" || fail "card lacks '$title'"
done
tr -d ' ' <"$TMP/card.txt" | grep -q "第1页/共${PAGES}页" || fail "card footer 第1页/共${PAGES}页"
if [ -n "$HEAD" ]; then grep -q -- "$HEAD" "$TMP/card.txt" || fail "card lacks the head's name $HEAD"; fi
pdfinfo "$TMP/card.pdf" | grep -q "扶贫手册 $H" || fail "card metadata title: $(pdfinfo "$TMP/card.pdf" | head -3)"
# the full card shows an 18-character ID number; --mask leaves none
grep -Eq '[0-9]{17}[0-9Xx]' "$TMP/card.txt" || fail "the unmasked card shows no ID number"
expect_status 0 jz card --household "$H" --out "$TMP/masked.pdf" --mask
pdftotext -layout "$TMP/masked.pdf" "$TMP/masked.txt"
if grep -Eq '[0-9]{17}[0-9Xx]' "$TMP/masked.txt"; then fail "the masked card shows a whole ID number"; fi
grep -q '\*\*\*\*' "$TMP/masked.txt" || fail "the masked card shows no masked number"

# the QR code decodes to the household's page under --url (a trailing slash dropped)
expect_status 0 jz card --household "$H" --out "$TMP/qr.pdf" --url https://fp.example.gov.cn/
if command -v zbarimg >/dev/null; then
  pdftoppm -r 150 -f 1 -l 1 -png "$TMP/qr.pdf" "$TMP/qr"
  QR=$(zbarimg -q --raw "$TMP"/qr*.png 2>/dev/null | head -1)
  check "QR payload ($QR)" [ "$QR" = "https://fp.example.gov.cn/households/$H" ]
else
  echo "zbarimg not installed: QR payload not decoded" >&2
fi

# --- a village's cards in one file: each household from a new page
N=$(sqlite3 "$DB" "SELECT count(*) FROM household WHERE division_code = '$V'")
expect_status 0 jz card --village "$V" --out "$TMP/village.pdf" --json
check "village cards: households $N" [ "$(jq .households "$TMP/out")" = "$N" ]
check "village cards: at least a page each" [ "$(jq .pages "$TMP/out")" -ge "$N" ]
pdf_checks "$TMP/village.pdf" "$(jq .pages "$TMP/out")"
check "village cards: one title per household" [ "$(pdftotext "$TMP/village.pdf" - | grep -c 精准扶贫明白卡)" = "$N" ]

# --- the village register and the township book
expect_status 0 jz register --village "$V" --out "$TMP/register.pdf" --as-of 2020-12-31 --year 2019 --json
check "register households $N" [ "$(jq .households "$TMP/out")" = "$N" ]
pdf_checks "$TMP/register.pdf" "$(jq .pages "$TMP/out")"
pdftotext -layout "$TMP/register.pdf" "$TMP/register.txt"
for title in 贫困户村有册 贫困户花名册 家庭成员 分村汇总 2019年动态变化 合计 填报人 "$H"; do
  grep -q -- "$title" "$TMP/register.txt" || fail "register lacks '$title'"
done
pdfinfo "$TMP/register.pdf" | grep -q "Page size:.*841.89 x 595.28" || fail "register is not A4 landscape"
expect_status 0 jz register --township "$T" --out "$TMP/book.pdf" --json
pdftotext -layout "$TMP/book.pdf" "$TMP/book.txt"
grep -q 贫困户乡有簿 "$TMP/book.txt" || fail "township book title"
grep -q 小计 "$TMP/book.txt" || fail "township book has no village subtotals"
check "book pages > register pages" [ "$(jq .pages "$TMP/out")" -ge 1 ]

# --- the book as .xlsx (format from the extension): one sheet per section
expect_status 0 jz register --township "$T" --out "$TMP/book.xlsx" --year 2019 --json
check "xlsx summary pages 0" [ "$(jq .pages "$TMP/out")" = 0 ]
check "xlsx is a zip" [ "$(head -c 2 "$TMP/book.xlsx")" = PK ]
check "xlsx has 4 sheets" [ "$(unzip -l "$TMP/book.xlsx" | grep -c 'xl/worksheets/sheet[0-9]*.xml')" = 4 ]
unzip -p "$TMP/book.xlsx" xl/workbook.xml xl/sharedStrings.xml 2>/dev/null | grep -q 贫困户花名册 || fail "xlsx lacks the roster sheet"

# --- usage errors: exit 2, one line, nothing written
expect_status 2 jz card --out "$TMP/x.pdf"
expect_one_line_error "household"
expect_status 2 jz card --household 999999999999999999 --out "$TMP/x.pdf"
expect_one_line_error "card.unknown_household\|999999999999999999"
expect_status 2 jz card --village "$T" --out "$TMP/x.pdf"
expect_one_line_error "village"
expect_status 2 jz register --village "$T" --out "$TMP/x.pdf"
expect_status 2 jz register --township "$T" --format doc --out "$TMP/x.doc"
expect_status 2 jz card --household "$H" --out "$TMP/x.pdf" --as-of 2020-13-01
check "nothing written on errors" [ ! -e "$TMP/x.pdf" ]
finish

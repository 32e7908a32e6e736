#!/usr/bin/env bash
# Funds from the command line: fund source|allocation|payee add|list, fund balances|report|findings,
# project apply|list|show|step|notice, ledger post|reverse|list — each with --help and --json, the
# project walked from application to closing with its publicity, entries posted and reversed, a
# refused posting (exit 4, nothing posted, kept as a finding), usage errors (exit 2). docs/funds.md.
source "$(dirname "$0")/lib.sh"
DB="$TMP/funds.db"
jz() { "$JZ" "$@" --db "$DB"; }

for cmd in fund "fund source" "fund source add" "fund source list" "fund allocation" "fund allocation add" \
  "fund allocation list" "fund allocation import" "fund allocation export" "project export" "fund payee add" "fund payee list" "fund balances" "fund report" "fund findings" \
  project "project apply" "project list" "project show" "project step" "project notice" \
  ledger "ledger post" "ledger reverse" "ledger list" "ledger import" "ledger export"; do
  # shellcheck disable=SC2086
  expect_status 0 "$JZ" $cmd --help
done

expect_status 0 "$JZ" init --db "$DB" --plan "$PLAN"
expect_status 0 "$JZ" generate --plan "$PLAN" --households 20 --seed 16 --out "$TMP/gen.csv"
expect_status 0 "$JZ" import --db "$DB" "$TMP/gen.csv"
H0=$(awk -F, '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) { sub(/^\xef\xbb\xbf/, "", $i); col[$i] = i }; next }
  { print $col["户编号"]; exit }' "$TMP/gen.csv")
VILLAGE=${H0:0:12}
check "a household" [ -n "$H0" ]

# --- sources, allocations, payees
expect_status 0 jz fund source add --code lottery --name 彩票公益金 --special-poverty --json
check "source added" [ "$(jq -r .code "$TMP/out")" = lottery ]
expect_status 4 jz fund source add --code social --name 重复
expect_one_line_error "store.duplicate"
expect_status 2 jz fund source add --code Bad! --name x
expect_one_line_error "code"
expect_status 0 jz fund source list --json
check "six sources" [ "$(jq '.sources | length' "$TMP/out")" = 6 ]
expect_status 0 jz fund allocation add --source poverty_development --document "藏财农〔2017〕1号" --year 2017 --amount 200000 --json
check "allocation 1" [ "$(jq .id "$TMP/out")" = 1 ]
check "amount in yuan" [ "$(jq -r .amount "$TMP/out")" = 200000.00 ]
expect_status 2 jz fund allocation add --source poverty_development --document d --year 2017 --amount 1.234
expect_one_line_error "amount"
expect_status 2 jz fund allocation add --source nowhere --document d --year 2017 --amount 1
expect_status 0 jz fund payee add --name 察隅建筑公司 --json
check "payee 1" [ "$(jq .id "$TMP/out")" = 1 ]
expect_status 2 jz fund payee add --kind shop --name x
expect_status 0 jz fund payee list --json
check "one payee" [ "$(jq '.payees | length' "$TMP/out")" = 1 ]

# --- the project from application to start
cat >"$TMP/project.json" <<EOF
{"code":"FP2017-03","name":"牦牛养殖","division_code":"$VILLAGE","task":"棚圈10座","subsidy_standard":"每户1万元",
 "use":"industry","approved":"100000","period_start":"2017-04-01","period_end":"2017-10-31","unit":"村委会",
 "responsible":"扎西","performance_target":"带动增收","sources":[{"source":"poverty_development","amount":"100000"}],
 "beneficiaries":[{"household_code":"$H0","how":"入股分红"}]}
EOF
expect_status 0 jz project apply "$TMP/project.json" --date 2017-03-01 --json
P=$(jq .id "$TMP/out")
check "applied" [ "$(jq -r .state "$TMP/out")" = applied ]
expect_status 4 jz project apply "$TMP/project.json" --date 2017-03-01
expect_one_line_error "store.duplicate"
sed 's/"100000"}\]/"90000"}]/' "$TMP/project.json" >"$TMP/bad.json"
expect_status 2 jz project apply "$TMP/bad.json"
expect_one_line_error "sources"
expect_status 4 jz project step FP2017-03 --step review --date 2017-03-05
expect_one_line_error "project.notice_period"
expect_status 4 jz project step FP2017-03 --step approve --date 2017-03-05
expect_one_line_error "project.step_invalid"
expect_status 0 jz project step FP2017-03 --step notice --date 2017-03-02
expect_status 0 jz project step FP2017-03 --step review --date 2017-03-12
expect_status 0 jz project step "$P" --step appraise --date 2017-03-13
expect_status 0 jz project step "$P" --step notice --date 2017-03-14
expect_status 4 jz project step "$P" --step approve --date 2017-03-20 --version 6
expect_one_line_error "store.conflict"
expect_status 0 jz project step "$P" --step approve --date 2017-03-24 --json
check "approved" [ "$(jq -r .project.state "$TMP/out")" = approved ]
expect_status 0 jz project step "$P" --step start --date 2017-04-01
grep -q "已开工" "$TMP/out" || fail "human step output names the state: $(head -2 "$TMP/out")"
expect_status 2 jz project step FP-none --step start
expect_status 0 jz project notice FP2017-03 --json
check "notice posted on the county notice's day" [ "$(jq -r .posted_on "$TMP/out")" = 2017-03-14 ]
check "notice runs ten days" [ "$(jq -r .until "$TMP/out")" = 2017-03-24 ]
check "hotline" [ "$(jq -r .hotline "$TMP/out")" = 12317 ]
expect_status 0 jz project notice FP2017-03
grep -q "12317" "$TMP/out" || fail "human notice has the hotline"

# --- entries
expect_status 0 jz ledger post --kind receive --date 2017-03-25 --allocation 1 --amount 200000 --json
expect_status 0 jz ledger post --kind budget --date 2017-03-26 --allocation 1 --project "$P" --amount 100000
cat >"$TMP/pay.json" <<EOF
{"entries":[{"date":"2017-04-10","kind":"disburse","allocation":1,"project":$P,"payee":1,"amount":"40000",
 "stage":"start","refs":"报账-1"}]}
EOF
expect_status 0 jz ledger post --file "$TMP/pay.json" --json
PAY=$(jq '.entries[0].id' "$TMP/out")
# Beyond the start stage's 40%: refused, nothing posted, kept as a finding.
expect_status 4 jz ledger post --kind disburse --date 2017-04-11 --allocation 1 --project "$P" --payee 1 --amount 0.01 --stage start --refs r
expect_one_line_error "fund.stage_beyond_acceptance"
expect_status 0 jz ledger list --json
check "three entries" [ "$(jq .total "$TMP/out")" = 3 ]
expect_status 0 jz ledger reverse "$PAY" --date 2017-04-12 --refs 更正 --json
check "reversal of the payment" [ "$(jq -r '.entries[0].kind' "$TMP/out")" = reversal ]
expect_status 4 jz ledger reverse "$PAY" --date 2017-04-12
expect_one_line_error "fund.reversal_invalid"
expect_status 0 jz ledger list --project "$P" --json
check "reversed_by set" [ "$(jq '.entries[1].reversed_by != null' "$TMP/out")" = true ]
expect_status 2 jz ledger list --kind nothing
expect_status 0 jz fund balances --json
check "received" [ "$(jq -r .totals.received "$TMP/out")" = 200000.00 ]
check "nothing spent after the reversal" [ "$(jq -r .totals.spent "$TMP/out")" = 0.00 ]
expect_status 0 jz fund balances
grep -q "合计 total" "$TMP/out" || fail "human balances have a total"
expect_status 0 jz fund report --month 2017-04 --json
check "due the 5th" [ "$(jq -r .due "$TMP/out")" = 2017-05-05 ]
check "April spent net of the reversal" [ "$(jq -r .totals.spent_month "$TMP/out")" = 0.00 ]
expect_status 2 jz fund report --month 2017-4
expect_status 0 jz fund findings --as-of 2017-12-31 --json
check "idle money" [ "$(jq '[.findings[] | select(.rule == "fund.idle")] | length' "$TMP/out")" = 1 ]
expect_status 0 jz fund findings --json  # today: the refusal was recorded today
cp "$TMP/out" "$TMP/findings.json"
check "the refused posting is a breach: $(cat "$TMP/findings.json")" [ "$(jq '[.findings[] | select(.rule == "fund.stage_beyond_acceptance" and .severity == "breach")] | length' "$TMP/out")" = 1 ]
expect_status 0 jz project show FP2017-03 --json
check "show lists the household" [ "$(jq -r '.households[0].household_code' "$TMP/out")" = "$H0" ]
check "budgeted" [ "$(jq -r .money.budgeted "$TMP/out")" = 100000.00 ]
expect_status 0 jz project list --json
check "one project" [ "$(jq .total "$TMP/out")" = 1 ]
expect_status 2 jz project list --state flying

# --- the ledger's spreadsheet: export, re-import of new rows, a rejected file posts nothing
expect_status 0 jz ledger export "$TMP/entries.csv" --json
check "four entries exported" [ "$(jq .entries "$TMP/out")" = 4 ]
head -1 "$TMP/entries.csv" | grep -q "日期" || fail "the export has Chinese headers: $(head -1 "$TMP/entries.csv")"
expect_status 0 jz ledger export "$TMP/entries.xlsx"
check "an xlsx file" [ -s "$TMP/entries.xlsx" ]
printf '日期,类型,拨付编号,项目编号,收款人编号,金额(元),阶段,凭证号\n2017-06-01,支付,1,%s,1,1000.50,start,报账-2\n2017-06-02,disburse,1,%s,1,2000,start,报账-3\n' "$P" "$P" >"$TMP/pay.csv"
expect_status 0 jz ledger import "$TMP/pay.csv" --json
check "two posted" [ "$(jq .posted "$TMP/out")" = 2 ]
printf '日期,类型,拨付编号,项目编号,收款人编号,金额(元)\n2017-06-03,disburse,1,%s,1,1.234\n2017-13-01,disburse,1,%s,1,1\n' "$P" "$P" >"$TMP/bad.csv"
expect_status 2 jz ledger import "$TMP/bad.csv" --errors "$TMP/bad-errors.csv"
check "two rejected rows in the error file" [ "$(($(wc -l <"$TMP/bad-errors.csv")))" = 3 ]
printf '日期,类型,拨付编号,项目编号,收款人编号,金额(元),阶段\n2017-06-03,disburse,1,%s,1,10,start\n2017-06-03,disburse,1,%s,1,37000,start\n' "$P" "$P" >"$TMP/over.csv"
expect_status 4 jz ledger import "$TMP/over.csv"
grep -q "fund.stage_beyond_acceptance" "$TMP/over.csv.errors.csv" || fail "the refusal is in the error file: $(cat "$TMP/over.csv.errors.csv")"
grep -q '^3,' "$TMP/over.csv.errors.csv" || fail "the refused row is row 3: $(cat "$TMP/over.csv.errors.csv")"
expect_status 0 jz ledger list --json
check "nothing of the refused files posted" [ "$(jq .total "$TMP/out")" = 6 ]
expect_status 2 jz ledger import "$TMP/missing.csv"

# --- allocations and projects as spreadsheets
printf '资金来源,文号,年度,金额(元),用途\n社会资金,社捐〔2017〕1号,2017,5000.5,roads、water\nagriculture_related,农〔2017〕2号,2017,8000,\n' >"$TMP/alloc.csv"
expect_status 0 jz fund allocation import "$TMP/alloc.csv" --json
check "two allocations imported" [ "$(jq .imported "$TMP/out")" = 2 ]
expect_status 0 jz fund allocation list --json
check "the source named by its name" [ "$(jq -r '.allocations[1].source' "$TMP/out")" = social ]
check "earmark split" [ "$(jq -c '.allocations[1].earmark' "$TMP/out")" = '["roads","water"]' ]
printf '资金来源,文号,年度,金额(元)\nsocial,d,2017,1\nnowhere,d,2017,1\n' >"$TMP/alloc-bad.csv"
expect_status 2 jz fund allocation import "$TMP/alloc-bad.csv"
grep -q '^3,source' "$TMP/alloc-bad.csv.errors.csv" || fail "row 3's source refused: $(cat "$TMP/alloc-bad.csv.errors.csv")"
expect_status 0 jz fund allocation list --json
check "nothing of the refused file imported" [ "$(jq '.allocations | length' "$TMP/out")" = 3 ]
expect_status 0 jz fund allocation export "$TMP/alloc-out.xlsx" --json
check "three exported" [ "$(jq .allocations "$TMP/out")" = 3 ]
expect_status 0 jz fund allocation export "$TMP/alloc-out.csv"
grep -q "社捐〔2017〕1号" "$TMP/alloc-out.csv" || fail "the export has the document number"
expect_status 0 jz project export "$TMP/projects.csv" --json
check "one project exported" [ "$(jq .projects "$TMP/out")" = 1 ]
grep -q "FP2017-03" "$TMP/projects.csv" || fail "the project export has the code"

expect_status 0 "$JZ" audit verify --db "$DB"

finish

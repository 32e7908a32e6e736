// The ledger's exchange files (issue 14): data-driven cases from tests/fixtures/assistance-import and
// tests/fixtures/income-import (registry.csv imported first, then before.csv when there, then
// input.csv, checked against expect.txt: "rows: ...", "error: <row> <field> <code>", "warning: ...",
// "fails: <code>", "encoding: ...", "per_head: <household> <year> <yuan>", "persons: <household>
// <year> <n>"), round trips through CSV, GB18030 and .xlsx, the error file, deleted items, scope.
#include "io/assistance_exchange.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "core/procedure.h"
#include "core/test_support.h"
#include "io/table.h"
#include "io/table_test_support.h"
#include "store/sqlite_store.h"

namespace jz::io {
namespace {

namespace fs = std::filesystem;
using testing_support::Chayu;
using testing_support::Slurp;

class TempDir {
  public:
    TempDir() : dir_() {}
    std::string operator/(const std::string& name) const { return dir_.File(name); }

  private:
    table_test::TempDir dir_;
};

const ChangeContext kChange{"test", "2026-01-02T00:00:00Z"};

fs::path Fixtures(const std::string& layout) { return fs::path(JZ_SOURCE_DIR) / "tests/fixtures" / layout; }

// A registry with the Chayu plan and the households of `layout`'s registry.csv.
std::unique_ptr<Store> NewRegistry(const std::string& db, const std::string& layout) {
    auto store = OpenSqliteStore(db, OpenMode::kCreate).value();
    EXPECT_TRUE(store->Begin());
    EXPECT_TRUE(store->SaveOrgUnits(Chayu().tree, kChange));
    EXPECT_TRUE(store->SavePlan(Chayu().plan.id, Chayu().toml, kChange));
    EXPECT_TRUE(store->Commit());
    auto registry = ImportRegistry(*store, Chayu().plan, Chayu().tree,
                                   {(Fixtures(layout) / "registry.csv").string(), "", db + ".registry-errors.csv", kChange});
    EXPECT_TRUE(registry && registry->households.rejected == 0);
    return store;
}

Result<LedgerImportSummary> Import(Store& store, const std::string& layout, const std::string& path,
                                   const std::string& errors, const std::string& scope = {}) {
    ImportOptions options{path, "", errors, kChange};
    options.scope = scope;
    return layout == "income-import" ? ImportIncome(store, Chayu().plan, options)
                                     : ImportAssistance(store, Chayu().plan, options);
}

std::string Counts(const LedgerImportSummary& s) {
    std::ostringstream o;
    o << "rows: read=" << s.rows.read << " inserted=" << s.rows.inserted << " updated=" << s.rows.updated
      << " unchanged=" << s.rows.unchanged << " rejected=" << s.rows.rejected;
    return o.str();
}

std::vector<std::string> CaseNames(const std::string& layout) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(Fixtures(layout)))
        if (entry.is_directory()) names.push_back(layout + "/" + entry.path().filename().string());
    std::ranges::sort(names);
    return names;
}

std::vector<AssistanceRecord> AllItems(Store& store) {
    return store.ListAssistance({.include_deleted = true, .limit = 100000}).value();
}
std::vector<IncomeRecordVersion> AllIncome(Store& store) { return store.ListIncome({.limit = 100000}).value(); }

class LedgerCase : public testing::TestWithParam<std::string> {};

TEST_P(LedgerCase, MatchesExpectation) {
    const std::string layout = GetParam().substr(0, GetParam().find('/'));
    const fs::path dir = fs::path(JZ_SOURCE_DIR) / "tests/fixtures" / GetParam();
    TempDir tmp;
    auto store = NewRegistry(tmp / "ledger.db", layout);
    if (fs::exists(dir / "before.csv")) {
        auto before = Import(*store, layout, (dir / "before.csv").string(), tmp / "before-errors.csv");
        ASSERT_TRUE(before) << before.error().ToString();
        ASSERT_EQ(before->rows.rejected, 0) << before->ToJson();
    }
    const size_t items_before = AllItems(*store).size();
    const size_t income_before = AllIncome(*store).size();

    std::string expected_counts, expected_fail, expected_encoding;
    std::multiset<std::string> expected_errors, expected_warnings;
    std::vector<std::string> per_head, persons;
    std::istringstream expect(Slurp(dir / "expect.txt"));
    for (std::string line; std::getline(expect, line);) {
        if (line.starts_with("rows:")) expected_counts = line;
        else if (line.starts_with("error: ")) expected_errors.insert(line.substr(7));
        else if (line.starts_with("warning: ")) expected_warnings.insert(line.substr(9));
        else if (line.starts_with("fails: ")) expected_fail = line.substr(7);
        else if (line.starts_with("encoding: ")) expected_encoding = line.substr(10);
        else if (line.starts_with("per_head: ")) per_head.push_back(line.substr(10));
        else if (line.starts_with("persons: ")) persons.push_back(line.substr(9));
    }

    auto result = Import(*store, layout, (dir / "input.csv").string(), tmp / "errors.csv");
    if (!expected_fail.empty()) {
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().code, expected_fail);
        EXPECT_EQ(AllItems(*store).size(), items_before) << "a failed import must change nothing";
        EXPECT_EQ(AllIncome(*store).size(), income_before);
        EXPECT_FALSE(fs::exists(tmp / "errors.csv"));
        return;
    }
    ASSERT_TRUE(result) << result.error().ToString();
    EXPECT_EQ(Counts(*result), expected_counts) << result->ToJson();
    std::multiset<std::string> errors, warnings;
    for (const Error& e : result->errors) {
        errors.insert(std::to_string(e.row) + " " + e.field + " " + e.code);
        EXPECT_FALSE(e.message_zh.empty());
        EXPECT_FALSE(e.message_en.empty());
    }
    for (const Error& w : result->warnings) warnings.insert(std::to_string(w.row) + " " + w.field + " " + w.code);
    EXPECT_EQ(errors, expected_errors) << result->ToJson();
    EXPECT_EQ(warnings, expected_warnings);
    if (!expected_encoding.empty()) {
        EXPECT_EQ(result->encoding, expected_encoding);
    }
    for (const std::string& p : per_head) {
        std::istringstream in(p);
        std::string household, yuan;
        int year = 0;
        in >> household >> year >> yuan;
        auto record = store->FindIncome(household, year).value();
        ASSERT_TRUE(record) << p;
        EXPECT_EQ(NetIncomePerHead(record->record), ParseCenti(yuan)) << p;
    }
    for (const std::string& p : persons) {
        std::istringstream in(p);
        std::string household;
        int year = 0, n = 0;
        in >> household >> year >> n;
        auto record = store->FindIncome(household, year).value();
        ASSERT_TRUE(record) << p;
        EXPECT_EQ(record->record.persons, n) << p;
    }

    // Nothing lost: every rejected row is in the error file with the input's columns, the row, the
    // field and the reason.
    if (result->rows.rejected > 0) {
        ASSERT_EQ(result->errors_file, tmp / "errors.csv");
        auto rows = ParseCsvText(Slurp(result->errors_file)).value();
        ASSERT_EQ(static_cast<int64_t>(rows.size()), result->rows.rejected + 1);
        ASSERT_GE(rows[0].size(), 3u);
        EXPECT_EQ(rows[0][rows[0].size() - 3], "行号");
        EXPECT_EQ(rows[0][rows[0].size() - 2], "错误字段");
        EXPECT_EQ(rows[0].back(), "错误原因");
        for (size_t i = 1; i < rows.size(); ++i) {
            EXPECT_FALSE(rows[i][rows[i].size() - 2].empty());
            EXPECT_NE(rows[i].back().find(" / "), std::string::npos) << "both languages";
        }
    } else {
        EXPECT_TRUE(result->errors_file.empty());
        EXPECT_FALSE(fs::exists(tmp / "errors.csv"));
    }

    // A second import of the same file changes nothing.
    const auto log_before = store->LastChangeSeq().value();
    auto again = Import(*store, layout, (dir / "input.csv").string(), tmp / "errors2.csv");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->rows.inserted, 0);
    EXPECT_EQ(again->rows.updated, 0);
    EXPECT_EQ(again->rows.unchanged, result->rows.inserted + result->rows.updated + result->rows.unchanged);
    EXPECT_EQ(store->LastChangeSeq().value(), log_before) << "unchanged rows are not logged";
}

std::vector<std::string> AllCases() {
    auto items = CaseNames("assistance-import");
    auto income = CaseNames("income-import");
    items.insert(items.end(), income.begin(), income.end());
    return items;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LedgerCase, testing::ValuesIn(AllCases()),
                         [](const testing::TestParamInfo<std::string>& info) {
                             std::string name = info.param;
                             for (char& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return name;
                         });

// Items and income through every format: re-imported into the same registry nothing changes, and
// into a fresh registry they arrive equal (byte-for-byte in meaning).
class RoundTrip : public testing::TestWithParam<LedgerFormat> {};

TEST_P(RoundTrip, ItemsAndIncomeComeBackUnchanged) {
    TempDir tmp;
    const std::string ext = GetParam() == LedgerFormat::kXlsx ? ".xlsx" : ".csv";
    auto store = NewRegistry(tmp / "a.db", "assistance-import");
    for (const char* c : {"ok_chinese/input.csv", "update_by_code/input.csv"})
        ASSERT_TRUE(Import(*store, "assistance-import", (Fixtures("assistance-import") / c).string(), tmp / "e.csv"));
    ASSERT_TRUE(Import(*store, "income-import", (Fixtures("income-import") / "ok_chinese/input.csv").string(),
                       tmp / "e.csv"));
    const auto items = AllItems(*store);
    const auto income = AllIncome(*store);
    ASSERT_GE(items.size(), 6u);
    ASSERT_EQ(income.size(), 3u);

    const std::string items_file = tmp / ("items" + ext);
    const std::string income_file = tmp / ("income" + ext);
    ASSERT_EQ(ExportAssistance(*store, Chayu().plan, {.path = items_file, .format = GetParam()}).value(),
              static_cast<int64_t>(items.size()));
    ASSERT_EQ(ExportIncome(*store, {.path = income_file, .format = GetParam()}).value(), 3);

    auto same = Import(*store, "assistance-import", items_file, tmp / "e1.csv");
    ASSERT_TRUE(same) << same.error().ToString();
    EXPECT_EQ(same->rows.unchanged, static_cast<int64_t>(items.size())) << same->ToJson();
    EXPECT_EQ(same->rows.rejected + same->rows.inserted + same->rows.updated, 0);
    auto same_income = Import(*store, "income-import", income_file, tmp / "e2.csv");
    ASSERT_TRUE(same_income) << same_income.error().ToString();
    EXPECT_EQ(same_income->rows.unchanged, 3) << same_income->ToJson();

    auto fresh = NewRegistry(tmp / "b.db", "assistance-import");
    auto loaded = Import(*fresh, "assistance-import", items_file, tmp / "e3.csv");
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->rows.inserted, static_cast<int64_t>(items.size())) << loaded->ToJson();
    auto loaded_income = Import(*fresh, "income-import", income_file, tmp / "e4.csv");
    ASSERT_TRUE(loaded_income);
    EXPECT_EQ(loaded_income->rows.inserted, 3);
    const auto items2 = AllItems(*fresh);
    ASSERT_EQ(items2.size(), items.size());
    for (size_t i = 0; i < items.size(); ++i) {
        EXPECT_EQ(items2[i].item, items[i].item) << items[i].item.item_code;
        EXPECT_EQ(items2[i].division_code, items[i].division_code);
    }
    const auto income2 = AllIncome(*fresh);
    ASSERT_EQ(income2.size(), income.size());
    for (size_t i = 0; i < income.size(); ++i) EXPECT_EQ(income2[i].record, income[i].record);

    // The same export from the copy gives the same bytes (CSV) — the export is deterministic.
    if (GetParam() != LedgerFormat::kXlsx) {
        const std::string again = tmp / ("items-again" + ext);
        ASSERT_TRUE(ExportAssistance(*fresh, Chayu().plan, {.path = again, .format = GetParam()}));
        EXPECT_EQ(Slurp(again), Slurp(items_file));
    }
}

INSTANTIATE_TEST_SUITE_P(Formats, RoundTrip,
                         testing::Values(LedgerFormat::kCsv, LedgerFormat::kCsvNoBom, LedgerFormat::kGb18030,
                                         LedgerFormat::kXlsx),
                         [](const testing::TestParamInfo<LedgerFormat>& info) {
                             switch (info.param) {
                                 case LedgerFormat::kCsv: return std::string("csv");
                                 case LedgerFormat::kCsvNoBom: return std::string("csv_nobom");
                                 case LedgerFormat::kGb18030: return std::string("gb18030");
                                 case LedgerFormat::kXlsx: return std::string("xlsx");
                             }
                             return std::string();
                         });

TEST(LedgerExport, Gb18030IsGb18030AndXlsxHasTypedCells) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "a.db", "assistance-import");
    ASSERT_TRUE(Import(*store, "assistance-import", (Fixtures("assistance-import") / "ok_chinese/input.csv").string(),
                       tmp / "e.csv"));
    ASSERT_TRUE(ExportAssistance(*store, Chayu().plan, {.path = tmp / "g.csv", .format = LedgerFormat::kGb18030}));
    const std::string bytes = Slurp(tmp / "g.csv");
    EXPECT_EQ(bytes.substr(0, 12), table_test::ToGb18030("帮扶项目编号"));
    ASSERT_TRUE(ExportAssistance(*store, Chayu().plan, {.path = tmp / "x.xlsx", .format = LedgerFormat::kXlsx}));
    auto table = OpenTable(tmp / "x.xlsx").value();
    std::vector<Cell> row;
    ASSERT_TRUE(table->Next(row).value());  // header
    ASSERT_TRUE(table->Next(row).value());
    EXPECT_FALSE(row[0].numeric);  // item code: text
    EXPECT_TRUE(row[6].numeric);   // start date: a date serial
    EXPECT_EQ(row[6].text, "42491");  // 2016-05-01
    EXPECT_TRUE(row[8].numeric);   // amount: a number
    EXPECT_EQ(row[8].text, "3000");
}

TEST(LedgerExport, FiltersByUnitMeasureAndPeriod) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "a.db", "assistance-import");
    ASSERT_TRUE(Import(*store, "assistance-import", (Fixtures("assistance-import") / "ok_chinese/input.csv").string(),
                       tmp / "e.csv"));
    const Plan& plan = Chayu().plan;
    EXPECT_EQ(ExportAssistance(*store, plan, {.path = tmp / "1.csv", .measure = 8}).value(), 1);
    EXPECT_EQ(ExportAssistance(*store, plan, {.path = tmp / "2.csv", .division_prefix = "540425100"}).value(), 4);
    EXPECT_EQ(ExportAssistance(*store, plan, {.path = tmp / "3.csv", .division_prefix = "540425101"}).value(), 0);
    // In force during [from, to] (AssistanceItem::ActiveDuring: started by `to`, not ended before
    // `from`): before May 2016 only the 低保 payment had started; in 2018 the ranger post had ended.
    EXPECT_EQ(ExportAssistance(*store, plan,
                               {.path = tmp / "4.csv", .from = Date{2016, 1, 1}, .to = Date{2016, 4, 30}})
                  .value(),
              1);
    EXPECT_EQ(ExportAssistance(*store, plan, {.path = tmp / "5.csv", .from = Date{2018, 1, 1}}).value(), 3);
    ASSERT_TRUE(Import(*store, "income-import", (Fixtures("income-import") / "ok_chinese/input.csv").string(),
                       tmp / "e.csv"));
    EXPECT_EQ(ExportIncome(*store, {.path = tmp / "7.csv", .year = 2016}).value(), 2);
    EXPECT_EQ(ExportIncome(*store, {.path = tmp / "6.csv", .from_year = 2017}).value(), 1);
}

TEST(LedgerImport, ErrorFileNamesFieldsAsTheFileDoes) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "a.db", "assistance-import");
    const std::string path = tmp / "en.csv";
    table_test::WriteBytes(path,
                          "household_code,measure,category,kind,start_date,amount\n"
                          "Z999,1,10,1,2016-05-01,100\n"
                          "A001,1,10,1,2016-05-01,x\n");
    auto r = Import(*store, "assistance-import", path, tmp / "errors.csv");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rows.rejected, 2);
    auto rows = ParseCsvText(Slurp(tmp / "errors.csv")).value();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"household_code", "measure", "category", "kind", "start_date",
                                                 "amount", "行号", "错误字段", "错误原因"}));
    EXPECT_EQ(rows[1][6], "2");
    EXPECT_EQ(rows[1][7], "household_code");
    EXPECT_EQ(rows[2][6], "3");
    EXPECT_EQ(rows[2][7], "amount");
    EXPECT_EQ(rows[2][5], "x");
}

TEST(LedgerImport, DeletedItemIsReadOnly) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "a.db", "assistance-import");
    ASSERT_TRUE(Import(*store, "assistance-import", (Fixtures("assistance-import") / "ok_chinese/input.csv").string(),
                       tmp / "e.csv"));
    auto before = store->FindAssistance("A001-001").value();
    ASSERT_TRUE(before);
    AssistanceRecord after = *before;
    after.deleted = true;
    after.delete_reason = "重复录入";
    after.version = before->version + 1;
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->UpdateAssistance(*before, after, kChange));
    ASSERT_TRUE(store->Commit());
    const std::string path = tmp / "del.csv";
    table_test::WriteBytes(path,
                          "帮扶项目编号,户编号,帮扶措施,帮扶类别,帮扶方式,开始日期,金额(元)\n"
                          "A001-001,A001,产业扶持,产业扶持,现金,2016-05-01,3100\n");
    auto r = Import(*store, "assistance-import", path, tmp / "errors.csv");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->errors.size(), 1u);
    EXPECT_EQ(r->errors[0].code, "assistance.deleted");
    EXPECT_EQ(r->errors[0].field, "item_code");
}

TEST(LedgerImport, DeregisteredHouseholdsLedgerIsReadOnly) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "a.db", "assistance-import");
    const std::string items = (Fixtures("assistance-import") / "ok_chinese/input.csv").string();
    const std::string income = (Fixtures("income-import") / "ok_chinese/input.csv").string();
    ASSERT_TRUE(Import(*store, "assistance-import", items, tmp / "e.csv"));
    ASSERT_TRUE(Import(*store, "income-import", income, tmp / "e.csv"));
    // B001 leaves the registry (销户): a closed deregistration case, the household removed.
    auto b = store->FindHousehold("B001").value();
    ASSERT_TRUE(b);
    ProcedureCase c{.kind = ProcedureKind::kDeregistration,
                    .household_code = "B001",
                    .division_code = b->household.division_code,
                    .year = 2017,
                    .state = "done",
                    .open = false,
                    .persons = 2};
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->InsertCase(c, kChange));
    ASSERT_TRUE(store->DeleteHousehold(*b, kChange));
    ASSERT_TRUE(store->Commit());
    ASSERT_TRUE(store->IsDeregistered("B001").value());

    // Its rows as they are stored come back unchanged; a changed one is refused.
    auto same = Import(*store, "assistance-import", items, tmp / "e1.csv");
    ASSERT_TRUE(same);
    EXPECT_EQ(same->rows.unchanged, 4) << same->ToJson();
    auto same_income = Import(*store, "income-import", income, tmp / "e2.csv");
    ASSERT_TRUE(same_income);
    EXPECT_EQ(same_income->rows.unchanged, 3) << same_income->ToJson();
    const std::string path = tmp / "changed.csv";
    table_test::WriteBytes(path,
                           "帮扶项目编号,户编号,受益成员身份证号,帮扶措施,帮扶类别,帮扶方式,开始日期,周期金额(元),发放周期,备注,签收日期,签收人\n"
                           "B001-001,B001,540425195501010133;540425196006060242,社保兜底扶贫,社保兜底,现金,2016-01-01,"
                           "1500,按年,低保,2016-01-10,格桑\n");
    auto changed = Import(*store, "assistance-import", path, tmp / "e3.csv");
    ASSERT_TRUE(changed);
    ASSERT_EQ(changed->errors.size(), 1u);
    EXPECT_EQ(changed->errors[0].code, "household.deregistered");
    EXPECT_EQ(changed->errors[0].field, "household_code");
}

TEST(LedgerImport, HouseholdsOutsideTheScopeAreNotFound) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "a.db", "assistance-import");
    auto r = Import(*store, "assistance-import", (Fixtures("assistance-import") / "ok_chinese/input.csv").string(),
                    tmp / "errors.csv", "540425101");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rows.rejected, 4);
    for (const Error& e : r->errors) EXPECT_EQ(e.code, "household.not_found");
    auto income = Import(*store, "income-import", (Fixtures("income-import") / "ok_chinese/input.csv").string(),
                         tmp / "errors2.csv", "540425101");
    ASSERT_TRUE(income);
    EXPECT_EQ(income->rows.rejected, 3);
    EXPECT_TRUE(AllItems(*store).empty());
}

TEST(LedgerImport, UnusableFilesChangeNothing) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "a.db", "assistance-import");
    auto missing = Import(*store, "assistance-import", tmp / "nope.csv", tmp / "errors.csv");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "file.open");
    table_test::WriteBytes(tmp / "empty.csv", "户编号,帮扶措施,帮扶类别,帮扶方式,开始日期\n");
    auto empty = Import(*store, "assistance-import", tmp / "empty.csv", tmp / "errors.csv");
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, "import.empty");
    table_test::WriteBytes(tmp / "twice.csv", "户编号,household_code,帮扶措施,帮扶类别,帮扶方式,开始日期\n");
    auto twice = Import(*store, "assistance-import", tmp / "twice.csv", tmp / "errors.csv");
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, "import.duplicate_column");
}

}  // namespace
}  // namespace jz::io

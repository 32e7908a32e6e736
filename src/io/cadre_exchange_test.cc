// The cadres' exchange file (issue 15): data-driven cases from tests/fixtures/cadre-import
// (before.csv imported first when there, then input.csv, checked against expect.txt: "rows: ...",
// "error: <row> <field> <code>", "warning: <row> <field> <code>", "fails: <code>", "rank: <name>
// <code>", "township: <name> <code or ->"), round trips through every format, the error file,
// scope, idempotence and nothing applied when the file is unusable.
#include "io/cadre_exchange.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/test_support.h"
#include "io/table.h"
#include "io/table_test_support.h"
#include "store/sqlite_store.h"

namespace jz::io {
namespace {

namespace fs = std::filesystem;
using testing_support::Chayu;
using testing_support::Slurp;

const ChangeContext kChange{"test", "2026-01-02T00:00:00Z"};

fs::path Fixtures() { return fs::path(JZ_SOURCE_DIR) / "tests/fixtures/cadre-import"; }

std::unique_ptr<Store> NewStore(const std::string& db) {
    auto store = OpenSqliteStore(db, OpenMode::kCreate).value();
    EXPECT_TRUE(store->Begin());
    EXPECT_TRUE(store->SaveOrgUnits(Chayu().tree, kChange));
    EXPECT_TRUE(store->SavePlan(Chayu().plan.id, Chayu().toml, kChange));
    EXPECT_TRUE(store->Commit());
    return store;
}

Result<LedgerImportSummary> Import(Store& store, const std::string& path, const std::string& errors,
                                   const std::string& scope = {}) {
    ImportOptions options{path, "", errors, kChange};
    options.scope = scope;
    return ImportCadres(store, Chayu().plan, Chayu().tree, options);
}

std::vector<CadreRecord> All(Store& store) { return store.ListCadres({.limit = 100000}).value(); }

std::string Counts(const LedgerImportSummary& s) {
    std::ostringstream o;
    o << "rows: read=" << s.rows.read << " inserted=" << s.rows.inserted << " updated=" << s.rows.updated
      << " unchanged=" << s.rows.unchanged << " rejected=" << s.rows.rejected;
    return o.str();
}

class CadreCase : public testing::TestWithParam<std::string> {};

TEST_P(CadreCase, MatchesExpectation) {
    const fs::path dir = Fixtures() / GetParam();
    table_test::TempDir tmp;
    auto store = NewStore(tmp.File("db.sqlite"));
    if (fs::exists(dir / "before.csv")) {
        auto before = Import(*store, (dir / "before.csv").string(), tmp.File("before-errors.csv"));
        ASSERT_TRUE(before) << before.error().ToString();
        ASSERT_EQ(before->rows.rejected, 0);
    }
    const auto log_before = store->LastChangeSeq().value();
    auto summary = Import(*store, (dir / "input.csv").string(), tmp.File("errors.csv"));
    std::istringstream expect(Slurp(dir / "expect.txt"));
    std::set<std::string> want_errors, got_errors, want_warnings, got_warnings;
    if (summary) {
        for (const Error& e : summary->errors)
            got_errors.insert(std::to_string(e.row) + " " + e.field + " " + e.code);
        for (const Error& e : summary->warnings)
            got_warnings.insert(std::to_string(e.row) + " " + e.field + " " + e.code);
    }
    const auto cadres = All(*store);
    for (std::string line; std::getline(expect, line);) {
        if (line.empty()) continue;
        if (line.starts_with("fails: ")) {
            ASSERT_FALSE(summary) << "expected a failure";
            EXPECT_EQ(summary.error().code, line.substr(7));
            EXPECT_EQ(store->LastChangeSeq().value(), log_before) << "a failed import changed nothing";
            continue;
        }
        ASSERT_TRUE(summary) << summary.error().ToString();
        if (line.starts_with("rows: ")) {
            EXPECT_EQ(Counts(*summary), line);
        } else if (line.starts_with("error: ")) {
            want_errors.insert(line.substr(7));
        } else if (line.starts_with("warning: ")) {
            want_warnings.insert(line.substr(9));
        } else if (line.starts_with("rank: ") || line.starts_with("township: ")) {
            std::istringstream parts(line.substr(line.find(' ') + 1));
            std::string name, value;
            parts >> name >> value;
            int seen = 0;
            for (const CadreRecord& r : cadres) {
                if (r.cadre.name != name) continue;
                ++seen;
                if (line.starts_with("rank: "))
                    EXPECT_EQ(std::to_string(r.cadre.rank), value) << name;
                else
                    EXPECT_EQ(r.cadre.township_code.empty() ? "-" : r.cadre.township_code, value) << name;
            }
            EXPECT_GT(seen, 0) << "no cadre named " << name;
        } else {
            ADD_FAILURE() << "unknown expectation: " << line;
        }
    }
    if (summary) {
        EXPECT_EQ(got_errors, want_errors);
        EXPECT_EQ(got_warnings, want_warnings);
        EXPECT_EQ(summary->errors_file.empty(), summary->rows.rejected == 0);
    }
}

std::vector<std::string> CaseNames() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(Fixtures()))
        if (entry.is_directory()) names.push_back(entry.path().filename().string());
    std::ranges::sort(names);
    return names;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CadreCase, testing::ValuesIn(CaseNames()),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

class CadreRoundTrip : public testing::TestWithParam<LedgerFormat> {};

TEST_P(CadreRoundTrip, ExportedCadresComeBackUnchanged) {
    table_test::TempDir tmp;
    auto store = NewStore(tmp.File("db.sqlite"));
    auto first = Import(*store, (Fixtures() / "new_cadres" / "input.csv").string(), tmp.File("e1.csv"));
    ASSERT_TRUE(first && first->rows.inserted == 4);
    const std::string ext = GetParam() == LedgerFormat::kXlsx ? ".xlsx" : ".csv";
    const std::string out = tmp.File("cadres" + ext);
    auto written = ExportCadres(*store, {.path = out, .format = GetParam()});
    ASSERT_TRUE(written) << written.error().ToString();
    EXPECT_EQ(*written, 4);
    // Into the same database: nothing changes (matched by cadre_id).
    const auto seq = store->LastChangeSeq().value();
    auto again = Import(*store, out, tmp.File("e2.csv"));
    ASSERT_TRUE(again) << again.error().ToString();
    EXPECT_EQ(Counts(*again), "rows: read=4 inserted=0 updated=0 unchanged=4 rejected=0");
    // Only the import record itself was logged, no cadre.
    const std::vector<ChangeLogEntry> logged = store->ChangeLog({.after_seq = seq}).value();
    for (const ChangeLogEntry& e : logged) EXPECT_NE(e.entity, "cadre");
    // Into a new database the same cadres arrive, with the same ids.
    auto fresh = NewStore(tmp.File("fresh.sqlite"));
    const std::string without_ids = tmp.File("no-ids.csv");
    std::vector<Cadre> cadres;
    for (const CadreRecord& r : All(*store)) cadres.push_back(r.cadre);
    ASSERT_TRUE(WriteCadres(cadres, without_ids, LedgerFormat::kCsv));
    auto loaded = Import(*fresh, without_ids, tmp.File("e3.csv"));
    ASSERT_TRUE(loaded && loaded->rows.inserted == 4);
    std::vector<Cadre> copied;
    for (const CadreRecord& r : All(*fresh)) copied.push_back(r.cadre);
    EXPECT_EQ(copied, cadres);
}

INSTANTIATE_TEST_SUITE_P(Formats, CadreRoundTrip,
                         testing::Values(LedgerFormat::kCsv, LedgerFormat::kCsvNoBom, LedgerFormat::kGb18030,
                                         LedgerFormat::kXlsx));

TEST(CadreExport, FiltersByUnitAndRankAndMasks) {
    table_test::TempDir tmp;
    auto store = NewStore(tmp.File("db.sqlite"));
    ASSERT_TRUE(Import(*store, (Fixtures() / "new_cadres" / "input.csv").string(), tmp.File("e.csv")));
    auto count = [&](CadreExportOptions o) {
        o.path = tmp.File("x.csv");
        return ExportCadres(*store, o).value();
    };
    EXPECT_EQ(count({}), 4);
    EXPECT_EQ(count({.division_prefix = "540425100"}), 2);  // 扎西次仁, 卓玛
    EXPECT_EQ(count({.division_prefix = "540425101"}), 1);
    EXPECT_EQ(count({.rank = 1}), 1);
    EXPECT_EQ(count({.rank = 9}), 1);
    const std::string masked = tmp.File("masked.csv");
    ASSERT_TRUE(ExportCadres(*store, {.path = masked, .mask_personal = true}));
    const std::string text = Slurp(masked);
    EXPECT_EQ(text.find("540402197803120017"), std::string::npos);
    EXPECT_EQ(text.find("13908941234"), std::string::npos);
    EXPECT_NE(text.find("扎西次仁"), std::string::npos);
}

TEST(CadreImport, ErrorFileKeepsTheRowsAsTheFileHadThem) {
    table_test::TempDir tmp;
    auto store = NewStore(tmp.File("db.sqlite"));
    auto s = Import(*store, (Fixtures() / "bad_rows" / "input.csv").string(), tmp.File("errors.csv"));
    ASSERT_TRUE(s);
    ASSERT_FALSE(s->errors_file.empty());
    const std::string text = Slurp(s->errors_file);
    EXPECT_NE(text.find("错误原因"), std::string::npos);
    EXPECT_NE(text.find("处级"), std::string::npos);
    EXPECT_NE(text.find("职级"), std::string::npos);
    EXPECT_TRUE(All(*store).empty());
}

TEST(CadreImport, ScopeKeepsOtherTownshipsOut) {
    table_test::TempDir tmp;
    auto store = NewStore(tmp.File("db.sqlite"));
    auto s = Import(*store, (Fixtures() / "new_cadres" / "input.csv").string(), tmp.File("errors.csv"), "540425100");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->rows.inserted, 2);  // 扎西次仁 and 卓玛 of 竹瓦根镇
    EXPECT_EQ(s->rows.rejected, 2);  // the county-wide 王建国 and 上察隅镇's 次仁多吉
    for (const Error& e : s->errors) EXPECT_EQ(e.code, "cadre.out_of_scope");
}

TEST(CadreImport, UnusableFilesChangeNothing) {
    table_test::TempDir tmp;
    auto store = NewStore(tmp.File("db.sqlite"));
    const auto seq = store->LastChangeSeq().value();
    EXPECT_EQ(Import(*store, tmp.File("missing.csv"), tmp.File("e.csv")).error().code, "file.open");
    const std::string empty = tmp.File("empty.csv");
    std::ofstream(empty) << "姓名,职级\n";
    EXPECT_EQ(Import(*store, empty, tmp.File("e.csv")).error().code, "import.empty");
    const std::string twice = tmp.File("twice.csv");
    std::ofstream(twice) << "姓名,name\n扎西,扎西\n";
    EXPECT_EQ(Import(*store, twice, tmp.File("e.csv")).error().code, "import.duplicate_column");
    EXPECT_EQ(store->LastChangeSeq().value(), seq);
    EXPECT_FALSE(fs::exists(tmp.File("e.csv")));
}

}  // namespace
}  // namespace jz::io

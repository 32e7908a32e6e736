// Data-driven import tests: each folder of tests/fixtures/import holds input.csv, optionally
// before.csv (imported first), and expect.txt with the summary counts and every expected error and
// warning as "error: <row> <field> <code>". A new case is a new folder.
#include "io/importer.h"

#include <gtest/gtest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <fstream>
#include <set>
#include <sstream>

#include "core/codes.h"
#include "generator/generator.h"
#include "core/id_number.h"
#include "core/test_support.h"
#include "io/exporter.h"
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
    TempDir() {
        static int counter = 0;
        path_ = fs::temp_directory_path() /
                ("jz-import-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() { fs::remove_all(path_); }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }

  private:
    fs::path path_;
};

std::unique_ptr<Store> NewRegistry(const std::string& db) {
    auto store = OpenSqliteStore(db, OpenMode::kCreate).value();
    EXPECT_TRUE(store->Begin());
    EXPECT_TRUE(store->SaveOrgUnits(Chayu().tree, {"test", "2026-01-01T00:00:00Z"}));
    EXPECT_TRUE(store->SavePlan(Chayu().plan.id, Chayu().toml, {"test", "2026-01-01T00:00:00Z"}));
    EXPECT_TRUE(store->Commit());
    return store;
}

Result<ImportSummary> Import(Store& store, const std::string& path, const std::string& errors = {}) {
    return ImportRegistry(store, Chayu().plan, Chayu().tree,
                          {path, "", errors, {"test", "2026-01-02T00:00:00Z"}});
}

std::string Counts(const ImportSummary& s) {
    std::ostringstream o;
    o << "households: read=" << s.households.read << " inserted=" << s.households.inserted
      << " updated=" << s.households.updated << " unchanged=" << s.households.unchanged
      << " rejected=" << s.households.rejected << "\npersons: read=" << s.persons.read
      << " accepted=" << s.persons.accepted << " rejected=" << s.persons.rejected;
    return o.str();
}

std::vector<std::string> CaseNames() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(fs::path(JZ_SOURCE_DIR) / "tests/fixtures/import"))
        if (entry.is_directory()) names.push_back(entry.path().filename().string());
    std::ranges::sort(names);
    return names;
}

class ImportCase : public testing::TestWithParam<std::string> {};

TEST_P(ImportCase, MatchesExpectation) {
    const fs::path dir = fs::path(JZ_SOURCE_DIR) / "tests/fixtures/import" / GetParam();
    TempDir tmp;
    auto store = NewRegistry(tmp / "registry.db");
    if (fs::exists(dir / "before.csv")) {
        auto before = Import(*store, (dir / "before.csv").string(), tmp / "before-errors.csv");
        ASSERT_TRUE(before) << before.error().ToString();
        ASSERT_EQ(before->households.rejected, 0);
    }
    auto households_before = store->CountHouseholds().value();

    std::string expected_counts, expected_fail, expected_encoding;
    std::multiset<std::string> expected_errors, expected_warnings;
    std::istringstream expect(Slurp(dir / "expect.txt"));
    for (std::string line; std::getline(expect, line);) {
        if (line.starts_with("households:") || line.starts_with("persons:"))
            expected_counts += (expected_counts.empty() ? "" : "\n") + line;
        else if (line.starts_with("error: "))
            expected_errors.insert(line.substr(7));
        else if (line.starts_with("warning: "))
            expected_warnings.insert(line.substr(9));
        else if (line.starts_with("fails: "))
            expected_fail = line.substr(7);
        else if (line.starts_with("encoding: "))
            expected_encoding = line.substr(10);
    }

    auto result = Import(*store, (dir / "input.csv").string(), tmp / "errors.csv");
    if (!expected_fail.empty()) {
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().code, expected_fail);
        EXPECT_EQ(store->CountHouseholds().value(), households_before)
            << "a failed import must change nothing";
        return;
    }
    ASSERT_TRUE(result) << result.error().ToString();
    EXPECT_EQ(Counts(*result), expected_counts);
    std::multiset<std::string> errors, warnings;
    for (const Error& e : result->errors) errors.insert(std::to_string(e.row) + " " + e.field + " " + e.code);
    for (const Error& w : result->warnings)
        warnings.insert(std::to_string(w.row) + " " + w.field + " " + w.code);
    EXPECT_EQ(errors, expected_errors);
    EXPECT_EQ(warnings, expected_warnings);
    if (!expected_encoding.empty()) {
        EXPECT_EQ(result->encoding, expected_encoding);
    }
    for (const Error& e : result->errors) {
        EXPECT_FALSE(e.message_zh.empty());
        EXPECT_FALSE(e.message_en.empty());
    }

    // Nothing lost: every row of every rejected household is in the error file, with its reason.
    if (result->households.rejected > 0) {
        ASSERT_EQ(result->errors_file, tmp / "errors.csv");
        auto rows = ParseCsvText(Slurp(result->errors_file)).value();
        ASSERT_EQ(static_cast<int64_t>(rows.size()), result->persons.rejected + 1);
        EXPECT_EQ(rows[0].back(), "错误原因");
        for (size_t i = 1; i < rows.size(); ++i) EXPECT_FALSE(rows[i].back().empty());
    } else {
        EXPECT_TRUE(result->errors_file.empty());
        EXPECT_FALSE(fs::exists(tmp / "errors.csv"));
    }

    // A second import of the same file changes nothing.
    auto again = Import(*store, (dir / "input.csv").string(), tmp / "errors2.csv");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->households.inserted, 0);
    EXPECT_EQ(again->households.updated, 0);
    EXPECT_EQ(again->households.unchanged,
              result->households.inserted + result->households.updated + result->households.unchanged);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ImportCase, testing::ValuesIn(CaseNames()),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(Import, UpdateRemovesMissingMemberAndLogsBeforeAndAfter) {
    const fs::path dir = fs::path(JZ_SOURCE_DIR) / "tests/fixtures/import/update_by_household_code";
    TempDir tmp;
    auto store = NewRegistry(tmp / "registry.db");
    ASSERT_TRUE(Import(*store, (dir / "before.csv").string()));
    ASSERT_EQ(store->FindHousehold("A001").value()->household.members.size(), 4u);
    ASSERT_TRUE(Import(*store, (dir / "input.csv").string()));
    auto a = store->FindHousehold("A001").value();
    ASSERT_TRUE(a);
    EXPECT_EQ(a->household.members.size(), 3u);
    EXPECT_EQ(a->household.net_income_per_head, 310050);
    EXPECT_EQ(a->version, 2);
    auto log = store->ChangeLog({.entity_key = "A001"}).value();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].action, "insert");
    EXPECT_EQ(log[1].action, "update");
    EXPECT_NE(log[1].before_json.find("央金"), std::string::npos);
    EXPECT_EQ(log[1].after_json.find("央金"), std::string::npos);
    EXPECT_TRUE(log[1].import_id.has_value());
}

// The pairing cadre's name in the registry becomes a cadre (rank unknown) and the household's
// current pairing, in the import's transaction; a changed name moves the pairing, an emptied one
// ends it, and importing the same file again changes nothing.
TEST(Import, PairingNamesBecomeCadresAndPairings) {
    const fs::path dir = fs::path(JZ_SOURCE_DIR) / "tests/fixtures/import/update_by_household_code";
    TempDir tmp;
    auto store = NewRegistry(tmp / "registry.db");
    ASSERT_TRUE(Import(*store, (dir / "before.csv").string()));
    const auto a001 = store->CurrentPairing("A001").value();
    ASSERT_TRUE(a001);
    EXPECT_EQ(a001->from, (Date{2026, 1, 2}));
    EXPECT_EQ(a001->reason, "import / 导入");
    const CadreRecord zhang = store->FindCadre(a001->cadre_id).value().value();
    EXPECT_EQ(zhang.cadre.name, "张伟");
    EXPECT_EQ(zhang.cadre.rank, kRankUnknown);
    EXPECT_EQ(zhang.cadre.township_code, "540425100");
    const int64_t pairings = static_cast<int64_t>(store->ListPairings({}).value().size());
    EXPECT_GT(pairings, 0);
    auto pairing_entries = [&] {
        return store->ChangeLog({.entity = "pairing"}).value().size() + store->ChangeLog({.entity = "cadre"}).value().size();
    };
    const size_t entries = pairing_entries();
    ASSERT_TRUE(Import(*store, (dir / "before.csv").string()));
    EXPECT_EQ(pairing_entries(), entries) << "the same file again changes nothing";

    // A001 gets another name, A002's (if any) is emptied.
    std::string text = Slurp(dir / "before.csv");
    std::istringstream lines(text);
    std::string changed, line;
    std::getline(lines, line);
    changed += line + "\n";
    while (std::getline(lines, line)) {
        if (line.starts_with("A001,")) {
            const size_t at = line.find(",张伟,");
            if (at != std::string::npos) line.replace(at, std::string(",张伟,").size(), ",李娜,");
        }
        changed += line + "\n";
    }
    const std::string moved = tmp / "moved.csv";
    std::ofstream(moved) << changed;
    auto r = Import(*store, moved);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->households.updated, 1);
    const std::vector<Pairing> history = store->ListPairings({.household_code = "A001"}).value();
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].to, std::optional<Date>(Date{2026, 1, 2}));
    EXPECT_EQ(store->FindCadre(history[1].cadre_id).value()->cadre.name, "李娜");
    EXPECT_TRUE(history[1].current());
    const size_t after_move = pairing_entries();
    ASSERT_TRUE(Import(*store, moved));
    EXPECT_EQ(pairing_entries(), after_move) << "the same file again changes nothing";
    EXPECT_TRUE(store->VerifyChangeLog().value().intact());
}

TEST(Import, FailedImportLeavesRegistryAsItWas) {
    const fs::path dir = fs::path(JZ_SOURCE_DIR) / "tests/fixtures/import/reject_check_digit";
    TempDir tmp;
    auto store = NewRegistry(tmp / "registry.db");
    // The error file cannot be written (its directory does not exist): the import fails as a whole.
    auto r = Import(*store, (dir / "input.csv").string(), tmp / "no/such/dir/errors.csv");
    ASSERT_FALSE(r);
    EXPECT_EQ(store->CountHouseholds().value(), 0);
    EXPECT_EQ(store->ChangeLog({.entity_key = "A001"}).value().size(), 0u);
}

TEST(Import, MissingFileIsAnError) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "registry.db");
    auto r = Import(*store, tmp / "nope.csv");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "file.open");
}

// Writes the fixture's rows into an .xlsx, the ID column as text except where `numeric_id_row`.
void WriteXlsx(const std::string& csv, const std::string& xlsx, int numeric_id_row) {
    auto rows = ParseCsvText(Slurp(csv)).value();
    lxw_workbook* wb = workbook_new(xlsx.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, "户");
    for (size_t r = 0; r < rows.size(); ++r)
        for (size_t c = 0; c < rows[r].size(); ++c) {
            if (static_cast<int>(r) + 1 == numeric_id_row && rows[0][c] == "证件号码")
                worksheet_write_number(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                                       std::stod(rows[r][c]), nullptr);
            else if (rows[0][c] == "识别年度" && r > 0)
                worksheet_write_number(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                                       std::stod(rows[r][c]), nullptr);
            else
                worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                                       rows[r][c].c_str(), nullptr);
        }
    ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
}

TEST(Import, XlsxWithNumericYearCellsIsAccepted) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "registry.db");
    WriteXlsx(std::string(JZ_SOURCE_DIR) + "/tests/fixtures/import/ok_basic/input.csv", tmp / "in.xlsx", -1);
    auto r = Import(*store, tmp / "in.xlsx");
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->encoding, "xlsx");
    EXPECT_EQ(r->households.inserted, 2);
}

TEST(Import, XlsxNumericIdCellIsAnErrorNeverRounded) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "registry.db");
    WriteXlsx(std::string(JZ_SOURCE_DIR) + "/tests/fixtures/import/ok_basic/input.csv", tmp / "in.xlsx", 6);
    auto r = Import(*store, tmp / "in.xlsx", tmp / "errors.xlsx");
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->households.inserted, 1);
    EXPECT_EQ(r->households.rejected, 1);
    ASSERT_FALSE(r->errors.empty());
    EXPECT_EQ(r->errors[0].code, "id_number.numeric_cell");
    EXPECT_EQ(r->errors[0].row, 6);
    EXPECT_TRUE(fs::exists(tmp / "errors.xlsx"));
}

// A generated county of `households` households (seed `seed`) as an import file in the layout.
void WriteGeneratedCsv(const fs::path& path, uint64_t seed, int64_t households) {
    GeneratorOptions options;
    options.seed = seed;
    options.households = households;
    auto generator = Generator::Create(Chayu().plan, Chayu().tree, options).value();
    auto writer = CreateCsvWriter(path).value();
    std::vector<std::string> line;
    for (const ColumnInfo& c : Columns()) line.emplace_back(c.zh);
    ASSERT_TRUE(writer->WriteRow(line));
    Household h;
    std::vector<LayoutRow> rows;
    while (generator->Next(h)) {
        rows.clear();
        FormatHousehold(h, Chayu().plan, rows);
        for (auto& r : rows) ASSERT_TRUE(writer->WriteRow(std::vector<std::string>(r.begin(), r.end())));
    }
    ASSERT_TRUE(writer->Close());
}

// export → import into an empty database → export gives the same bytes, for CSV and .xlsx.
TEST(RoundTrip, ExportImportExportIsByteIdentical) {
    TempDir tmp;
    WriteGeneratedCsv(tmp / "generated.csv", 7, 300);
    for (ExportFormat format : {ExportFormat::kCsv, ExportFormat::kXlsx}) {
        const std::string ext = format == ExportFormat::kCsv ? ".csv" : ".xlsx";
        auto first = NewRegistry(tmp / ("first" + ext + ".db"));
        auto imported = Import(*first, tmp / "generated.csv");
        ASSERT_TRUE(imported) << imported.error().ToString();
        ASSERT_EQ(imported->households.rejected, 0) << imported->ToJson();
        ASSERT_TRUE(ExportRegistry(*first, Chayu().plan, {tmp / ("one" + ext), format, "", false, {}, &Chayu().tree}));
        auto second = NewRegistry(tmp / ("second" + ext + ".db"));
        auto reimported = Import(*second, tmp / ("one" + ext));
        ASSERT_TRUE(reimported) << reimported.error().ToString();
        ASSERT_EQ(reimported->households.inserted, 300);
        // The .xlsx's name columns (乡镇名称, 村名称) are read past without a warning.
        EXPECT_TRUE(std::ranges::none_of(reimported->warnings, [](const Error& e) {
            return e.code == "import.unknown_column";
        })) << reimported->ToJson();
        ASSERT_TRUE(ExportRegistry(*second, Chayu().plan, {tmp / ("two" + ext), format, "", false, {}, &Chayu().tree}));
        EXPECT_EQ(Slurp(tmp / ("one" + ext)), Slurp(tmp / ("two" + ext))) << ext;
    }
}

// --- Issue 11: spreadsheets as office software writes them ----------------------------------------

using Rows = std::vector<std::vector<std::string>>;
// Decides a cell's kind: a number to write as a numeric cell, or nullopt for text (`text` may be
// rewritten). `row` is 0 for the header.
using CellKind = std::function<std::optional<double>(size_t row, const std::string& header, std::string& text)>;

Rows OkBasicRows() {
    return ParseCsvText(Slurp(std::string(JZ_SOURCE_DIR) + "/tests/fixtures/import/ok_basic/input.csv")).value();
}

void WriteWorkbook(const Rows& rows, const std::string& xlsx, const CellKind& kind,
                   const char* notes_sheet_first = nullptr) {
    lxw_workbook* wb = workbook_new(xlsx.c_str());
    if (notes_sheet_first) {
        lxw_worksheet* notes = workbook_add_worksheet(wb, notes_sheet_first);
        worksheet_write_string(notes, 0, 0, "填表说明:每人一行,户的信息在户主行填写", nullptr);
    }
    lxw_worksheet* ws = workbook_add_worksheet(wb, "户籍");
    for (size_t r = 0; r < rows.size(); ++r)
        for (size_t c = 0; c < rows[r].size(); ++c) {
            std::string text = rows[r][c];
            const auto row = static_cast<lxw_row_t>(r);
            const auto col = static_cast<lxw_col_t>(c);
            if (auto number = kind(r, rows[0][c], text))
                worksheet_write_number(ws, row, col, *number, nullptr);
            else
                worksheet_write_string(ws, row, col, text.c_str(), nullptr);
        }
    ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
}

// Marks the workbook as using the 1904 date system, as Excel for Mac and LibreOffice's option write it.
void SetDate1904(const std::string& xlsx) {
    int error = 0;
    zip_t* zip = zip_open(xlsx.c_str(), 0, &error);
    ASSERT_NE(zip, nullptr);
    zip_file_t* file = zip_fopen(zip, "xl/workbook.xml", 0);
    ASSERT_NE(file, nullptr);
    std::string xml;
    char buffer[4096];
    zip_int64_t got;
    while ((got = zip_fread(file, buffer, sizeof buffer)) > 0) xml.append(buffer, static_cast<size_t>(got));
    zip_fclose(file);
    const size_t at = xml.find("<workbookPr");
    ASSERT_NE(at, std::string::npos);
    xml.insert(at + std::string_view("<workbookPr").size(), " date1904=\"1\"");
    // libzip reads the buffer at zip_close.
    static std::string keep;
    keep = xml;
    zip_source_t* source = zip_source_buffer(zip, keep.data(), keep.size(), 0);
    ASSERT_GE(zip_file_add(zip, "xl/workbook.xml", source, ZIP_FL_OVERWRITE), 0);
    ASSERT_EQ(zip_close(zip), 0);
}

std::optional<double> Text(size_t, const std::string&, std::string&) { return std::nullopt; }

// Date serials: days since 1899-12-30 (1900 system, from 1900-03-01 on) or since 1904-01-01.
double Serial(const std::string& iso, bool date1904) {
    const long days = Date::Parse(iso).value().DaysSinceEpoch();
    return static_cast<double>(date1904 ? days + 24107 : days + 25569);
}

TEST(ImportXlsx, NumericHouseholdCodeIsRefusedNotChanged) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "registry.db");
    // 5404251000010005 and ...06 typed into a spreadsheet: stored with 15 significant digits.
    WriteWorkbook(OkBasicRows(), tmp / "in.xlsx", [](size_t r, const std::string& h, std::string& text) {
        if (r == 0 || h != "户编号") return std::optional<double>();
        return std::optional<double>(text == "A001" ? 5404251000010010.0 : 5404251000010020.0);
    });
    auto r = Import(*store, tmp / "in.xlsx");
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->households.inserted, 0);
    EXPECT_EQ(r->households.rejected, 2);
    ASSERT_EQ(r->errors.size(), 6u);
    for (const Error& e : r->errors) {
        EXPECT_EQ(e.code, "household_code.numeric_cell");
        EXPECT_EQ(e.field, "household_code");
        EXPECT_NE(e.message_en.find("store the column as text"), std::string::npos);
    }
    EXPECT_EQ(store->CountHouseholds().value(), 0);
}

TEST(ImportXlsx, NumericYyyymmddBirthDateIsADate) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "registry.db");
    WriteWorkbook(OkBasicRows(), tmp / "in.xlsx", [](size_t r, const std::string& h, std::string& text) {
        if (r == 0 || h != "出生日期") return std::optional<double>();
        std::erase(text, '-');
        return std::optional<double>(std::stod(text));  // 19700305
    });
    auto r = Import(*store, tmp / "in.xlsx");
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->households.inserted, 2) << r->ToJson();
}

TEST(ImportXlsx, NumericBirthDateThatIsNoDateShowsTheValue) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "registry.db");
    WriteWorkbook(OkBasicRows(), tmp / "in.xlsx", [](size_t r, const std::string& h, std::string&) {
        if (r != 1 || h != "出生日期") return std::optional<double>();
        return std::optional<double>(19701305);  // month 13
    });
    auto r = Import(*store, tmp / "in.xlsx");
    ASSERT_TRUE(r) << r.error().ToString();
    ASSERT_EQ(r->errors.size(), 1u);
    EXPECT_EQ(r->errors[0].code, "birth_date.format");
    EXPECT_NE(r->errors[0].message_zh.find("19701305"), std::string::npos) << r->errors[0].message_zh;
}

TEST(ImportXlsx, DateSerialsFollowTheWorkbooksDateSystem) {
    for (bool date1904 : {false, true}) {
        SCOPED_TRACE(date1904 ? "1904" : "1900");
        TempDir tmp;
        auto store = NewRegistry(tmp / "registry.db");
        WriteWorkbook(OkBasicRows(), tmp / "in.xlsx", [&](size_t r, const std::string& h, std::string& text) {
            if (r == 0 || h != "出生日期") return std::optional<double>();
            if (text.size() == 8) text = text.substr(0, 4) + "-" + text.substr(4, 2) + "-" + text.substr(6);
            return std::optional<double>(Serial(text, date1904));
        });
        if (date1904) SetDate1904(tmp / "in.xlsx");
        auto r = Import(*store, tmp / "in.xlsx");
        ASSERT_TRUE(r) << r.error().ToString();
        EXPECT_EQ(r->households.inserted, 2) << r->ToJson();
    }
}

TEST(ImportXlsx, Excel1900LeapYearBug) {
    // Serial 1 is 1900-01-01 and 59 is 1900-02-28 (Excel counts a 1900-02-29, serial 60); 61 is
    // 1900-03-01. Before the fix serials 1-59 came out one day early.
    Rows rows = OkBasicRows();
    rows.resize(3);
    const size_t id = std::ranges::find(rows[0], "证件号码") - rows[0].begin();
    const size_t birth = std::ranges::find(rows[0], "出生日期") - rows[0].begin();
    const size_t sex = std::ranges::find(rows[0], "性别") - rows[0].begin();
    const Date dates[] = {{1900, 1, 1}, {1900, 2, 28}, {1900, 3, 1}};
    const double serials[] = {1, 59, 61};
    const std::vector<std::string> spouse = rows[2];
    rows.push_back(spouse);
    for (int i = 0; i < 3; ++i) {
        rows[1 + i][id] = MakeIdNumber("540425", dates[i], 11 + 2 * i);  // odd: male
        rows[1 + i][sex] = "男";
        rows[1 + i][birth] = std::to_string(serials[i]);
    }
    rows[3][std::ranges::find(rows[0], "与户主关系") - rows[0].begin()] = "之子";
    for (bool phantom : {false, true}) {
        TempDir tmp;
        auto store = NewRegistry(tmp / "registry.db");
        if (phantom) rows[3][birth] = "60";
        WriteWorkbook(rows, tmp / "in.xlsx", [](size_t r, const std::string& h, std::string& text) {
            if (r == 0 || h != "出生日期") return std::optional<double>();
            return std::optional<double>(std::stod(text));
        });
        auto r = Import(*store, tmp / "in.xlsx");
        ASSERT_TRUE(r) << r.error().ToString();
        if (!phantom) {
            EXPECT_EQ(r->households.inserted, 1) << r->ToJson();
        } else {
            ASSERT_EQ(r->errors.size(), 1u) << r->ToJson();
            EXPECT_EQ(r->errors[0].code, "birth_date.format");
            EXPECT_NE(r->errors[0].message_en.find("1900-02-29"), std::string::npos);
        }
    }
}

TEST(ImportXlsx, RegistryOnAnotherSheetIsNamed) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "registry.db");
    WriteWorkbook(OkBasicRows(), tmp / "in.xlsx", Text, "说明");
    auto r = Import(*store, tmp / "in.xlsx");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "import.missing_columns");
    EXPECT_NE(r.error().message_zh.find("读取的是工作表“说明”"), std::string::npos) << r.error().message_zh;
    EXPECT_NE(r.error().message_zh.find("工作表“户籍”含有所需的列"), std::string::npos);
    EXPECT_NE(r.error().message_en.find("in sheet \"说明\"; sheet \"户籍\" has the required columns"),
              std::string::npos)
        << r.error().message_en;
    auto chosen = ImportRegistry(*store, Chayu().plan, Chayu().tree,
                                 {tmp / "in.xlsx", "户籍", "", {"test", "2026-01-02T00:00:00Z"}});
    ASSERT_TRUE(chosen) << chosen.error().ToString();
    EXPECT_EQ(chosen->households.inserted, 2);
}

// 僜人 and 夏尔巴人 are kept under code 97 with their own name, and shown again on export and in
// the household JSON.
TEST(Import, UnidentifiedEthnicGroupRoundTrips) {
    const fs::path dir = fs::path(JZ_SOURCE_DIR) / "tests/fixtures/import/ethnicity_unidentified_group";
    TempDir tmp;
    auto store = NewRegistry(tmp / "registry.db");
    ASSERT_TRUE(Import(*store, (dir / "input.csv").string()));
    auto a = store->FindHousehold("A001").value();
    ASSERT_TRUE(a);
    EXPECT_EQ(a->household.members[0].ethnicity, codes::kEthnicityOther);
    EXPECT_EQ(a->household.members[0].ethnicity_name, "僜人");
    EXPECT_EQ(a->household.members[1].ethnicity_name, "僜人");  // written 僜
    EXPECT_NE(HouseholdToJson(a->household).find(R"("ethnicity":97,"ethnicity_name":"僜人")"), std::string::npos)
        << HouseholdToJson(a->household);
    auto b = store->FindHousehold("B001").value();
    EXPECT_EQ(b->household.members[0].ethnicity_name, "夏尔巴人");
    EXPECT_EQ(b->household.members[1].ethnicity, codes::kEthnicityOther);  // written 97
    EXPECT_EQ(b->household.members[1].ethnicity_name, "");

    ASSERT_TRUE(ExportRegistry(*store, Chayu().plan, {tmp / "out.csv", ExportFormat::kCsv, ""}));
    auto rows = ParseCsvText(Slurp(tmp / "out.csv")).value();
    const size_t col = std::ranges::find(rows[0], "民族") - rows[0].begin();
    std::multiset<std::string> shown;
    for (size_t i = 1; i < rows.size(); ++i) shown.insert(rows[i][col]);
    EXPECT_EQ(shown.count("僜人"), 2u);
    EXPECT_EQ(shown.count("夏尔巴人"), 1u);
    EXPECT_EQ(shown.count("其他"), 1u);

    auto again = NewRegistry(tmp / "again.db");
    auto reimported = Import(*again, tmp / "out.csv");
    ASSERT_TRUE(reimported) << reimported.error().ToString();
    EXPECT_EQ(reimported->households.inserted, 2);
    EXPECT_EQ(again->FindHousehold("A001").value()->household, a->household);
}

// --- Issue 13: Excel that behaves like Excel; error files that name the clerk's columns -----------

// The .xlsx export holds what the CSV export holds, typed: years and months as integer cells,
// yuan and m² as number cells worth the same fen, birth dates as date serials of the same day,
// codes and ID numbers as text; the township's and village's names beside the division code.
TEST(ExportXlsx, TypedCellsAndNamesAgreeWithTheCsv) {
    TempDir tmp;
    WriteGeneratedCsv(tmp / "generated.csv", 13, 60);
    auto store = NewRegistry(tmp / "registry.db");
    ASSERT_TRUE(Import(*store, tmp / "generated.csv"));
    ASSERT_TRUE(ExportRegistry(*store, Chayu().plan, {tmp / "out.csv", ExportFormat::kCsv, ""}));
    ASSERT_TRUE(ExportRegistry(*store, Chayu().plan,
                               {tmp / "out.xlsx", ExportFormat::kXlsx, "", false, {}, &Chayu().tree}));
    const auto csv = ParseCsvText(Slurp(tmp / "out.csv")).value();
    auto reader = OpenTable(tmp / "out.xlsx").value();
    std::vector<Cell> cells;
    ASSERT_TRUE(reader->Next(cells).value());
    ASSERT_EQ(cells.size(), kColumnCount + 2);
    EXPECT_EQ(cells[1].text, "行政区划代码");
    EXPECT_EQ(cells[2].text, kTownshipNameHeader);
    EXPECT_EQ(cells[3].text, kVillageNameHeader);
    size_t row = 0, numbers = 0, dates = 0;
    while (reader->Next(cells).value()) {
        ++row;
        ASSERT_LT(row, csv.size());
        const auto& expect = csv[row];
        const OrgUnit* village = Chayu().tree.Find(expect[1]);
        ASSERT_NE(village, nullptr);
        EXPECT_EQ(cells[2].text, Chayu().tree.Find(village->parent_code)->name());
        EXPECT_EQ(cells[3].text, village->name());
        for (const ColumnInfo& info : Columns()) {
            const size_t c = static_cast<size_t>(info.column);
            const Cell& cell = cells[c < 2 ? c : c + 2];
            const std::string& want = expect[c];
            if (want.empty()) continue;
            SCOPED_TRACE(std::string(info.en) + " row " + std::to_string(row + 1));
            switch (XlsxKindOf(info.column)) {
                case io::CellKind::kText:
                    EXPECT_FALSE(cell.numeric);
                    EXPECT_EQ(cell.text, want);
                    break;
                case io::CellKind::kInteger:
                    EXPECT_TRUE(cell.numeric);
                    EXPECT_EQ(cell.text, want);
                    break;
                case io::CellKind::kDecimal: {
                    EXPECT_TRUE(cell.numeric);
                    EXPECT_EQ(std::llround(std::stod(cell.text) * 100), ParseCenti(want).value());
                    EXPECT_EQ(cell.text, want);  // the exact decimal, as the CSV prints it
                    ++numbers;
                    break;
                }
                case io::CellKind::kDate:
                    EXPECT_TRUE(cell.numeric);
                    EXPECT_EQ(std::stol(cell.text) - 25569, Date::Parse(want)->DaysSinceEpoch());
                    ++dates;
                    break;
            }
        }
    }
    EXPECT_EQ(row + 1, csv.size());
    EXPECT_GT(numbers, 0U);
    EXPECT_GT(dates, 0U);
    const std::string sheet = table_test::ReadZipEntry(tmp / "out.xlsx", "xl/worksheets/sheet1.xml");
    EXPECT_NE(sheet.find("<autoFilter ref=\"A1:AG" + std::to_string(csv.size()) + "\"/>"), std::string::npos);
    EXPECT_NE(sheet.find(R"(state="frozen")"), std::string::npos);
    EXPECT_NE(sheet.find("<cols>"), std::string::npos);
}

// The error file names a field by the header the clerk's file used, with the reason in zh and en.
TEST(Import, ErrorFileNamesTheFilesOwnColumns) {
    TempDir tmp;
    auto store = NewRegistry(tmp / "registry.db");
    std::string csv = Slurp(std::string(JZ_SOURCE_DIR) + "/tests/fixtures/import/ok_basic/input.csv");
    const size_t bad = csv.find("540425197208110222");
    ASSERT_NE(bad, std::string::npos);
    csv.replace(bad, 18, "540425197208110223");  // a wrong check digit
    for (const bool english : {false, true}) {
        std::string text = csv;
        if (english) {  // the same file with English headers
            std::string header;
            for (const ColumnInfo& c : Columns()) header += (header.empty() ? "" : ",") + std::string(c.en);
            text.replace(0, text.find('\n'), header);
        }
        const std::string in = tmp / (english ? "en.csv" : "zh.csv");
        std::ofstream(in, std::ios::binary) << text;
        auto r = Import(*store, in, tmp / "errors.csv");
        ASSERT_TRUE(r) << r.error().ToString();
        ASSERT_EQ(r->households.rejected, 1);
        auto rows = ParseCsvText(Slurp(tmp / "errors.csv")).value();
        ASSERT_GE(rows.size(), 3U);
        const size_t field = rows[0].size() - 2;
        EXPECT_EQ(rows[0][field], "错误字段");
        bool named = false;
        for (size_t i = 1; i < rows.size(); ++i) {
            if (rows[i][field] == (english ? "id_number" : "证件号码")) {
                named = true;
                EXPECT_NE(rows[i].back().find(" / "), std::string::npos) << rows[i].back();  // zh / en
            } else {
                EXPECT_EQ(rows[i][field], "整户 / household");
            }
        }
        EXPECT_TRUE(named) << Slurp(tmp / "errors.csv");
    }
}

// The template is the layout's header row and nothing else; imported unchanged, it is refused as
// having no data rows (nothing else is wrong with it).
TEST(ImportTemplate, HeaderRowOnly) {
    TempDir tmp;
    for (ExportFormat format : {ExportFormat::kCsv, ExportFormat::kXlsx}) {
        const std::string path = tmp / (format == ExportFormat::kCsv ? "t.csv" : "t.xlsx");
        ASSERT_TRUE(WriteImportTemplate(path, format));
        auto reader = OpenTable(path).value();
        std::vector<Cell> cells;
        ASSERT_TRUE(reader->Next(cells).value());
        ASSERT_EQ(cells.size(), kColumnCount);
        for (const ColumnInfo& info : Columns())
            EXPECT_EQ(cells[static_cast<size_t>(info.column)].text, info.zh);
        EXPECT_FALSE(reader->Next(cells).value());
        auto store = NewRegistry(path + ".db");
        auto r = Import(*store, path);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, "import.empty");  // "the file has no data rows", not a column problem
    }
}

}  // namespace
}  // namespace jz::io

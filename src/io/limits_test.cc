// Hostile and oversized files (issue 11): huge row numbers, zip bombs, huge cells and lines, too
// many rows and columns, cancellation and the time budget; formula injection in exports. The
// hostile files are generated here, small versions of what the issue reports, with the limits set
// small so that each test shows the refusal comes before the file was read to its end.
#include "io/limits.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/test_support.h"
#include "io/exporter.h"
#include "io/importer.h"
#include "io/table_test_support.h"
#include "io/table.h"
#include "store/sqlite_store.h"

namespace jz::io {
namespace {

namespace fs = std::filesystem;
using testing_support::Chayu;
using testing_support::Slurp;

class Dir {
  public:
    Dir() {
        static int counter = 0;
        path_ = fs::temp_directory_path() /
                ("jz-limits-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~Dir() { fs::remove_all(path_); }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }
    // The files, without the database's own ("registry.db", "-wal", "-shm").
    std::vector<std::string> Files() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(path_)) {
            std::string name = e.path().filename().string();
            if (name.starts_with("registry.db")) continue;
            names.push_back(std::move(name));
        }
        std::ranges::sort(names);
        return names;
    }

  private:
    fs::path path_;
};

void WriteFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

// A zip of (name, content) entries, deflated.
void WriteZip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries) {
    int error = 0;
    zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    ASSERT_NE(zip, nullptr);
    for (const auto& [name, content] : entries) {
        zip_source_t* source = zip_source_buffer(zip, content.data(), content.size(), 0);
        ASSERT_NE(source, nullptr);
        const zip_int64_t index = zip_file_add(zip, name.c_str(), source, ZIP_FL_ENC_UTF_8);
        ASSERT_GE(index, 0);
        ASSERT_EQ(zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 9), 0);
    }
    ASSERT_EQ(zip_close(zip), 0);
}

constexpr const char* kHead = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)";
const std::string kRelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// A minimal workbook with one sheet named "登记表" whose sheetData is `rows`; `workbook_padding`
// makes workbook.xml that much larger (a comment), `strings` is the shared strings' <si> elements.
std::vector<std::pair<std::string, std::string>> Workbook(const std::string& rows,
                                                          size_t workbook_padding = 0,
                                                          const std::string& strings = {}) {
    std::vector<std::pair<std::string, std::string>> entries = {
        {"[Content_Types].xml",
         std::string(kHead) +
             R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>)"},
        {"_rels/.rels",
         std::string(kHead) +
             R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
             R"(<Relationship Id="rId1" Type=")" +
             kRelNs + R"(/officeDocument" Target="xl/workbook.xml"/></Relationships>)"},
        {"xl/workbook.xml",
         std::string(kHead) +
             R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r=")" +
             kRelNs + R"("><!--)" + std::string(workbook_padding, ' ') +
             R"(--><sheets><sheet name="登记表" sheetId="1" r:id="rId1"/></sheets></workbook>)"},
        {"xl/_rels/workbook.xml.rels",
         std::string(kHead) +
             R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
             R"(<Relationship Id="rId1" Type=")" +
             kRelNs + R"(/worksheet" Target="worksheets/sheet1.xml"/>)" +
             R"(<Relationship Id="rId2" Type=")" + kRelNs +
             R"(/sharedStrings" Target="sharedStrings.xml"/></Relationships>)"},
        {"xl/worksheets/sheet1.xml",
         std::string(kHead) +
             R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
             rows + "</sheetData></worksheet>"},
    };
    if (!strings.empty())
        entries.push_back({"xl/sharedStrings.xml",
                           std::string(kHead) +
                               R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)" +
                               strings + "</sst>"});
    return entries;
}

std::string InlineCell(const std::string& ref, const std::string& text) {
    return R"(<c r=")" + ref + R"(" t="inlineStr"><is><t>)" + text + "</t></is></c>";
}

// Row 1 with the layout's required columns.
std::string HeaderRow() {
    std::string row = R"(<row r="1">)";
    char column = 'A';
    for (const char* h : {"户编号", "行政区划代码", "姓名", "证件号码", "与户主关系", "贫困户属性",
                          "主要致贫原因", "识别年度"})
        row += InlineCell(std::string(1, column++) + "1", h);
    return row + "</row>";
}

// Reads every row; the error if one came.
struct ReadOutcome {
    std::vector<std::vector<Cell>> rows;
    std::vector<int64_t> numbers;
    std::optional<Error> error;
};

ReadOutcome ReadAll(const std::string& path, const TableOptions& options) {
    ReadOutcome out;
    auto reader = OpenTable(path, options);
    if (!reader) {
        out.error = reader.error();
        return out;
    }
    std::vector<Cell> row;
    while (true) {
        auto more = (*reader)->Next(row);
        if (!more) {
            out.error = more.error();
            return out;
        }
        if (!*more) return out;
        out.rows.push_back(row);
        out.numbers.push_back((*reader)->row_number());
    }
}

// --- .xlsx: row numbers, columns ----------------------------------------------------------------

TEST(XlsxLimits, GapsAreSkippedNotMaterialised) {
    Dir dir;
    WriteZip(dir / "gap.xlsx",
             Workbook(R"(<row r="1">)" + InlineCell("A1", "户编号") + R"(</row><row r="1048576">)" +
                      InlineCell("A1048576", "last") + "</row>"));
    TableOptions options;
    options.limits.max_rows = 5;  // two rows read, whatever their numbers
    auto read = ReadAll(dir / "gap.xlsx", options);
    ASSERT_FALSE(read.error) << read.error->ToString();
    ASSERT_EQ(read.rows.size(), 2U);
    EXPECT_EQ(read.numbers, (std::vector<int64_t>{1, 1048576}));
    EXPECT_EQ(read.rows[1][0].text, "last");
}

TEST(XlsxLimits, HugeRowNumberIsRefusedNamingSheetAndRow) {
    Dir dir;
    // The issue's file: data in row 9×10^18 (and one beyond int64).
    for (const std::string number : {"9000000000000000000", "99999999999999999999999"}) {
        WriteZip(dir / "huge.xlsx",
                 Workbook(R"(<row r="1">)" + InlineCell("A1", "户编号") + R"(</row><row r=")" + number +
                          R"("><c r="A)" + number + R"(" t="inlineStr"><is><t>x</t></is></c></row>)"));
        TableOptions options;
        options.name = "upload.xlsx";
        auto read = ReadAll(dir / "huge.xlsx", options);
        ASSERT_TRUE(read.error);
        EXPECT_EQ(read.error->code, "xlsx.row_out_of_range");
        EXPECT_EQ(read.rows.size(), 1U);  // the header, nothing made of the gap
        EXPECT_NE(read.error->message_zh.find("登记表"), std::string::npos);
        EXPECT_NE(read.error->message_en.find("1048576"), std::string::npos);
        EXPECT_TRUE(read.error->field.starts_with("upload.xlsx:")) << read.error->field;
    }
}

TEST(XlsxLimits, ValueBeyondTheColumnLimitIsRefusedNamingTheCell) {
    Dir dir;
    // IW is the 257th column; an empty formatted cell there is fine, a value is not.
    WriteZip(dir / "wide.xlsx",
             Workbook(R"(<row r="1">)" + InlineCell("A1", "a") + R"(<c r="IW1" s="1"/></row>)" +
                      R"(<row r="2">)" + InlineCell("IW2", "far") + "</row>"));
    auto read = ReadAll(dir / "wide.xlsx", {});
    ASSERT_TRUE(read.error);
    EXPECT_EQ(read.error->code, "import.too_many_columns");
    EXPECT_EQ(read.rows.size(), 1U);
    EXPECT_NE(read.error->message_en.find("IW2"), std::string::npos) << read.error->message_en;
    EXPECT_NE(read.error->message_zh.find("登记表"), std::string::npos);
}

TEST(XlsxLimits, TooManyRows) {
    Dir dir;
    std::string rows;
    for (int r = 1; r <= 10; ++r)
        rows += "<row r=\"" + std::to_string(r) + "\">" + InlineCell("A" + std::to_string(r), "v") + "</row>";
    WriteZip(dir / "rows.xlsx", Workbook(rows));
    TableOptions options;
    options.limits.max_rows = 4;  // header + 4
    auto read = ReadAll(dir / "rows.xlsx", options);
    ASSERT_TRUE(read.error);
    EXPECT_EQ(read.error->code, "import.too_many_rows");
    EXPECT_EQ(read.rows.size(), 5U);
}

// --- .xlsx: inflating with limits -----------------------------------------------------------------

TEST(XlsxLimits, ZipBombInlineStringIsRefusedByRatioEarly) {
    Dir dir;
    // 24 MiB of one inline string, about 25 KB compressed (ratio ~1000).
    const std::string bomb(24 << 20, 'A');
    WriteZip(dir / "bomb.xlsx", Workbook(R"(<row r="1">)" + InlineCell("A1", bomb) + "</row>"));
    EXPECT_LT(fs::file_size(dir / "bomb.xlsx"), 1U << 20);
    TableOptions options;
    options.limits.ratio_floor_bytes = 1 << 20;
    auto read = ReadAll(dir / "bomb.xlsx", options);
    ASSERT_TRUE(read.error);
    EXPECT_EQ(read.error->code, "xlsx.compression_ratio");
    EXPECT_TRUE(read.rows.empty());

    // Without the ratio check, the sheet's own size limit stops it before its end.
    options.limits.max_compression_ratio = INT64_MAX;
    options.limits.max_sheet_bytes = 4 << 20;
    read = ReadAll(dir / "bomb.xlsx", options);
    ASSERT_TRUE(read.error);
    EXPECT_EQ(read.error->code, "xlsx.too_large");

    // And the package's total.
    options.limits.max_sheet_bytes = INT64_MAX;
    options.limits.max_unzipped_bytes = 2 << 20;
    read = ReadAll(dir / "bomb.xlsx", options);
    ASSERT_TRUE(read.error);
    EXPECT_EQ(read.error->code, "xlsx.too_large");
}

TEST(XlsxLimits, OversizedWorkbookPartIsNotReadWhole) {
    Dir dir;
    WriteZip(dir / "book.xlsx", Workbook(R"(<row r="1">)" + InlineCell("A1", "a") + "</row>", 3 << 20));
    TableOptions options;
    options.limits.max_small_part_bytes = 1 << 20;
    auto read = ReadAll(dir / "book.xlsx", options);
    ASSERT_TRUE(read.error);
    EXPECT_EQ(read.error->code, "xlsx.too_large");
    EXPECT_NE(read.error->message_en.find("xl/workbook.xml"), std::string::npos);
    // Under the default limit the same workbook reads.
    EXPECT_FALSE(ReadAll(dir / "book.xlsx", {}).error);
}

TEST(XlsxLimits, LongCellsAreCutOnACharacterAndMarked) {
    Dir dir;
    std::string long_text;
    for (int i = 0; i < 1000; ++i) long_text += "扎西";  // 6,000 bytes
    WriteZip(dir / "long.xlsx",
             Workbook(R"(<row r="1">)" + InlineCell("A1", long_text) + R"(<c r="B1" t="s"><v>0</v></c>)" +
                          InlineCell("C1", "short") + "</row>",
                      0, "<si><t>" + long_text + "</t></si>"));
    TableOptions options;
    options.limits.max_cell_bytes = 100;
    auto read = ReadAll(dir / "long.xlsx", options);
    ASSERT_FALSE(read.error) << read.error->ToString();
    ASSERT_EQ(read.rows.size(), 1U);
    for (int c : {0, 1}) {
        const Cell& cell = read.rows[0][static_cast<size_t>(c)];
        EXPECT_TRUE(cell.cut);
        EXPECT_EQ(cell.text.size(), 99U);  // 33 characters of 3 bytes: never half a character
        EXPECT_TRUE(long_text.starts_with(cell.text));
    }
    EXPECT_FALSE(read.rows[0][2].cut);
    EXPECT_EQ(read.rows[0][2].text, "short");
}

// --- CSV -------------------------------------------------------------------------------------------

TEST(CsvLimits, LongCellIsCutAndMarked) {
    Dir dir;
    WriteFile(dir / "long.csv",
              "a,b\n" + std::string(5000, 'x') + ",\"" + std::string(5000, 'y') + "\"\nshort,z\n");
    TableOptions options;
    options.limits.max_cell_bytes = 64;
    auto read = ReadAll(dir / "long.csv", options);
    ASSERT_FALSE(read.error) << read.error->ToString();
    ASSERT_EQ(read.rows.size(), 3U);
    EXPECT_EQ(read.rows[1][0].text, std::string(64, 'x'));
    EXPECT_TRUE(read.rows[1][0].cut);
    EXPECT_EQ(read.rows[1][1].text, std::string(64, 'y'));
    EXPECT_TRUE(read.rows[1][1].cut);
    EXPECT_FALSE(read.rows[2][0].cut);  // a reused cell forgets it was cut
    EXPECT_EQ(read.rows[2][0].text, "short");
}

TEST(CsvLimits, OneHugeLineIsRefusedWithoutReadingIt) {
    Dir dir;
    // 8 MiB without a line end, the record limit 1 MiB.
    WriteFile(dir / "line.csv", "a,b\n" + std::string(8 << 20, 'x'));
    auto read = ReadAll(dir / "line.csv", {});
    ASSERT_TRUE(read.error);
    EXPECT_EQ(read.error->code, "csv.record_too_long");
    EXPECT_EQ(read.error->field, dir / "line.csv" + ":2");
    // Also when the line is cut into many short fields.
    std::string fields;
    for (int i = 0; i < 300000; ++i) fields += "xxxxxx,";
    WriteFile(dir / "fields.csv", "a\n" + fields + "\n");
    TableOptions options;
    options.limits.max_columns = 1 << 20;
    read = ReadAll(dir / "fields.csv", options);
    ASSERT_TRUE(read.error);
    EXPECT_EQ(read.error->code, "csv.record_too_long");
}

TEST(CsvLimits, ColumnsAndRows) {
    Dir dir;
    WriteFile(dir / "wide.csv", "a,b,c\n1,2,3,,,\n1,2,3,4\n");
    TableOptions options;
    options.limits.max_columns = 3;
    auto read = ReadAll(dir / "wide.csv", options);
    ASSERT_TRUE(read.error);
    EXPECT_EQ(read.error->code, "import.too_many_columns");
    EXPECT_EQ(read.error->field, dir / "wide.csv" + ":3");
    ASSERT_EQ(read.rows.size(), 2U);  // trailing empty fields beyond the limit are fine
    EXPECT_EQ(read.rows[1].size(), 3U);

    std::string many = "a\n";
    for (int i = 0; i < 100; ++i) many += "\n";
    WriteFile(dir / "rows.csv", many);
    options.limits.max_rows = 50;
    read = ReadAll(dir / "rows.csv", options);
    ASSERT_TRUE(read.error);
    EXPECT_EQ(read.error->code, "import.too_many_rows");
    EXPECT_EQ(read.rows.size(), 51U);
}

TEST(CsvLimits, CancelledAndTimedOut) {
    Dir dir;
    std::string rows = "a\n";
    for (int i = 0; i < 5000; ++i) rows += "x\n";
    WriteFile(dir / "rows.csv", rows);
    std::stop_source stop;
    stop.request_stop();
    TableOptions options;
    options.cancel.stop = stop.get_token();
    auto read = ReadAll(dir / "rows.csv", options);
    ASSERT_TRUE(read.error);
    EXPECT_EQ(read.error->code, "import.cancelled");
    EXPECT_LT(read.rows.size(), 5001U);

    TableOptions late;
    late.cancel.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    read = ReadAll(dir / "rows.csv", late);
    ASSERT_TRUE(read.error);
    EXPECT_EQ(read.error->code, "import.timeout");
}

// --- The importer -------------------------------------------------------------------------------

std::unique_ptr<Store> NewRegistry(const std::string& db) {
    auto store = OpenSqliteStore(db, OpenMode::kCreate).value();
    EXPECT_TRUE(store->Begin());
    EXPECT_TRUE(store->SaveOrgUnits(Chayu().tree, {"test", "2026-01-01T00:00:00Z"}));
    EXPECT_TRUE(store->SavePlan(Chayu().plan.id, Chayu().toml, {"test", "2026-01-01T00:00:00Z"}));
    EXPECT_TRUE(store->Commit());
    return store;
}

ImportOptions Options(const std::string& path, const std::string& errors) {
    ImportOptions o{path, "", errors, {"test", "2026-01-02T00:00:00Z"}};
    o.display_name = "upload";
    return o;
}

std::string OkCsv() {
    return Slurp(std::string(JZ_SOURCE_DIR) + "/tests/fixtures/import/ok_basic/input.csv");
}

// Nothing imported, nothing left in the directory but the input and the database.
void ExpectNothingLeft(Store& store, const Dir& dir, const std::string& input) {
    EXPECT_EQ(store.CountHouseholds().value(), 0);
    EXPECT_EQ(dir.Files(), (std::vector<std::string>{input}));
}

TEST(ImportLimits, ZipBombIsRefusedAndLeavesNothing) {
    Dir dir;
    auto store = NewRegistry(dir / "registry.db");
    const std::string bomb(24 << 20, 'A');
    WriteZip(dir / "bomb.xlsx", Workbook(HeaderRow() + "<row r=\"2\">" + InlineCell("A2", bomb) + "</row>"));
    auto options = Options(dir / "bomb.xlsx", dir / "bomb.errors.csv");
    options.limits.ratio_floor_bytes = 1 << 20;
    auto r = ImportRegistry(*store, Chayu().plan, Chayu().tree, options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "xlsx.compression_ratio");
    EXPECT_TRUE(r.error().field.starts_with("upload")) << r.error().field;  // the given name, not the path
    ExpectNothingLeft(*store, dir, "bomb.xlsx");
}

TEST(ImportLimits, HugeRowNumberIsRefused) {
    Dir dir;
    auto store = NewRegistry(dir / "registry.db");
    WriteZip(dir / "huge.xlsx", Workbook(HeaderRow() + R"(<row r="9000000000000000000">)" +
                                         InlineCell("A9000000000000000000", "x") + "</row>"));
    auto r = ImportRegistry(*store, Chayu().plan, Chayu().tree, Options(dir / "huge.xlsx", dir / "e.csv"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "xlsx.row_out_of_range");
    EXPECT_EQ(r.error().ToString().find(dir / ""), std::string::npos) << r.error().ToString();
    ExpectNothingLeft(*store, dir, "huge.xlsx");
}

TEST(ImportLimits, LongCellRejectsItsHouseholdAndIsCutInTheErrorFile) {
    Dir dir;
    auto store = NewRegistry(dir / "registry.db");
    std::string csv = OkCsv();
    // The first person's name (third column) becomes 100,000 characters.
    const size_t line = csv.find('\n') + 1;
    const size_t name = csv.find(',', csv.find(',', line) + 1) + 1;
    const std::string huge(100000, 'N');
    csv.insert(name, huge);
    WriteFile(dir / "long.csv", csv);
    auto options = Options(dir / "long.csv", dir / "long.errors.csv");
    options.limits.max_cell_bytes = 256;
    auto r = ImportRegistry(*store, Chayu().plan, Chayu().tree, options);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->households.rejected, 1);
    EXPECT_EQ(r->households.inserted, 1);
    ASSERT_FALSE(r->errors.empty());
    const auto cut = std::ranges::find(r->errors, std::string("import.cell_too_long"), &Error::code);
    ASSERT_NE(cut, r->errors.end());
    EXPECT_EQ(cut->row, 2);
    EXPECT_EQ(cut->field, "name");
    const std::string errors = Slurp(dir / "long.errors.csv");
    EXPECT_LT(errors.size(), 8000U);
    EXPECT_NE(errors.find(std::string(256, 'N') + "…"), std::string::npos);
    EXPECT_EQ(errors.find(std::string(257, 'N')), std::string::npos);
}

TEST(ImportLimits, CancelledOrTimedOutImportChangesNothing) {
    Dir dir;
    auto store = NewRegistry(dir / "registry.db");
    std::string csv = OkCsv();
    csv += "bad,row\n";  // a rejected household: the error file is started, then removed
    WriteFile(dir / "in.csv", csv);
    {
        auto options = Options(dir / "in.csv", dir / "in.errors.csv");
        options.limits.time_budget = std::chrono::nanoseconds(1);
        auto r = ImportRegistry(*store, Chayu().plan, Chayu().tree, options);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, "import.timeout");
        ExpectNothingLeft(*store, dir, "in.csv");
    }
    {
        std::stop_source stop;
        stop.request_stop();
        auto options = Options(dir / "in.csv", dir / "in.errors.csv");
        options.stop = stop.get_token();
        auto r = ImportRegistry(*store, Chayu().plan, Chayu().tree, options);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, "import.cancelled");
        ExpectNothingLeft(*store, dir, "in.csv");
    }
    // Unhindered, the same file imports.
    auto r =
        ImportRegistry(*store, Chayu().plan, Chayu().tree, Options(dir / "in.csv", dir / "in.errors.csv"));
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_GT(r->households.inserted, 0);
}

// --- Formula injection ---------------------------------------------------------------------------

TEST(FormulaInjection, CsvCellsThatASpreadsheetWouldRunAreProtected) {
    Dir dir;
    {
        auto writer = CreateCsvWriter(dir / "out.csv").value();
        ASSERT_TRUE(
            writer->WriteRow({"=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-A1", "@SUM(A1)", "\tx", "\rx"}));
        ASSERT_TRUE(writer->WriteRow({"-12.5", "+8613800000000", "1e5", "3520", "-", "a=b", "'=x", "'a"}));
        ASSERT_TRUE(writer->Close());
    }
    EXPECT_EQ(Slurp(dir / "out.csv"),
              "\xEF\xBB\xBF"
              "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1+2,'-A1,'@SUM(A1),'\tx,\"'\rx\"\r\n"
              "-12.5,+8613800000000,1e5,3520,'-,a=b,''=x,'a\r\n");
    for (const std::string cell : {"=1", "+a", "-A1", "@x", "\tx", "\rx", "-", "'=x", "''@"}) {
        EXPECT_TRUE(NeedsFormulaProtection(cell)) << cell;
        EXPECT_EQ(UnprotectFormula("'" + cell), cell);
    }
    for (const std::string cell : {"-12.5", "+86", "1.5E-3", "", "a", "'", "'a", "'-5", "扎西"}) {
        EXPECT_FALSE(NeedsFormulaProtection(cell)) << cell;
    }
    EXPECT_EQ(UnprotectFormula("'abc"), "'abc");  // only what the writer added is taken away
    EXPECT_EQ(UnprotectFormula("'-5"), "'-5");
}

// A name that is a formula goes out protected in CSV, as a plain string in .xlsx, and comes back
// unchanged from both.
TEST(FormulaInjection, ExportProtectsAndImportRestores) {
    Dir dir;
    auto store = NewRegistry(dir / "registry.db");
    std::string csv = OkCsv();
    const size_t line = csv.find('\n') + 1;
    const size_t name = csv.find(',', csv.find(',', line) + 1) + 1;
    const size_t name_end = csv.find(',', name);
    const std::string formula = "=HYPERLINK(\"\"http://evil\"\",\"\"点击\"\")";  // CSV-quoted below
    csv.replace(name, name_end - name, "\"" + formula + "\"");
    WriteFile(dir / "in.csv", csv);
    auto imported =
        ImportRegistry(*store, Chayu().plan, Chayu().tree, Options(dir / "in.csv", dir / "e.csv"));
    ASSERT_TRUE(imported) << imported.error().ToString();
    ASSERT_EQ(imported->households.rejected, 0) << imported->ToJson();

    ASSERT_TRUE(ExportRegistry(*store, Chayu().plan, {dir / "out.csv", ExportFormat::kCsv, ""}));
    const std::string exported = Slurp(dir / "out.csv");
    EXPECT_NE(exported.find("\"'=HYPERLINK("), std::string::npos);
    EXPECT_EQ(exported.find(",\"=HYPERLINK("), std::string::npos);

    ASSERT_TRUE(ExportRegistry(*store, Chayu().plan, {dir / "out.xlsx", ExportFormat::kXlsx, ""}));
    const std::string sheet = table_test::ReadZipEntry(dir / "out.xlsx", "xl/worksheets/sheet1.xml");
    ASSERT_FALSE(sheet.empty());
    EXPECT_EQ(sheet.find("<f>"), std::string::npos);  // never a formula
    EXPECT_NE(sheet.find("=HYPERLINK("), std::string::npos);

    for (const std::string file : {"out.csv", "out.xlsx"}) {
        auto again = NewRegistry(dir / (file + ".db"));
        auto r = ImportRegistry(*again, Chayu().plan, Chayu().tree, Options(dir / file, dir / "e2.csv"));
        ASSERT_TRUE(r) << r.error().ToString();
        ASSERT_TRUE(
            ExportRegistry(*again, Chayu().plan, {dir / (file + ".again.csv"), ExportFormat::kCsv, ""}));
        EXPECT_EQ(Slurp(dir / (file + ".again.csv")), exported) << file;
    }
}

}  // namespace
}  // namespace jz::io

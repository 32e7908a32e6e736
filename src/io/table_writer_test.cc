// Writing CSV and .xlsx, and writer-then-reader round trips.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <xlsxwriter.h>

#include <string>
#include <vector>

#include "io/table.h"
#include "io/table_internal.h"
#include "io/table_test_support.h"

namespace jz::io::table_test {
namespace {

// --- Writers --------------------------------------------------------------------------------------

Result<void> WriteAll(Result<std::unique_ptr<TableWriter>> writer, const Rows& rows) {
    if (!writer) return std::unexpected(writer.error());
    for (const auto& row : rows) {
        if (auto written = (*writer)->WriteRow(row); !written) return written;
    }
    return (*writer)->Close();
}

TEST(CsvWriter, ExactBytes) {
    TempDir dir;
    const std::string path = dir.File("out.csv");
    const Rows rows = {{"a", "b,c"},
                       {"say \"hi\"", " lead", "trail ", "\ttab"},
                       {"line\nbreak", "cr\r", "mid dle"},
                       {""},
                       {},
                       {"中文", "540425199001011234"}};
    ASSERT_TRUE(WriteAll(CreateCsvWriter(path), rows));
    // A leading tab is protected from formula evaluation with an apostrophe (see limits_test.cc).
    EXPECT_EQ(ReadBytes(path),
              "\xEF\xBB\xBF"
              "a,\"b,c\"\r\n"
              "\"say \"\"hi\"\"\",\" lead\",\"trail \",'\ttab\r\n"
              "\"line\nbreak\",\"cr\r\",mid dle\r\n"
              "\r\n"
              "\r\n"
              "中文,540425199001011234\r\n");
    EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(CsvWriter, TemporaryUntilClosedAndNothingWhenAbandoned) {
    TempDir dir;
    const std::string path = dir.File("out.csv");
    {
        auto writer = CreateCsvWriter(path);
        ASSERT_TRUE(writer);
        ASSERT_TRUE((*writer)->WriteRow({"a"}));
        EXPECT_FALSE(fs::exists(path));
        EXPECT_TRUE(fs::exists(path + ".tmp"));
    }
    EXPECT_FALSE(fs::exists(path));
    EXPECT_FALSE(fs::exists(path + ".tmp"));

    auto writer = CreateCsvWriter(path);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->WriteRow({"a"}));
    ASSERT_TRUE((*writer)->Close());
    EXPECT_TRUE(fs::exists(path));
    EXPECT_FALSE(fs::exists(path + ".tmp"));
    EXPECT_TRUE((*writer)->Close());  // idempotent
    EXPECT_FALSE((*writer)->WriteRow({"b"}));
}

TEST(CsvWriter, UncreatableFile) {
    auto writer = CreateCsvWriter("/nonexistent/jingzhun/out.csv");
    ASSERT_FALSE(writer);
    EXPECT_EQ(writer.error().code, "file.create");
}

TEST(Writers, DeterministicBytes) {
    TempDir dir;
    const Rows rows = {{"户编号", "姓名", "证件号码"},
                       {"H001", "卓玛", "540425199001011234"},
                       {"H002", "次仁", "5404251992020212"}};
    for (const bool xlsx : {false, true}) {
        const std::string a = dir.File(xlsx ? "a.xlsx" : "a.csv");
        const std::string b = dir.File(xlsx ? "b.xlsx" : "b.csv");
        ASSERT_TRUE(WriteAll(xlsx ? CreateXlsxWriter(a, "登记表") : CreateCsvWriter(a), rows));
        ASSERT_TRUE(WriteAll(xlsx ? CreateXlsxWriter(b, "登记表") : CreateCsvWriter(b), rows));
        EXPECT_EQ(ReadBytes(a), ReadBytes(b)) << (xlsx ? "xlsx" : "csv");
    }
}

TEST(XlsxWriter, TextCellsBoldFrozenHeaderAndWidths) {
    TempDir dir;
    const std::string path = dir.File("out.xlsx");
    const Rows rows = {{"户编号", "证件号码", "备注"}, {"H001", "540425199001011234", "_x0041_ a\r\nb"}};
    ASSERT_TRUE(WriteAll(CreateXlsxWriter(path, "登记表"), rows));
    auto read = ReadTable(path, "登记表");
    ASSERT_TRUE(read) << read.error().ToString();
    EXPECT_EQ(read->rows, rows);
    EXPECT_FALSE(read->numeric[1][1]);  // the ID stays text

    const std::string sheet = ReadZipEntry(path, "xl/worksheets/sheet1.xml");
    EXPECT_NE(sheet.find(R"(state="frozen")"), std::string::npos);
    EXPECT_NE(sheet.find(R"(<c r="A1" s="1")"), std::string::npos);  // header cells styled
    EXPECT_NE(sheet.find(R"(<col min="2" max="2" width="20.)"), std::string::npos);
    EXPECT_NE(ReadZipEntry(path, "xl/styles.xml").find("<b/>"), std::string::npos);
}

// Issue 13: numbers as numbers, dates as dates, an autofilter on the header, text columns as text.
TEST(XlsxWriter, TypedColumnsDatesAutofilterAndWidths) {
    TempDir dir;
    const std::string path = dir.File("typed.xlsx");
    XlsxOptions options;
    options.kinds = {CellKind::kText, CellKind::kInteger, CellKind::kDecimal, CellKind::kDate, CellKind::kDate};
    options.autofilter = true;
    const Rows rows = {{"户编号", "识别年度", "年人均纯收入", "出生日期", "出生年"},
                       {"0054042510", "2016", "3456.78", "1993-07-13", "1993"},
                       {"0054042511", "不详", "3520.5", "19930713", ""},
                       {"0054042512", "2017", "91.9", "", ""}};
    ASSERT_TRUE(WriteAll(CreateXlsxWriter(path, "登记表", options), rows));
    auto read = ReadTable(path, "登记表");
    ASSERT_TRUE(read) << read.error().ToString();
    ASSERT_EQ(read->rows.size(), 4U);
    // Codes stay text with their leading zeros; years, yuan and dates are numbers.
    EXPECT_EQ(read->rows[1][0], "0054042510");
    EXPECT_FALSE(read->numeric[1][0]);
    EXPECT_TRUE(read->numeric[1][1]);
    EXPECT_EQ(read->rows[1][1], "2016");
    EXPECT_TRUE(read->numeric[1][2]);
    EXPECT_EQ(read->rows[1][2], "3456.78");  // the exact decimal, not 3456.7800000000002
    EXPECT_TRUE(read->numeric[1][3]);
    EXPECT_EQ(read->rows[1][3], "34163");  // 1993-07-13 as a 1900-system serial
    // What is not its kind stays text: a year in a date column, a word in a year column, YYYYMMDD.
    EXPECT_FALSE(read->numeric[1][4]);
    EXPECT_EQ(read->rows[1][4], "1993");
    EXPECT_FALSE(read->numeric[2][1]);
    EXPECT_EQ(read->rows[2][1], "不详");
    EXPECT_EQ(read->rows[2][2], "3520.5");
    EXPECT_FALSE(read->numeric[2][3]);
    EXPECT_EQ(read->rows[3][2], "91.9");  // libxlsxwriter wrote 91.90000000000001; the same double
    // The header row stays text.
    EXPECT_FALSE(read->numeric[0][1]);

    const std::string sheet = ReadZipEntry(path, "xl/worksheets/sheet1.xml");
    EXPECT_NE(sheet.find(R"(<autoFilter ref="A1:E4"/>)"), std::string::npos) << sheet;
    EXPECT_NE(sheet.find(R"(state="frozen")"), std::string::npos);
    EXPECT_NE(sheet.find(R"(<c r="B2" s="2"><v>2016</v></c>)"), std::string::npos) << sheet;  // no t="s"
    EXPECT_NE(sheet.find(R"(<c r="C2" s="3"><v>3456.78</v></c>)"), std::string::npos) << sheet;
    EXPECT_NE(sheet.find(R"(<c r="D2" s="4"><v>34163</v></c>)"), std::string::npos) << sheet;
    EXPECT_NE(sheet.find(R"(<c r="E2" t="inlineStr")"), std::string::npos) << sheet;
    // Widths by content, at least 8 and at most 60: "0054042510" is 10 wide → 12.
    EXPECT_NE(sheet.find(R"(<col min="1" max="1" width="12.)"), std::string::npos) << sheet;
    const std::string styles = ReadZipEntry(path, "xl/styles.xml");
    EXPECT_NE(styles.find(R"(formatCode="yyyy-mm-dd")"), std::string::npos) << styles;
    EXPECT_NE(styles.find(R"(formatCode="0.00")"), std::string::npos) << styles;
}

TEST(XlsxWriter, TemplateTextColumnsFormattedAsText) {
    TempDir dir;
    const std::string path = dir.File("template.xlsx");
    XlsxOptions options{.kinds = {CellKind::kText, CellKind::kInteger}, .autofilter = true, .text_format = true};
    ASSERT_TRUE(WriteAll(CreateXlsxWriter(path, "登记表", options), {{"证件号码", "识别年度"}}));
    const std::string sheet = ReadZipEntry(path, "xl/worksheets/sheet1.xml");
    EXPECT_NE(sheet.find(R"(<col min="1" max="1" width="10.7109375" style=")"), std::string::npos) << sheet;
    EXPECT_EQ(sheet.find(R"(<col min="2" max="2" width="10.7109375" style=")"), std::string::npos) << sheet;
    EXPECT_NE(ReadZipEntry(path, "xl/styles.xml").find(R"(numFmtId="49")"), std::string::npos) << ReadZipEntry(path, "xl/styles.xml");
}

TEST(XlsxWriter, TooManyRows) {
    TempDir dir;
    const std::string path = dir.File("big.xlsx");
    auto writer = CreateXlsxWriter(path, "数据");
    ASSERT_TRUE(writer);
    const std::vector<std::string> empty_row;
    for (int64_t i = 0; i < kXlsxMaxRows; ++i) ASSERT_TRUE((*writer)->WriteRow(empty_row));
    auto failed = (*writer)->WriteRow({"one too many"});
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, "xlsx.too_many_rows");
    EXPECT_NE(failed.error().message_zh.find("1048576"), std::string::npos);
    EXPECT_NE(failed.error().message_en.find("1,048,576"), std::string::npos);
    EXPECT_FALSE((*writer)->Close());
    EXPECT_FALSE(fs::exists(path));
    EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(XlsxWriter, InvalidSheetNameAndAbandonedWriter) {
    TempDir dir;
    const std::string path = dir.File("out.xlsx");
    auto bad = CreateXlsxWriter(path, "a/b");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "xlsx.sheet_name");
    EXPECT_FALSE(fs::exists(path + ".tmp"));
    {
        auto writer = CreateXlsxWriter(path, "ok");
        ASSERT_TRUE(writer);
        ASSERT_TRUE((*writer)->WriteRow({"a"}));
    }
    EXPECT_FALSE(fs::exists(path));
    EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(XlsxWriter, StreamsManyRowsAndReadsThemBack) {
    TempDir dir;
    const std::string path = dir.File("many.xlsx");
    constexpr int kRows = 50000;
    {
        auto writer = CreateXlsxWriter(path, "数据");
        ASSERT_TRUE(writer);
        ASSERT_TRUE((*writer)->WriteRow({"序号", "姓名"}));
        for (int i = 1; i < kRows; ++i) ASSERT_TRUE((*writer)->WriteRow({std::to_string(i), "卓玛"}));
        ASSERT_TRUE((*writer)->Close());
    }
    auto reader = OpenTable(path);
    ASSERT_TRUE(reader);
    std::vector<Cell> row;
    int count = 0;
    while (true) {
        auto more = (*reader)->Next(row);
        ASSERT_TRUE(more) << more.error().ToString();
        if (!*more) break;
        ++count;
        if (count > 1) {
            ASSERT_EQ(row.size(), 2u);
            ASSERT_EQ(row[0].text, std::to_string(count - 1));
        }
        ASSERT_EQ((*reader)->row_number(), count);
    }
    EXPECT_EQ(count, kRows);
}

// --- Round trips ----------------------------------------------------------------------------------

rc::Gen<std::string> GenCellText() {
    static const std::vector<std::string> kPieces = {"a",    "Z",  "0",       "9",    ",",  " ",
                                                     "\"",   "\r", "\n",      "\r\n", "\t", "中",
                                                     "藏族", "𠀀", "_x0041_", "'",    "=",  "\x01"};
    return rc::gen::map(rc::gen::container<std::vector<size_t>>(rc::gen::inRange<size_t>(0, kPieces.size())),
                        [](const std::vector<size_t>& indexes) {
                            std::string text;
                            for (const size_t i : indexes) text += kPieces[i];
                            return text;
                        });
}

rc::Gen<Rows> GenRows() {
    return rc::gen::container<Rows>(
        rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(GenCellText())));
}

RC_GTEST_PROP(CsvRoundTrip, WriterThenReaderGivesTheSameRows, ()) {
    const Rows rows = *GenRows();
    TempDir dir;
    const std::string path = dir.File("round.csv");
    RC_ASSERT(WriteAll(CreateCsvWriter(path), rows).has_value());
    auto read = ReadTable(path);
    RC_ASSERT(read.has_value());
    // Cells a spreadsheet would run as formulas come back with the writer's apostrophe, which the
    // importer takes away.
    auto unprotected = [](Rows rows) {
        for (auto& row : rows)
            for (auto& cell : row) cell = std::string(UnprotectFormula(cell));
        return rows;
    };
    RC_ASSERT(unprotected(read->rows) == rows);
    RC_ASSERT(read->encoding == "UTF-8 (BOM)");
    auto parsed = ParseCsvText(ReadBytes(path));
    RC_ASSERT(parsed.has_value());
    RC_ASSERT(unprotected(*parsed) == rows);
}

// xlsx keeps no trailing empty cells, nor trailing empty rows.
Rows WithoutTrailingEmpties(Rows rows) {
    for (auto& row : rows) {
        while (!row.empty() && row.back().empty()) row.pop_back();
    }
    while (!rows.empty() && rows.back().empty()) rows.pop_back();
    return rows;
}

RC_GTEST_PROP(XlsxRoundTrip, WriterThenReaderGivesTheSameRows, ()) {
    const Rows rows = *GenRows();
    TempDir dir;
    const std::string path = dir.File("round.xlsx");
    RC_ASSERT(WriteAll(CreateXlsxWriter(path, "数据"), rows).has_value());
    auto read = ReadTable(path);
    RC_ASSERT(read.has_value());
    // Rows without values may be left out of the sheet, and rows a sheet leaves out are skipped:
    // compare the rows with values, by row number.
    std::vector<std::pair<int64_t, std::vector<std::string>>> expected, actual;
    const Rows trimmed = WithoutTrailingEmpties(rows);
    for (size_t i = 0; i < trimmed.size(); ++i)
        if (!trimmed[i].empty()) expected.emplace_back(static_cast<int64_t>(i) + 1, trimmed[i]);
    for (size_t i = 0; i < read->rows.size(); ++i)
        if (!read->rows[i].empty()) actual.emplace_back(read->numbers[i], read->rows[i]);
    RC_ASSERT(actual == expected);
}

}  // namespace
}  // namespace jz::io::table_test

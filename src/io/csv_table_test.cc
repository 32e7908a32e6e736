// Reading CSV: cases, fixture files, the 1 MiB chunk boundaries, encodings and errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/table.h"
#include "io/table_internal.h"
#include "io/table_test_support.h"

namespace jz::io::table_test {
namespace {

// --- CSV reading, case by case -------------------------------------------------------------------

struct CsvCase {
    std::string name;
    std::string input;
    Rows rows;
    std::vector<int64_t> numbers;  // row_number() after each row; empty means 1..n
    std::string encoding = "UTF-8";
};

std::ostream& operator<<(std::ostream& out, const CsvCase& c) { return out << c.name; }

class CsvCaseTest : public ::testing::TestWithParam<CsvCase> {};

TEST_P(CsvCaseTest, ParsesTextAndFile) {
    const CsvCase& c = GetParam();
    auto parsed = ParseCsvText(c.input);
    ASSERT_TRUE(parsed) << parsed.error().ToString();
    EXPECT_EQ(*parsed, c.rows);

    TempDir dir;
    const std::string path = dir.File("case.csv");
    WriteBytes(path, c.input);
    auto read = ReadTable(path);
    ASSERT_TRUE(read) << read.error().ToString();
    EXPECT_EQ(read->rows, c.rows);
    EXPECT_EQ(read->encoding, c.encoding);
    std::vector<int64_t> numbers = c.numbers;
    if (numbers.empty()) {
        for (size_t i = 0; i < c.rows.size(); ++i) numbers.push_back(static_cast<int64_t>(i) + 1);
    }
    EXPECT_EQ(read->numbers, numbers);
    for (const auto& row : read->numeric) {
        for (const bool numeric : row) EXPECT_FALSE(numeric);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Csv, CsvCaseTest,
    ::testing::Values(CsvCase{"lf", "a,b\n1,2\n", {{"a", "b"}, {"1", "2"}}},
                      CsvCase{"crlf", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}},
                      CsvCase{"cr", "a,b\r1,2\r", {{"a", "b"}, {"1", "2"}}},
                      CsvCase{"no_final_newline", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}},
                      CsvCase{"blank_lines", "a\n\n\nb\n", {{"a"}, {""}, {""}, {"b"}}},
                      CsvCase{"blank_crlf_lines", "a\r\n\r\nb", {{"a"}, {""}, {"b"}}},
                      CsvCase{"empty", "", {}}, CsvCase{"only_bom", "\xEF\xBB\xBF", {}, {}, "UTF-8 (BOM)"},
                      CsvCase{"bom", "\xEF\xBB\xBF户编号,姓名\r\n", {{"户编号", "姓名"}}, {}, "UTF-8 (BOM)"},
                      CsvCase{"quoted_comma", "\"a,b\",c\n", {{"a,b", "c"}}},
                      CsvCase{"doubled_quotes", "\"say \"\"hi\"\"\",x\n", {{"say \"hi\"", "x"}}},
                      CsvCase{"quoted_line_breaks_count_one_record",
                              "\"1\r\n2\",x\ny,\"3\n4\n5\"\nz\n",
                              {{"1\r\n2", "x"}, {"y", "3\n4\n5"}, {"z"}}},
                      CsvCase{"quoted_cr_then_cr_end", "\"a\rb\"\rc", {{"a\rb"}, {"c"}}},
                      CsvCase{"empty_fields", ",,\n", {{"", "", ""}}},
                      CsvCase{"trailing_comma", "a,\n", {{"a", ""}}},
                      CsvCase{"empty_quoted", "\"\",\"\"\n", {{"", ""}}},
                      CsvCase{"quote_inside_unquoted_is_literal", "ab\"c,d\n", {{"ab\"c", "d"}}},
                      CsvCase{"text_after_closing_quote_kept", "\"ab\"c,d\n", {{"abc", "d"}}},
                      CsvCase{"closed_quote_at_eof", "\"abc\"", {{"abc"}}},
                      // A quote that does not open the field is literal.
                      CsvCase{"spaces_not_trimmed", " a , \"b\" \n", {{" a ", " \"b\" "}}},
                      CsvCase{"chinese", "姓名,民族\n卓玛,藏族\n", {{"姓名", "民族"}, {"卓玛", "藏族"}}},
                      CsvCase{"four_byte_utf8", "𠀀,x\n", {{"𠀀", "x"}}},
                      CsvCase{"gb18030",
                              ToGb18030("户编号,姓名\r\nH001,\"扎西,多吉\"\r\n"),
                              {{"户编号", "姓名"}, {"H001", "扎西,多吉"}},
                              {},
                              "GB18030"}),
    [](const ::testing::TestParamInfo<CsvCase>& info) { return info.param.name; });

// --- CSV fixture files ----------------------------------------------------------------------------

struct FixtureCase {
    std::string file;
    std::string encoding;
    Rows rows;
};

std::ostream& operator<<(std::ostream& out, const FixtureCase& c) { return out << c.file; }

class CsvFixtureTest : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(CsvFixtureTest, ReadsAsExpected) {
    const FixtureCase& c = GetParam();
    auto read = ReadTable(FixturePath(c.file));
    ASSERT_TRUE(read) << read.error().ToString();
    EXPECT_EQ(read->encoding, c.encoding);
    EXPECT_EQ(read->rows, c.rows);
    ASSERT_FALSE(read->numbers.empty());
    EXPECT_EQ(read->numbers.back(), static_cast<int64_t>(c.rows.size()));
}

INSTANTIATE_TEST_SUITE_P(
    Files, CsvFixtureTest,
    ::testing::Values(FixtureCase{"gb18030.csv",
                                  "GB18030",
                                  {{"户编号", "姓名", "证件号码", "备注"},
                                   {"H001", "张三", "540425199001011234", "住址：西藏,昌都"},
                                   {"H001", "李㐀", "54042519920202123X", "第一行\r\n第二行"},
                                   {"H002", "扎西·多吉", "540425198512121111", ""}}},
                      FixtureCase{"utf8_bom_crlf.csv",
                                  "UTF-8 (BOM)",
                                  {{"户编号", "姓名", "备注"},
                                   {"H001", "卓玛", "说\"好\"的"},
                                   {""},
                                   {"H002", " 前后空格 ", "多行\r\n文本"}}},
                      FixtureCase{
                          "utf8_lf_multiline.csv",
                          "UTF-8",
                          {{"a", "b", "c"}, {"1\n2\n3", "x", ""}, {"4", "y,z", "w"}, {"5", "6", "7"}}}),
    [](const ::testing::TestParamInfo<FixtureCase>& info) {
        std::string name = info.param.file;
        for (char& c : name) {
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
        }
        return name;
    });

// --- CSV across the 1 MiB chunk boundaries -------------------------------------------------------

constexpr size_t kMiB = size_t{1} << 20;

TEST(CsvChunks, CrLfSplitAcrossChunksIsOneLineEnd) {
    TempDir dir;
    const std::string path = dir.File("crlf.csv");
    WriteBytes(path, std::string(kMiB - 1, 'x') + "\r\ny\r\n");
    auto read = ReadTable(path);
    ASSERT_TRUE(read) << read.error().ToString();
    ASSERT_EQ(read->rows.size(), 2u);
    EXPECT_EQ(read->rows[0][0].size(), kMiB - 1);
    EXPECT_EQ(read->rows[1], std::vector<std::string>{"y"});
}

// Builds ~3 MiB of CSV whose multibyte characters, quoted fields and doubled quotes fall on every
// kind of chunk boundary, in UTF-8 and in GB18030 (2- and 4-byte characters).
TEST(CsvChunks, MultibyteAndQuotesAcrossChunks) {
    const std::vector<std::string> pieces = {"中", "文",   "㐀", "a", "1",   ",",
                                             "\"", "\r\n", "\n", " ", "藏族"};
    std::mt19937 random(7);
    Rows rows;
    std::string utf8;
    while (utf8.size() < 3 * kMiB) {
        std::vector<std::string> row;
        const int cells = 1 + static_cast<int>(random() % 6);
        for (int c = 0; c < cells; ++c) {
            std::string cell;
            const int length = static_cast<int>(random() % 40);
            for (int i = 0; i < length; ++i) cell += pieces[random() % pieces.size()];
            row.push_back(cell);
        }
        for (size_t c = 0; c < row.size(); ++c) {
            if (c > 0) utf8 += ',';
            std::string quoted = "\"";
            for (const char ch : row[c]) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
            utf8 += quoted + "\"";
        }
        utf8 += (random() % 2) != 0 ? "\r\n" : "\n";
        rows.push_back(std::move(row));
    }
    TempDir dir;
    for (const bool gb : {false, true}) {
        SCOPED_TRACE(gb ? "GB18030" : "UTF-8");
        // A first row of a few bytes shifts every later boundary.
        for (const std::string first : {"", "p", "pq", "pqr"}) {
            const std::string path = dir.File("chunks.csv");
            const std::string text = first.empty() ? utf8 : first + "\n" + utf8;
            WriteBytes(path, gb ? ToGb18030(text) : text);
            auto read = ReadTable(path);
            ASSERT_TRUE(read) << read.error().ToString();
            EXPECT_EQ(read->encoding, gb ? "GB18030" : "UTF-8");
            Rows expected;
            if (!first.empty()) expected.push_back({first});
            expected.insert(expected.end(), rows.begin(), rows.end());
            EXPECT_TRUE(read->rows == expected) << "first row " << first;
        }
    }
}

TEST(CsvChunks, InvalidUtf8AfterFirstMiBNamesTheRow) {
    TempDir dir;
    const std::string path = dir.File("bad.csv");
    std::string text;
    for (size_t i = 0; i < kMiB / 4; ++i) text += "abc\n";  // rows 1 .. 262144, exactly 1 MiB
    text += "ok\nbad\xFF\n";                                // row 262146 is bad
    WriteBytes(path, text);
    auto reader = OpenTable(path);
    ASSERT_TRUE(reader) << reader.error().ToString();
    EXPECT_EQ((*reader)->encoding(), "UTF-8");
    std::vector<Cell> row;
    Result<bool> more;
    while ((more = (*reader)->Next(row)) && *more) {
    }
    ASSERT_FALSE(more);
    EXPECT_EQ(more.error().code, "csv.encoding");
    EXPECT_EQ(more.error().field, path + ":262146");
    EXPECT_EQ((*reader)->row_number(), 262145);
}

// Issue 11: one stray byte early in a UTF-8 file was reported as "not valid GB18030" at line 1.
TEST(CsvEncoding, StrayByteInUtf8IsReportedAsUtf8AtItsRow) {
    TempDir dir;
    const std::string path = dir.File("stray.csv");
    WriteBytes(path, "户编号,姓名\nA001,扎西次仁\nA001,次仁\xFF卓玛\nA002,格桑\n");
    auto reader = OpenTable(path);
    ASSERT_TRUE(reader) << reader.error().ToString();
    EXPECT_EQ((*reader)->encoding(), "UTF-8");
    std::vector<Cell> row;
    Result<bool> more;
    while ((more = (*reader)->Next(row)) && *more) {
    }
    ASSERT_FALSE(more);
    EXPECT_EQ(more.error().field, path + ":3");
    EXPECT_NE(more.error().message_en.find("not valid UTF-8"), std::string::npos) << more.error().message_en;
    EXPECT_NE(more.error().message_en.find("0xFF"), std::string::npos);
    EXPECT_EQ(more.error().message_en.find("GB18030"), std::string::npos);
}

TEST(CsvEncoding, NeitherUtf8NorGb18030SaysSo) {
    auto parsed = ParseCsvText("\xD6\xD0,a\nb,\xFF\n");
    ASSERT_FALSE(parsed);
    EXPECT_NE(parsed.error().message_en.find("neither as UTF-8 nor as GB18030"), std::string::npos)
        << parsed.error().message_en;
}

// Issue 11: a GB18030 file starting with GB18030's byte-order mark failed with 缺少必需的列.
TEST(CsvEncoding, Gb18030ByteOrderMarkIsSkipped) {
    auto reader = [] {
        TempDir dir;
        const std::string path = dir.File("bom.csv");
        WriteBytes(path, "\x84\x31\x95\x33" + ToGb18030("户编号,姓名\nA001,扎西次仁\n"));
        return ReadTable(path);
    }();
    ASSERT_TRUE(reader) << reader.error().ToString();
    EXPECT_EQ(reader->encoding, "GB18030 (BOM)");
    ASSERT_EQ(reader->rows.size(), 2u);
    EXPECT_EQ(reader->rows[0][0], "户编号");
    EXPECT_EQ(reader->rows[1][1], "扎西次仁");
}

// Issue 11: an .xls file was reported as bad GB18030.
TEST(OpenTable, XlsIsNamedAsSuch) {
    TempDir dir;
    const std::string path = dir.File("old.xls");
    WriteBytes(path, std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
    auto reader = OpenTable(path);
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, "file.xls");
    EXPECT_NE(reader.error().message_en.find("save it as .xlsx"), std::string::npos);
    EXPECT_NE(reader.error().message_zh.find("另存为 .xlsx"), std::string::npos);
}

// --- CSV errors ----------------------------------------------------------------------------------

struct CsvErrorCase {
    std::string name;
    std::string input;
    std::string code;
    std::string field;  // for ParseCsvText
};

std::ostream& operator<<(std::ostream& out, const CsvErrorCase& c) { return out << c.name; }

class CsvErrorTest : public ::testing::TestWithParam<CsvErrorCase> {};

TEST_P(CsvErrorTest, FailsWithRow) {
    const CsvErrorCase& c = GetParam();
    auto parsed = ParseCsvText(c.input);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, c.code);
    EXPECT_EQ(parsed.error().field, c.field);
    EXPECT_FALSE(parsed.error().message_zh.empty());
    EXPECT_FALSE(parsed.error().message_en.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Csv, CsvErrorTest,
    ::testing::Values(CsvErrorCase{"unterminated_quote", "a,b\n\"open,\nmore\n", "csv.unterminated_quote",
                                   "text:2"},
                      CsvErrorCase{"unterminated_quote_first_row", "\"", "csv.unterminated_quote", "text:1"},
                      CsvErrorCase{"invalid_gb18030", "\xD6\xD0,a\nb,\xFF\n", "csv.encoding", "text:2"},
                      CsvErrorCase{"utf16", std::string("\xFF\xFEh\0i\0", 6), "csv.encoding", "text:1"}),
    [](const ::testing::TestParamInfo<CsvErrorCase>& info) { return info.param.name; });

TEST(OpenTable, MissingFile) {
    auto reader = OpenTable("/nonexistent/jingzhun/file.csv");
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, "file.open");
    EXPECT_EQ(reader.error().field, "/nonexistent/jingzhun/file.csv");
}

TEST(OpenTable, Directory) {
    TempDir dir;
    auto reader = OpenTable(dir.File(""));
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, "file.open");
}

}  // namespace
}  // namespace jz::io::table_test

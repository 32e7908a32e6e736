#include "io/table.h"

#include <gtest/gtest.h>
#include <iconv.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "io/table_internal.h"

namespace jz::io {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

std::string FixturePath(const std::string& name) {
    return std::string(JZ_SOURCE_DIR) + "/tests/fixtures/io/" + name;
}

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
  public:
    TempDir() {
        static std::atomic<int> counter{0};
        path_ = fs::temp_directory_path() /
                ("jz_io_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
                 std::to_string(std::random_device{}()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string File(const std::string& name) const { return (path_ / name).string(); }

  private:
    fs::path path_;
};

void WriteBytes(const std::string& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string ReadBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string ToGb18030(std::string_view utf8) {
    iconv_t cd = ::iconv_open("GB18030", "UTF-8");
    std::string out(utf8.size() * 2 + 16, '\0');
    char* in = const_cast<char*>(utf8.data());
    size_t in_left = utf8.size();
    char* o = out.data();
    size_t out_left = out.size();
    const size_t r = ::iconv(cd, &in, &in_left, &o, &out_left);
    ::iconv_close(cd);
    EXPECT_NE(r, static_cast<size_t>(-1));
    out.resize(out.size() - out_left);
    return out;
}

struct ReadResult {
    Rows rows;
    std::vector<int64_t> numbers;
    std::vector<std::vector<bool>> numeric;
    std::string encoding;
};

Result<ReadResult> ReadTable(const std::string& path, std::string_view sheet = {}) {
    auto reader = OpenTable(path, sheet);
    if (!reader) return std::unexpected(reader.error());
    ReadResult result;
    result.encoding = (*reader)->encoding();
    std::vector<Cell> row;
    while (true) {
        auto more = (*reader)->Next(row);
        if (!more) return std::unexpected(more.error());
        if (!*more) break;
        auto& texts = result.rows.emplace_back();
        auto& numeric = result.numeric.emplace_back();
        for (const auto& cell : row) {
            texts.push_back(cell.text);
            numeric.push_back(cell.numeric);
        }
        result.numbers.push_back((*reader)->row_number());
    }
    return result;
}

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

// --- Internals ------------------------------------------------------------------------------------

struct Utf8Case {
    std::string bytes;
    size_t valid;
    bool incomplete;
};

TEST(Utf8, ValidPrefix) {
    const std::vector<Utf8Case> cases = {
        {"", 0, false},
        {"abc", 3, false},
        {"中文", 6, false},
        {"ab\xE4\xB8", 2, true},           // cut 3-byte character
        {"ab\xF0\x9F\x98", 2, true},       // cut 4-byte character
        {"ab\xFF", 2, false},              // never valid
        {"ab\xC0\xAF", 2, false},          // overlong
        {"ab\xE0\x80\xAF", 2, false},      // overlong
        {"ab\xED\xA0\x80", 2, false},      // surrogate
        {"ab\xF4\x90\x80\x80", 2, false},  // above U+10FFFF
        {"ab\xE4\x41", 2, false},          // bad continuation
        {"0123456789abcdef0123\xE4\xB8\xAD", 23, false},
    };
    for (const auto& c : cases) {
        bool incomplete = true;
        EXPECT_EQ(internal::ValidUtf8Prefix(c.bytes, &incomplete), c.valid) << c.bytes;
        EXPECT_EQ(incomplete, c.incomplete) << c.bytes;
    }
}

// Byte-by-byte reference for ValidUtf8Prefix, written from the Unicode table of well-formed
// sequences, to check the vectorised path against.
size_t ReferenceUtf8Prefix(std::string_view text, bool* incomplete) {
    struct Row {
        unsigned first;  // lead byte range
        unsigned last;
        size_t length;
        unsigned second_lo;  // allowed second byte
        unsigned second_hi;
    };
    // Unicode 15, table 3-7.
    static constexpr Row kTable[] = {
        {0x00, 0x7F, 1, 0, 0},       {0xC2, 0xDF, 2, 0x80, 0xBF}, {0xE0, 0xE0, 3, 0xA0, 0xBF},
        {0xE1, 0xEC, 3, 0x80, 0xBF}, {0xED, 0xED, 3, 0x80, 0x9F}, {0xEE, 0xEF, 3, 0x80, 0xBF},
        {0xF0, 0xF0, 4, 0x90, 0xBF}, {0xF1, 0xF3, 4, 0x80, 0xBF}, {0xF4, 0xF4, 4, 0x80, 0x8F}};
    *incomplete = false;
    size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        const Row* row = nullptr;
        for (const Row& r : kTable) {
            if (c >= r.first && c <= r.last) row = &r;
        }
        if (row == nullptr) return i;
        for (size_t k = 1; k < row->length; ++k) {
            if (i + k >= text.size()) {
                *incomplete = true;
                return i;
            }
            const auto d = static_cast<unsigned char>(text[i + k]);
            const unsigned lo = k == 1 ? row->second_lo : 0x80;
            const unsigned hi = k == 1 ? row->second_hi : 0xBF;
            if (d < lo || d > hi) return i;
        }
        i += row->length;
    }
    return i;
}

RC_GTEST_PROP(Utf8Property, ValidPrefixMatchesReference, ()) {
    static const std::vector<std::string> kPieces = {
        "a", ",", "\n", "0123456789abcdef", "é", "中", "藏族", "𠀀", "\xEF\xBF\xBF",
        // Invalid or cut sequences, rarer than the valid ones.
        "\xFF", "\x80", "\xC0\xAF", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE4\xB8",
        "\xF0\x9F"};
    const auto indexes = *rc::gen::container<std::vector<size_t>>(rc::gen::weightedOneOf<size_t>(
        {{40, rc::gen::inRange<size_t>(0, 9)}, {1, rc::gen::inRange<size_t>(9, kPieces.size())}}));
    std::string text;
    for (const size_t i : indexes) text += kPieces[i];
    const size_t cut = *rc::gen::inRange<size_t>(0, text.size() + 1);
    text.resize(cut);
    bool incomplete = false;
    bool expected_incomplete = false;
    const size_t expected = ReferenceUtf8Prefix(text, &expected_incomplete);
    RC_ASSERT(internal::ValidUtf8Prefix(text, &incomplete) == expected);
    RC_ASSERT(incomplete == expected_incomplete);
}

TEST(Xstring, DecodeAndProtect) {
    const std::vector<std::pair<std::string, std::string>> decoded = {
        {"plain", "plain"},
        {"a_x000D_\nb", "a\r\nb"},
        {"_x005F_x0041_", "_x0041_"},
        {"_x4E2D_", "中"},
        {"_xD840__xDC00_", "𠀀"},
        {"_xD840_", "_xD840_"},  // lone surrogate kept
        {"_x12_ _xZZZZ_", "_x12_ _xZZZZ_"},
    };
    for (const auto& [in, out] : decoded) {
        std::string text = in;
        internal::DecodeXstring(text);
        EXPECT_EQ(text, out) << in;
    }
    std::string protected_text;
    EXPECT_FALSE(internal::ProtectXstring("no escapes _x12_", protected_text));
    ASSERT_TRUE(internal::ProtectXstring("a_x0041_b_x0042_", protected_text));
    EXPECT_EQ(protected_text, "a_x005F_x0041_b_x005F_x0042_");
    internal::DecodeXstring(protected_text);
    EXPECT_EQ(protected_text, "a_x0041_b_x0042_");
}

// --- .xlsx reading --------------------------------------------------------------------------------

// Writes a zip whose entries are given as (name, content).
void WriteZip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries) {
    int error = 0;
    zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    ASSERT_NE(zip, nullptr);
    for (const auto& [name, content] : entries) {
        zip_source_t* source = zip_source_buffer(zip, content.data(), content.size(), 0);
        ASSERT_NE(source, nullptr);
        ASSERT_GE(zip_file_add(zip, name.c_str(), source, ZIP_FL_ENC_UTF_8), 0);
    }
    ASSERT_EQ(zip_close(zip), 0);
}

std::string ReadZipEntry(const std::string& path, const std::string& name) {
    int error = 0;
    zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, &error);
    if (zip == nullptr) return {};
    std::string out;
    if (zip_file_t* file = zip_fopen(zip, name.c_str(), 0)) {
        char buffer[4096];
        zip_int64_t got;
        while ((got = zip_fread(file, buffer, sizeof(buffer))) > 0)
            out.append(buffer, static_cast<size_t>(got));
        zip_fclose(file);
    }
    zip_discard(zip);
    return out;
}

constexpr const char* kXmlHead = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)";

// A workbook as another program might write it: an absolute and a relative sheet target, a
// non-"r" prefix for the relationships namespace, prefixed SpreadsheetML elements, rich and
// phonetic shared strings, inline strings, skipped rows and cells without references.
std::vector<std::pair<std::string, std::string>> HandMadeWorkbook() {
    const std::string ns = R"(xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main")";
    const std::string rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const std::string pkg_rel_ns = R"(xmlns="http://schemas.openxmlformats.org/package/2006/relationships")";
    return {
        {"[Content_Types].xml",
         std::string(kXmlHead) +
             R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
             R"(<Default Extension="xml" ContentType="application/xml"/></Types>)"},
        {"_rels/.rels", std::string(kXmlHead) + "<Relationships " + pkg_rel_ns + ">" +
                            R"(<Relationship Id="rId1" Type=")" + rel_ns +
                            R"(/officeDocument" Target="xl/workbook.xml"/></Relationships>)"},
        {"xl/workbook.xml", std::string(kXmlHead) + "<workbook " + ns + " xmlns:rel=\"" + rel_ns +
                                "\"><sheets>"
                                R"(<sheet name="Summary" sheetId="1" rel:id="rId1"/>)"
                                R"(<sheet name="登记表" sheetId="2" rel:id="rId2"/>)"
                                "</sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels",
         std::string(kXmlHead) + "<Relationships " + pkg_rel_ns + ">" + R"(<Relationship Id="rId1" Type=")" +
             rel_ns + R"(/worksheet" Target="worksheets/sheet1.xml"/>)" +
             R"(<Relationship Id="rId2" Type=")" + rel_ns +
             R"(/worksheet" Target="/xl/worksheets/sheet2.xml"/>)" + R"(<Relationship Id="rId3" Type=")" +
             rel_ns + R"(/sharedStrings" Target="sharedStrings.xml"/>)" + "</Relationships>"},
        {"xl/sharedStrings.xml",
         std::string(kXmlHead) + "<sst " + ns +
             R"( count="6" uniqueCount="6">)"
             "<si><t>户编号</t></si>"
             R"(<si><r><rPr><b/></rPr><t>扎西</t></r><r><t xml:space="preserve"> 多吉</t></r></si>)"
             R"(<si><t>卓玛</t><rPh sb="0" eb="2"><t>zhuoma</t></rPh><phoneticPr fontId="1"/></si>)"
             "<si><t>line_x000D_\nbreak</t></si>"
             "<si><t>_x005F_x0041_</t></si>"
             R"(<si><t xml:space="preserve">  spaced  </t></si>)"
             "</sst>"},
        {"xl/worksheets/sheet1.xml",
         std::string(kXmlHead) + "<worksheet " + ns +
             R"(><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>summary</t></is></c>)"
             "</row></sheetData></worksheet>"},
        {"xl/worksheets/sheet2.xml",
         std::string(kXmlHead) +
             R"(<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
             R"(<x:dimension ref="A1:F7"/><x:sheetData>)"
             R"(<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c>)"
             R"(<x:c r="C1" t="inlineStr"><x:is><x:t>证件号码</x:t></x:is></x:c></x:row>)"
             R"(<x:row r="2"><x:c r="A2" t="s"><x:v>2</x:v></x:c>)"
             R"(<x:c r="C2" t="inlineStr"><x:is><x:r><x:t>5404251990</x:t></x:r><x:r><x:t>01011234</x:t></x:r>)"
             R"(<x:rPh sb="0" eb="1"><x:t>ignored</x:t></x:rPh></x:is></x:c>)"
             R"(<x:c r="E2" t="b"><x:v>1</x:v></x:c></x:row>)"
             R"(<x:row r="5"><x:c t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c><x:c><x:v>42</x:v></x:c>)"
             R"(<x:c t="e"><x:v>#N/A</x:v></x:c><x:c t="b"><x:v>0</x:v></x:c></x:row>)"
             R"(<x:row r="6"><x:c r="B6" t="str"><x:f>A1</x:f><x:v>公式</x:v></x:c>)"
             R"(<x:c r="D6" t="s"><x:v>3</x:v></x:c><x:c r="F6" s="1"/></x:row>)"
             R"(<x:row r="7"><x:c r="A7" t="s"><x:v>4</x:v></x:c><x:c r="B7" t="s"><x:v>5</x:v></x:c>)"
             R"(<x:c r="C7" s="2"><x:v>5.40425199001011E+17</x:v></x:c>)"
             R"(<x:c r="D7" t="inlineStr"><x:is><x:t xml:space="preserve"> a_x0009_b </x:t></x:is></x:c></x:row>)"
             R"(</x:sheetData></x:worksheet>)"},
    };
}

TEST(XlsxRead, OdsIsNamedAsSuch) {
    TempDir dir;
    const std::string path = dir.File("sheet.xlsx");
    WriteZip(path, {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, {"content.xml", "<x/>"}});
    auto reader = OpenTable(path);
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, "xlsx.format");
    EXPECT_NE(reader.error().message_en.find(".ods"), std::string::npos) << reader.error().message_en;
}

TEST(XlsxRead, DateSystemAndSheetNames) {
    for (bool date1904 : {false, true}) {
        auto parts = HandMadeWorkbook();
        for (auto& [name, content] : parts)
            if (name == "xl/workbook.xml" && date1904)
                content.insert(content.find("<sheets>"), "<workbookPr date1904=\"1\"/>");
        TempDir dir;
        const std::string path = dir.File("hand.xlsx");
        WriteZip(path, parts);
        auto reader = OpenTable(path, "登记表");
        ASSERT_TRUE(reader) << reader.error().ToString();
        EXPECT_EQ((*reader)->date1904(), date1904);
        EXPECT_EQ((*reader)->sheet(), "登记表");
        EXPECT_EQ((*reader)->sheets(), (std::vector<std::string>{"Summary", "登记表"}));
    }
}

TEST(XlsxRead, HandMadeWorkbookFirstSheetByDefault) {
    TempDir dir;
    const std::string path = dir.File("hand.xlsx");
    WriteZip(path, HandMadeWorkbook());
    auto read = ReadTable(path);
    ASSERT_TRUE(read) << read.error().ToString();
    EXPECT_EQ(read->encoding, "xlsx");
    EXPECT_EQ(read->rows, (Rows{{"summary"}}));
}

TEST(XlsxRead, HandMadeWorkbookSheetByName) {
    TempDir dir;
    // Not named .xlsx: the kind is told by content.
    const std::string path = dir.File("hand.dat");
    WriteZip(path, HandMadeWorkbook());
    auto read = ReadTable(path, "登记表");
    ASSERT_TRUE(read) << read.error().ToString();
    const Rows expected = {
        {"户编号", "扎西 多吉", "证件号码"},
        {"卓玛", "", "540425199001011234", "", "TRUE"},
        {"x", "42", "#N/A", "FALSE"},
        {"", "公式", "", "line\r\nbreak"},
        {"_x0041_", "  spaced  ", "5.40425199001011E+17", " a\tb "},
    };
    EXPECT_EQ(read->rows, expected);
    // Rows 3 and 4 are not in the sheet: skipped, the numbers stay the sheet's.
    EXPECT_EQ(read->numbers, (std::vector<int64_t>{1, 2, 5, 6, 7}));
    EXPECT_EQ(read->numeric[2], (std::vector<bool>{false, true, false, false}));
    EXPECT_EQ(read->numeric[4], (std::vector<bool>{false, false, true, false}));
    EXPECT_FALSE(read->numeric[1][2]);

    // Sheet names match case-insensitively, as in Excel.
    auto summary = ReadTable(path, "SUMMARY");
    ASSERT_TRUE(summary) << summary.error().ToString();
    EXPECT_EQ(summary->rows, (Rows{{"summary"}}));
}

TEST(XlsxRead, LibxlsxwriterWorkbookWithSharedStringsAndNumbers) {
    TempDir dir;
    const std::string path = dir.File("lxw.xlsx");
    {
        lxw_workbook* workbook = workbook_new(path.c_str());  // not constant_memory: shared strings
        lxw_worksheet* cover = workbook_add_worksheet(workbook, "封面");
        worksheet_write_string(cover, 0, 0, "说明", nullptr);
        lxw_worksheet* data = workbook_add_worksheet(workbook, "数据");
        worksheet_write_string(data, 0, 0, "姓名", nullptr);
        worksheet_write_string(data, 0, 1, "证件号码", nullptr);
        worksheet_write_string(data, 1, 0, "卓玛", nullptr);
        worksheet_write_number(data, 1, 1, 540425199001011234.0, nullptr);  // the classic mistake
        worksheet_write_string(data, 3, 0, "次仁", nullptr);
        worksheet_write_string(data, 3, 1, "540425199202021235", nullptr);
        worksheet_write_boolean(data, 3, 2, 1, nullptr);
        worksheet_write_number(data, 3, 3, 3520.5, nullptr);
        ASSERT_EQ(workbook_close(workbook), LXW_NO_ERROR);
    }
    auto cover = ReadTable(path);
    ASSERT_TRUE(cover) << cover.error().ToString();
    EXPECT_EQ(cover->rows, (Rows{{"说明"}}));

    auto read = ReadTable(path, "数据");
    ASSERT_TRUE(read) << read.error().ToString();
    // The number cell holds what libxlsxwriter printed (%.16G); the digits are already lost.
    EXPECT_EQ(read->rows, (Rows{{"姓名", "证件号码"},
                                {"卓玛", "5.404251990010113E+17"},
                                {"次仁", "540425199202021235", "TRUE", "3520.5"}}));
    EXPECT_EQ(read->numbers, (std::vector<int64_t>{1, 2, 4}));
    EXPECT_EQ(read->numeric[1], (std::vector<bool>{false, true}));
    EXPECT_EQ(read->numeric[2], (std::vector<bool>{false, false, false, true}));
}

struct XlsxErrorCase {
    std::string name;
    std::vector<std::pair<std::string, std::string>> entries;  // empty: raw bytes instead
    std::string raw;
    std::string sheet;
    std::string code;
    std::string row;  // when the error comes from Next(): the row in the field
};

std::ostream& operator<<(std::ostream& out, const XlsxErrorCase& c) { return out << c.name; }

std::vector<std::pair<std::string, std::string>> WithEntry(std::string name, std::string content) {
    auto entries = HandMadeWorkbook();
    for (auto& entry : entries) {
        if (entry.first == name) entry.second = std::move(content);
    }
    return entries;
}

std::string Sheet2(const std::string& rows) {
    return std::string(kXmlHead) +
           R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
           rows;
}

class XlsxErrorTest : public ::testing::TestWithParam<XlsxErrorCase> {};

TEST_P(XlsxErrorTest, Fails) {
    const XlsxErrorCase& c = GetParam();
    TempDir dir;
    const std::string path = dir.File("bad.xlsx");
    if (c.entries.empty()) {
        WriteBytes(path, c.raw);
    } else {
        WriteZip(path, c.entries);
    }
    auto read = ReadTable(path, c.sheet);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, c.code);
    EXPECT_EQ(read.error().field, c.row.empty() ? path : path + ":" + c.row);
    EXPECT_FALSE(read.error().message_zh.empty());
    EXPECT_FALSE(read.error().message_en.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Xlsx, XlsxErrorTest,
    ::testing::Values(
        XlsxErrorCase{"unknown_sheet", HandMadeWorkbook(), "", "Sheet9", "xlsx.sheet", ""},
        XlsxErrorCase{
            "corrupt_zip", {}, std::string("PK\3\4") + std::string(200, '\x17'), "", "xlsx.format", ""},
        XlsxErrorCase{"zip_without_workbook", {{"hello.txt", "hello"}}, "", "", "xlsx.format", ""},
        XlsxErrorCase{"broken_workbook_xml", WithEntry("xl/workbook.xml", "<workbook><sheets>"), "", "",
                      "xlsx.format", ""},
        XlsxErrorCase{"sheet_part_missing", WithEntry("xl/_rels/workbook.xml.rels", "<Relationships/>"), "",
                      "", "xlsx.format", ""},
        XlsxErrorCase{
            "truncated_sheet_xml",
            WithEntry("xl/worksheets/sheet2.xml",
                      Sheet2(R"(<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2)")),
            "", "登记表", "xlsx.format", "2"},
        XlsxErrorCase{
            "shared_string_out_of_range",
            WithEntry("xl/worksheets/sheet2.xml",
                      Sheet2(R"(<row r="3"><c r="A3" t="s"><v>99</v></c></row></sheetData></worksheet>)")),
            "", "登记表", "xlsx.format", "3"},
        XlsxErrorCase{
            "column_beyond_xfd",
            WithEntry("xl/worksheets/sheet2.xml",
                      Sheet2(R"(<row r="1"><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>)")),
            "", "登记表", "xlsx.format", "1"},
        XlsxErrorCase{
            "doctype_refused",
            WithEntry("xl/worksheets/sheet2.xml",
                      std::string(kXmlHead) + R"(<!DOCTYPE worksheet [<!ENTITY a "aaaa">]><worksheet/>)"),
            "", "登记表", "xlsx.format", "1"}),
    [](const ::testing::TestParamInfo<XlsxErrorCase>& info) { return info.param.name; });

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
}  // namespace jz::io

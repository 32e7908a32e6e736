// Encoding detection at the end of the sample (found by fuzz_csv; docs/fuzzing.md): the same bytes
// read as a file and from memory give the same rows.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/table.h"

namespace jz::io {
namespace {

// ASCII, then 鎵 in GB18030 (E6 89): those two bytes are also the first two of a three-byte UTF-8
// sequence, cut by the end of the text.
std::string AsciiEndingInGb18030(size_t ascii) {
    std::string text = "name,note\r\n";
    while (text.size() < ascii) text += "a";
    text += ",\xE6\x89";
    return text;
}

std::vector<std::vector<std::string>> ReadFile(const std::string& bytes, std::string* encoding) {
    const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                       ("jz_csv_encoding_test_" + std::to_string(::getpid()) + ".csv");
    std::ofstream(path, std::ios::binary) << bytes;
    std::vector<std::vector<std::string>> rows;
    {
        auto reader = OpenTable(path.string());
        EXPECT_TRUE(reader.has_value());
        if (!reader) return rows;
        *encoding = std::string((*reader)->encoding());
        std::vector<Cell> row;
        while (true) {
            auto more = (*reader)->Next(row);
            EXPECT_TRUE(more.has_value()) << more.error().message_en;
            if (!more || !*more) break;
            auto& out = rows.emplace_back();
            for (const Cell& c : row) out.push_back(c.text);
        }
    }
    std::filesystem::remove(path);
    return rows;
}

TEST(CsvEncoding, TextEndingInAGb18030CharacterThatLooksLikeCutUtf8IsGb18030FromMemoryAsFromAFile) {
    // 64 bytes or more: ParseCsvText's first chunk is the whole text, so the end of the input was
    // not seen when the encoding was chosen, and the text was refused as bad UTF-8.
    for (size_t ascii : {20, 64, 100, 5000}) {
        SCOPED_TRACE(ascii);
        const std::string text = AsciiEndingInGb18030(ascii);
        const std::vector<std::vector<std::string>> expected = {{"name", "note"},
                                                                {std::string(text.size() - 14, 'a'), "鎵"}};
        auto parsed = ParseCsvText(text);
        ASSERT_TRUE(parsed.has_value()) << parsed.error().message_en;
        EXPECT_EQ(*parsed, expected);
        std::string encoding;
        EXPECT_EQ(ReadFile(text, &encoding), expected);
        EXPECT_EQ(encoding, "GB18030");
    }
}

// A UTF-8 character cut by the end of the first MiB of a longer file stays UTF-8: the look past the
// sample finds the file going on.
TEST(CsvEncoding, Utf8CharacterCutByTheSampleEndStaysUtf8) {
    std::string text = "name,note\r\n";
    while (text.size() < (size_t{1} << 20) - 2) text += "a";
    text += ",\xE9\x8E\xB5\r\n";  // 鎵 in UTF-8; the first MiB ends after its first byte
    std::string encoding;
    const auto rows = ReadFile(text, &encoding);
    EXPECT_EQ(encoding, "UTF-8");
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows.back().back(), "鎵");
}

}  // namespace
}  // namespace jz::io

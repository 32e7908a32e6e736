// Helpers shared by the io tests of tables (test code only): a temporary directory, files read and
// written whole, GB18030 text, a table read to the end, and zip packages built by hand.
#pragma once

#include <gtest/gtest.h>
#include <iconv.h>
#include <unistd.h>
#include <zip.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/table.h"

namespace jz::io::table_test {

namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

inline std::string FixturePath(const std::string& name) {
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

inline void WriteBytes(const std::string& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string ReadBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline std::string ToGb18030(std::string_view utf8) {
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

inline Result<ReadResult> ReadTable(const std::string& path, std::string_view sheet = {}) {
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

// Writes a zip whose entries are given as (name, content).
inline void WriteZip(const std::string& path,
                     const std::vector<std::pair<std::string, std::string>>& entries) {
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

inline std::string ReadZipEntry(const std::string& path, const std::string& name) {
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

inline constexpr const char* kXmlHead = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)";

}  // namespace jz::io::table_test

// Fuzz target: the CSV reader with encoding detection (io/table.h), through both entry points, the
// streaming file reader (OpenTable) and the in-memory one (ParseCsvText).
// Invariants: no crash, no sanitizer report; every cell is UTF-8 whatever the input's encoding; row
// numbers increase; the two entry points agree (same rows, or both refuse the input).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "io/table.h"
#include "memfile.h"

using jz::fuzz::IsUtf8;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static jz::fuzz::MemFile file;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // A zip signature makes OpenTable read .xlsx: that is the xlsx target's part.
    if (text.starts_with(std::string_view("PK\3\4", 4))) return 0;

    auto parsed = jz::io::ParseCsvText(text);

    auto reader = jz::io::OpenTable(file.Write(data, size));
    std::vector<std::vector<std::string>> rows;
    bool failed = !reader;  // refused at the start (e.g. a UTF-16 byte order mark)
    if (!reader) {
        JZ_FUZZ_CHECK(!reader.error().code.empty());
    } else {
        std::vector<jz::io::Cell> row;
        int64_t last = 0;
        while (true) {
            auto more = (*reader)->Next(row);
            if (!more) {
                failed = true;
                JZ_FUZZ_CHECK(!more.error().code.empty());
                break;
            }
            if (!*more) break;
            JZ_FUZZ_CHECK((*reader)->row_number() > last);
            last = (*reader)->row_number();
            auto& out = rows.emplace_back();
            for (const auto& cell : row) {
                JZ_FUZZ_CHECK(IsUtf8(cell.text));
                JZ_FUZZ_CHECK(!cell.numeric);
                out.push_back(cell.text);
            }
        }
        const std::string_view encoding = (*reader)->encoding();
        JZ_FUZZ_CHECK(encoding == "UTF-8" || encoding == "UTF-8 (BOM)" || encoding == "GB18030" ||
                      encoding == "GB18030 (BOM)");
    }

    JZ_FUZZ_CHECK(parsed.has_value() == !failed);
    if (parsed) JZ_FUZZ_CHECK(*parsed == rows);
    return 0;
}

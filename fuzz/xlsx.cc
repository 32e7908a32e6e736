// Fuzz target: the .xlsx reader (io/table.h: libzip, expat for the sheet and shared strings, pugixml
// for the workbook and relationships).
// An input that starts with a zip signature (PK\3\4) is taken as the file itself. Any other input
// is a package described as text: parts separated by a line "--part--", in the order sheet1.xml,
// sharedStrings.xml, workbook.xml, workbook.xml.rels, _rels/.rels; parts not given are those of a minimal
// valid workbook. The harness stores them in a zip (no compression, correct CRCs), so mutations reach the XML
// parsers instead of stopping at libzip's checks. Invariants: no crash, no sanitizer report; every cell is
// UTF-8; row numbers increase.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "io/table.h"
#include "memfile.h"

namespace {

constexpr std::string_view kSeparator = "\n--part--\n";

constexpr std::array<std::string_view, 5> kPartNames = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                                        "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                                        "_rels/.rels"};

constexpr std::array<std::string_view, 5> kDefaults = {
    R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>)",
    R"(<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>户编号</t></si></sst>)",
    R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>)",
    R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>)",
    R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)",
};

uint32_t Crc32(std::string_view data) {
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char b : data) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

void Put16(std::string& out, uint32_t v) {
    out.push_back(static_cast<char>(v & 0xFF));
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
}
void Put32(std::string& out, uint32_t v) {
    Put16(out, v & 0xFFFF);
    Put16(out, v >> 16);
}

// A zip archive of `parts` stored without compression.
std::string StoredZip(const std::vector<std::pair<std::string_view, std::string_view>>& parts) {
    std::string out, central;
    for (const auto& [name, data] : parts) {
        const uint32_t offset = static_cast<uint32_t>(out.size());
        const uint32_t crc = Crc32(data);
        const auto size = static_cast<uint32_t>(data.size());
        Put32(out, 0x04034b50);
        Put16(out, 20);    // version needed
        Put16(out, 0);     // flags
        Put16(out, 0);     // stored
        Put16(out, 0);     // time
        Put16(out, 0x21);  // date 1980-01-01
        Put32(out, crc);
        Put32(out, size);
        Put32(out, size);
        Put16(out, static_cast<uint32_t>(name.size()));
        Put16(out, 0);
        out += name;
        out += data;
        Put32(central, 0x02014b50);
        Put16(central, 20);  // version made by
        Put16(central, 20);
        Put16(central, 0);
        Put16(central, 0);
        Put16(central, 0);
        Put16(central, 0x21);
        Put32(central, crc);
        Put32(central, size);
        Put32(central, size);
        Put16(central, static_cast<uint32_t>(name.size()));
        Put16(central, 0);  // extra
        Put16(central, 0);  // comment
        Put16(central, 0);  // disk
        Put16(central, 0);  // internal attributes
        Put32(central, 0);  // external attributes
        Put32(central, offset);
        central += name;
    }
    const uint32_t central_offset = static_cast<uint32_t>(out.size());
    out += central;
    Put32(out, 0x06054b50);
    Put16(out, 0);
    Put16(out, 0);
    Put16(out, static_cast<uint32_t>(parts.size()));
    Put16(out, static_cast<uint32_t>(parts.size()));
    Put32(out, static_cast<uint32_t>(central.size()));
    Put32(out, central_offset);
    Put16(out, 0);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static jz::fuzz::MemFile file;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string package;
    if (text.starts_with(std::string_view("PK\3\4", 4))) {
        package.assign(text);
    } else {
        std::array<std::string_view, kPartNames.size()> contents = kDefaults;
        size_t start = 0;
        for (size_t i = 0; i < contents.size() && start <= text.size(); ++i) {
            size_t end = text.find(kSeparator, start);
            if (end == std::string_view::npos) end = text.size();
            contents[i] = text.substr(start, end - start);
            start = end + kSeparator.size();
        }
        std::vector<std::pair<std::string_view, std::string_view>> parts;
        for (size_t i = 0; i < contents.size(); ++i) parts.emplace_back(kPartNames[i], contents[i]);
        package = StoredZip(parts);
    }

    const std::string& path = file.Write(reinterpret_cast<const uint8_t*>(package.data()), package.size());
    auto reader = jz::io::OpenTable(path);
    if (!reader) {
        JZ_FUZZ_CHECK(!reader.error().code.empty());
        return 0;
    }
    JZ_FUZZ_CHECK((*reader)->encoding() == "xlsx");
    std::vector<jz::io::Cell> row;
    int64_t last = 0;
    while (true) {
        auto more = (*reader)->Next(row);
        if (!more) {
            JZ_FUZZ_CHECK(!more.error().code.empty());
            break;
        }
        if (!*more) break;
        JZ_FUZZ_CHECK((*reader)->row_number() > last);
        last = (*reader)->row_number();
        for (const auto& cell : row) JZ_FUZZ_CHECK(jz::fuzz::IsUtf8(cell.text));
    }
    return 0;
}

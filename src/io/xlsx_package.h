// Internals of the .xlsx reader (not part of the io interface): the zip package and its parts,
// each inflated within the import limits (PartInput), the small XML parts (relationships, the
// workbook) and the shared strings. Used by xlsx_reader.cc, xlsx_package.cc and
// xlsx_shared_strings.cc only.
//
// Ownership: a Budget belongs to one reader (it is moved into it once the workbook is read); a
// PartInput keeps a reference to its Budget and must not outlive it. Nothing here is shared
// between threads; one reader is used by one thread at a time.
#pragma once

#include <expat.h>
#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "io/table.h"

namespace jz::io::xlsx {

constexpr int kXmlChunk = 256 * 1024;
constexpr size_t kMaxColumns = 16384;      // XFD, Excel's last column
constexpr int64_t kMaxSheetRow = 1048576;  // Excel's last row
constexpr std::string_view kOfficeDocumentType = "/officeDocument";
constexpr std::string_view kWorksheetType = "/worksheet";
constexpr std::string_view kSharedStringsType = "/sharedStrings";

// Parts may use a namespace prefix ("x:row"); only the local name matters here.
inline std::string_view LocalName(const char* name) {
    const char* colon = std::strrchr(name, ':');
    return colon != nullptr ? colon + 1 : name;
}

// Error "xlsx.format" naming `field`, its reasons prefixed "not a valid xlsx file: ".
Error FormatError(std::string field, const std::string& zh, const std::string& en);

struct ZipDiscard {
    void operator()(zip_t* zip) const { zip_discard(zip); }
};
struct ZipFileClose {
    void operator()(zip_file_t* file) const { zip_fclose(file); }
};
struct ParserFree {
    void operator()(XML_Parser parser) const { XML_ParserFree(parser); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileClose>;
using ParserPtr = std::unique_ptr<std::remove_pointer_t<XML_Parser>, ParserFree>;

// Expat's line and message for the error it stopped at.
std::string ExpatMessage(XML_Parser parser);

// What every part of one package draws on: the limits, the bytes inflated so far, cancellation.
struct Budget {
    ImportLimits limits;
    Cancellation cancel;
    std::string name;  // the file, for error fields
    int64_t inflated = 0;
};

// One part, inflated with limits: its own size cap, the package's total, and the ratio of inflated
// to compressed bytes. Deflated parts (all that Office writes) are read raw from libzip and
// inflated here, so the ratio is that of the compressed bytes consumed so far — a zip bomb is
// caught within its first few megabytes — and the CRC is checked here. Other methods go through
// libzip, the ratio then against the part's whole compressed size.
class PartInput {
  public:
    PartInput(Budget& budget, std::string part, int64_t max_bytes)
        : budget_(budget), part_(std::move(part)), max_bytes_(max_bytes) {}
    ~PartInput();
    PartInput(const PartInput&) = delete;
    PartInput& operator=(const PartInput&) = delete;

    Result<void> Open(zip_t* zip, zip_int64_t index);
    // Up to `size` bytes; 0 at the end of the part.
    Result<size_t> Read(char* dst, size_t size);

  private:
    static constexpr size_t kRawChunk = 16 * 1024;

    Result<size_t> Inflate(char* dst, size_t size);
    Error Failure(const std::string& why) const;

    Budget& budget_;
    std::string part_;
    int64_t max_bytes_;
    int64_t compressed_ = 0;
    int64_t consumed_ = 0;  // compressed bytes read so far
    int64_t inflated_ = 0;
    ZipFilePtr file_;
    // Raw deflate, inflated here.
    bool inflating_ = false;
    bool input_ended_ = false;
    bool ended_ = false;
    z_stream stream_{};
    std::unique_ptr<unsigned char[]> in_;
    uLong crc_ = crc32(0L, Z_NULL, 0);
    uLong expected_crc_ = 0;
};

// The index of `part` in the package (names compared ignoring case), nullopt when absent.
std::optional<zip_int64_t> LocatePart(zip_t* zip, const std::string& part);

// The whole of a small part (at most limits.max_small_part_bytes); nullopt when the package has no
// such part.
Result<std::optional<std::string>> ReadPart(zip_t* zip, const std::string& part, Budget& budget);

// "xl/worksheets/sheet1.xml" → "xl/worksheets/".
std::string_view DirectoryOf(std::string_view part);

// A relationship target, relative to the source part's directory unless it starts with '/'.
std::string ResolveTarget(std::string_view base_dir, std::string_view target);

struct Relationship {
    std::string id;
    std::string type;
    std::string target;
};

Result<std::vector<Relationship>> ParseRelationships(const std::string& xml, const std::string& part,
                                                     const std::string& name);

struct SheetEntry {
    std::string name;
    std::string rel_id;
};

// The workbook's sheets in order; `part` and `name` (the file) are for error messages.
Result<std::vector<SheetEntry>> ParseWorkbookSheets(const std::string& xml, const std::string& part,
                                                    const std::string& name);

// <workbookPr date1904="1"/>: date serials count from 1904-01-01 (Excel for Mac, LibreOffice's option).
bool UsesDate1904(const std::string& xml);

// All strings of sharedStrings.xml, back to back in one buffer, each cut to max_cell_bytes.
struct SharedStrings {
    std::string pool;
    std::vector<size_t> starts{0};  // string i is pool[starts[i], starts[i + 1])
    std::vector<size_t> cut;        // indexes of the strings that were cut, ascending

    size_t size() const { return starts.size() - 1; }
    std::string_view at(size_t i) const {
        return std::string_view(pool).substr(starts[i], starts[i + 1] - starts[i]);
    }
    bool was_cut(size_t i) const { return std::ranges::binary_search(cut, i); }
};

// Reads the shared strings part at `index` (named `part`) into `out`, each string cut to
// `max_cell` bytes, within the budget's limit for shared strings.
Result<void> LoadSharedStrings(zip_t* zip, zip_int64_t index, const std::string& part, Budget& budget,
                               size_t max_cell, SharedStrings& out);

}  // namespace jz::io::xlsx

// Pieces shared by the CSV and .xlsx implementations of table.h; not part of the io interface.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "io/table.h"

namespace jz::io::internal {

// Length of the longest prefix of `text` that is valid UTF-8 (no overlongs, surrogates or code
// points above U+10FFFF). `*incomplete` is set when the scan stopped at a sequence that is valid so
// far but cut off by the end of `text`, i.e. more bytes could still complete it.
size_t ValidUtf8Prefix(std::string_view text, bool* incomplete);

// The length of the longest prefix of the UTF-8 `text` that is at most `max` bytes and does not end
// inside a character (pieces of text that themselves start on a character).
size_t Utf8Cut(std::string_view text, size_t max);

// Appends `piece` to `cell` while the cell stays within `max` bytes; beyond, cuts on a character
// boundary, marks the cell cut and drops the rest (also of later pieces).
inline void AppendBounded(Cell& cell, std::string_view piece, size_t max) {
    if (cell.cut) return;
    const size_t room = max - std::min(max, cell.text.size());
    if (piece.size() <= room) {
        cell.text.append(piece);
        return;
    }
    cell.text.append(piece.substr(0, Utf8Cut(piece, room)));
    cell.cut = true;
}

// Office strings (ST_Xstring) write characters XML cannot carry as "_xHHHH_"; a literal "_x" that
// would read as such an escape is itself written "_x005F_x". Decodes from `from` to the end, in place.
void DecodeXstring(std::string& text, size_t from = 0);
// The inverse for text handed to a writer that escapes control characters but not literal "_xHHHH_"
// (libxlsxwriter): returns true and fills `out` when `text` needed protecting.
bool ProtectXstring(std::string_view text, std::string& out);

// The bytes that make a CSV field need quotes, and that end an unquoted field: , " CR LF.
inline constexpr std::array<bool, 256> kCsvSpecial = [] {
    std::array<bool, 256> table{};
    for (unsigned char c : {',', '"', '\r', '\n'}) table[c] = true;
    return table;
}();

// Opens "<path>.tmp" for writing (created or truncated), the file a writer fills before renaming
// it to `path` on Close. Error "file.create" names `path`.
Result<int> CreateTemporaryFor(const std::string& path);

// Both take ownership of the open descriptor `fd`; `name` is the path shown in error fields.
Result<std::unique_ptr<TableReader>> OpenCsv(int fd, std::string name, const TableOptions& options);
Result<std::unique_ptr<TableReader>> OpenXlsx(int fd, std::string name, const TableOptions& options);

}  // namespace jz::io::internal

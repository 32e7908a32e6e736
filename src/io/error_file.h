// The error file of an import (import-format.md, "As implemented"): every rejected row as the file
// had it (its own header and cells), then three columns: 行号 (row), 错误字段 (field) and 错误原因
// (reason, Chinese / English). CSV (UTF-8 with BOM) unless the path ends in ".xlsx". Shared by the
// registry import and the ledger's imports (assistance items, income).
//
// Contract: a single-owner object. The file is created at the first Write, under the writer's
// temporary name; Close gives it its final name. Destroyed without Close, it leaves nothing behind
// (an import that fails or is rolled back has no error file). Errors name the field "errors_file"
// and never the path (the server keeps the file in its own directory).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "io/table.h"
#include "store/store.h"

namespace jz::io {

// The columns the error file adds; ignored (without a warning) when an error file is imported
// again.
inline constexpr std::string_view kErrorRowHeader = "行号";
inline constexpr std::string_view kErrorFieldHeader = "错误字段";
inline constexpr std::string_view kErrorReasonHeader = "错误原因";
inline bool IsErrorFileHeader(std::string_view header) {
    return header == kErrorRowHeader || header == kErrorFieldHeader || header == kErrorReasonHeader;
}

class ErrorFile {
  public:
    // `header`: the input's header cells as read; `max_cell_bytes`: cells (and reasons) longer than
    // this are cut on a character boundary and end in "…".
    ErrorFile(std::string path, std::vector<std::string> header, int64_t max_cell_bytes);

    // One rejected row: the original cells (padded or cut to the header's width), the cells in
    // `cut` (indexes) marked "…" as the reader cut them, then the row number, fields and reasons.
    Result<void> Write(std::span<const std::string> originals, std::span<const uint32_t> cut, int64_t row,
                       std::string fields, std::string reasons);
    // Closes the file when one was written; true when it exists now.
    Result<bool> Close();
    bool written() const { return writer_ != nullptr; }
    const std::string& path() const { return path_; }

  private:
    Result<void> Open();

    std::string path_;
    std::vector<std::string> header_;
    size_t max_;
    std::unique_ptr<TableWriter> writer_;
    std::vector<std::string> line_;
};

// A failure of an error file, named without its path.
Error ErrorsFileError(Error e);

// An import's last step, shared by every import: the error file (when one was written) takes its
// final name and `errors_file` gets it, then the import's summary is recorded and `tx` committed;
// if the commit fails, the error file is removed again (a failed import leaves none behind).
Result<void> CommitImport(Store& store, Transaction& tx, int64_t import_id, const std::string& summary_json,
                          std::optional<ErrorFile>& errors, std::string& errors_file);

}  // namespace jz::io

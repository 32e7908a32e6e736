#include "io/error_file.h"

#include <algorithm>
#include <cstdio>

#include "io/table_internal.h"

namespace jz::io {

Error ErrorsFileError(Error e) {
    e.field = "errors_file";
    e.message_zh = "无法写入错误文件：" + e.message_zh;
    e.message_en = "cannot write the error file: " + e.message_en;
    return e;
}

ErrorFile::ErrorFile(std::string path, std::vector<std::string> header, int64_t max_cell_bytes)
    : path_(std::move(path)),
      header_(std::move(header)),
      max_(static_cast<size_t>(std::max<int64_t>(max_cell_bytes, 1))) {}

Result<void> ErrorFile::Open() {
    const bool xlsx = path_.size() >= 5 && path_.ends_with(".xlsx");
    auto writer = xlsx ? CreateXlsxWriter(path_, "错误") : CreateCsvWriter(path_);
    if (!writer) return std::unexpected(ErrorsFileError(writer.error()));
    writer_ = std::move(*writer);
    std::vector<std::string> header = header_;
    header.emplace_back(kErrorRowHeader);
    header.emplace_back(kErrorFieldHeader);
    header.emplace_back(kErrorReasonHeader);
    if (auto r = writer_->WriteRow(header); !r) return std::unexpected(ErrorsFileError(r.error()));
    return {};
}

Result<void> ErrorFile::Write(std::span<const std::string> originals, std::span<const uint32_t> cut, int64_t row,
                              std::string fields, std::string reasons) {
    if (!writer_)
        if (auto r = Open(); !r) return r;
    std::vector<std::string>& line = line_;
    line.assign(originals.begin(), originals.end());
    line.resize(header_.size());
    for (const uint32_t cell : cut)
        if (cell < line.size()) line[cell] += "…";
    line.push_back(std::to_string(row));
    line.push_back(std::move(fields));
    line.push_back(std::move(reasons));
    // Nothing huge is written: values are within max_cell_bytes already; the reasons of a row with
    // very many errors are cut the same way.
    for (std::string& cell : line)
        if (cell.size() > max_ + 3) {
            cell.resize(internal::Utf8Cut(cell, max_));
            cell += "…";
        }
    if (auto r = writer_->WriteRow(line); !r) return std::unexpected(ErrorsFileError(r.error()));
    return {};
}

Result<bool> ErrorFile::Close() {
    if (!writer_) return false;
    if (auto r = writer_->Close(); !r) return std::unexpected(ErrorsFileError(r.error()));
    return true;
}

Result<void> CommitImport(Store& store, Transaction& tx, int64_t import_id, const std::string& summary_json,
                          std::optional<ErrorFile>& errors, std::string& errors_file) {
    if (errors) {
        auto closed = errors->Close();
        if (!closed) return std::unexpected(closed.error());
        if (*closed) errors_file = errors->path();
    }
    auto committed = store.FinishImport(import_id, summary_json);
    if (committed) committed = tx.Commit();
    if (!committed) {
        if (!errors_file.empty()) std::remove(errors_file.c_str());
        return std::unexpected(committed.error());
    }
    return {};
}

}  // namespace jz::io

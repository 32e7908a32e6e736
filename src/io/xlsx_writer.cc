#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>

#include "core/date.h"
#include "io/table.h"
#include "io/table_internal.h"

namespace jz::io {
namespace {

constexpr size_t kMaxColumns = 16384;
// Widths are taken from the first rows only: later rows are streamed out and not seen again.
constexpr int64_t kWidthSampleRows = 1000;
constexpr double kMinWidth = 8;
constexpr double kMaxWidth = 60;
// 2017-01-01T00:00:00Z: a fixed creation time keeps the bytes reproducible.
constexpr time_t kFixedCreated = 1483228800;

// Approximate display width in Excel's character units: CJK and other 3- and 4-byte UTF-8
// characters are about two units wide.
size_t DisplayWidth(std::string_view text) {
    size_t width = 0;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80 || (c >= 0xC0 && c < 0xE0)) {
            width += 1;
        } else if (c >= 0xE0) {
            width += 2;
        }
    }
    return width;
}

std::string ColumnName(size_t col) {
    std::string name;
    for (size_t n = col + 1; n > 0; n = (n - 1) / 26)
        name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
    return name;
}

// Days from 1899-12-30 (the 1900 date system's serial 0 as Excel counts from 1900-03-01 on).
constexpr long kSerialOf1970 = 25569;
constexpr long kFirstSerialPastLeapBug = 61;  // 1900-03-01: earlier serials carry Excel's 1900-02-29

// The number a cell of `kind` holds, when its text is one (whole text, finite).
std::optional<double> NumberOf(CellKind kind, const std::string& text) {
    const char* end = text.data() + text.size();
    if (kind == CellKind::kInteger) {
        int64_t v = 0;
        auto [p, ec] = std::from_chars(text.data(), end, v);
        if (ec != std::errc() || p != end || v > (int64_t{1} << 53) || v < -(int64_t{1} << 53)) return std::nullopt;
        return static_cast<double>(v);
    }
    if (kind == CellKind::kDecimal) {
        double v = 0;
        auto [p, ec] = std::from_chars(text.data(), end, v, std::chars_format::fixed);
        if (ec != std::errc() || p != end || !std::isfinite(v)) return std::nullopt;
        return v;
    }
    if (kind == CellKind::kDate) {
        if (text.size() != 10) return std::nullopt;  // YYYY-MM-DD only: a year alone stays text
        auto d = Date::Parse(text);
        if (!d) return std::nullopt;
        const long serial = d->DaysSinceEpoch() + kSerialOf1970;
        if (serial < kFirstSerialPastLeapBug) return std::nullopt;
        return static_cast<double>(serial);
    }
    return std::nullopt;
}

// The value of a number cell as `text` would be written by a reader: the shortest of at most 15
// significant digits that reads back as the same double, or `text` itself.
std::string_view ShortNumber(std::string_view text, char (&buffer)[40]) {
    double value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size()) return text;
    auto [end, ec2] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 15);
    if (ec2 != std::errc()) return text;
    double again = 0;
    auto [q, ec3] = std::from_chars(buffer, end, again);
    if (ec3 != std::errc() || again != value) return text;
    return {buffer, static_cast<size_t>(end - buffer)};
}

// libxlsxwriter prints numbers with "%.16G", so 91.9 is stored as "91.90000000000001" (the same
// double). Rewrites the sheet's <v> values as their shortest form of up to 15 digits ("91.9"), which
// reads back as the same double: the file shows the exact decimal a person entered. Only number
// cells have <v> (strings are inline, <is><t>, and escaped).
bool ShortenNumbers(const std::string& path, const std::string& scratch) {
    int error = 0;
    zip_t* zip = zip_open(path.c_str(), 0, &error);
    if (zip == nullptr) return false;
    const zip_int64_t index = zip_name_locate(zip, "xl/worksheets/sheet1.xml", 0);
    zip_stat_t st;
    zip_stat_init(&st);
    zip_file_t* in = index < 0 || zip_stat_index(zip, static_cast<zip_uint64_t>(index), 0, &st) != 0
                         ? nullptr
                         : zip_fopen_index(zip, static_cast<zip_uint64_t>(index), 0);
    FILE* out = in == nullptr ? nullptr : std::fopen(scratch.c_str(), "wb");
    bool ok = out != nullptr;
    std::string carry;
    std::vector<char> chunk(1 << 16);
    char number[40];
    auto emit = [&](std::string_view bytes) {
        if (ok && std::fwrite(bytes.data(), 1, bytes.size(), out) != bytes.size()) ok = false;
    };
    for (bool more = ok; more;) {
        const zip_int64_t n = zip_fread(in, chunk.data(), chunk.size());
        if (n < 0) ok = false;
        more = ok && n > 0;
        carry.append(chunk.data(), static_cast<size_t>(std::max<zip_int64_t>(n, 0)));
        size_t done = 0;
        for (;;) {
            const size_t v = carry.find("<v>", done);
            const size_t end = v == std::string::npos ? v : carry.find("</v>", v + 3);
            if (end == std::string::npos) {
                // Keep an unfinished value, or what may be the start of a tag, for the next chunk.
                size_t keep = v != std::string::npos ? v : carry.size() > done + 3 ? carry.size() - 3 : done;
                if (!more) keep = carry.size();
                emit(std::string_view(carry).substr(done, keep - done));
                carry.erase(0, keep);
                break;
            }
            emit(std::string_view(carry).substr(done, v + 3 - done));
            emit(ShortNumber(std::string_view(carry).substr(v + 3, end - v - 3), number));
            done = end;
        }
    }
    if (in != nullptr) zip_fclose(in);
    if (out != nullptr && std::fclose(out) != 0) ok = false;
    // A new entry, not a replaced one: libzip (1.7) keeps a replaced entry's method at its default
    // level 9 whatever level is asked, which costs four times the whole export's CPU time.
    zip_source_t* source = ok ? zip_source_file(zip, scratch.c_str(), 0, -1) : nullptr;
    zip_int64_t added = -1;
    if (source != nullptr && zip_delete(zip, static_cast<zip_uint64_t>(index)) == 0)
        added = zip_file_add(zip, "xl/worksheets/sheet1.xml", source, 0);
    if (source != nullptr && added < 0) zip_source_free(source);
    ok = added >= 0 &&
         zip_set_file_compression(zip, static_cast<zip_uint64_t>(added), ZIP_CM_DEFLATE, 6) == 0 &&
         zip_file_set_mtime(zip, static_cast<zip_uint64_t>(added), st.mtime, 0) == 0;
    if (ok) {
        ok = zip_close(zip) == 0;
    } else {
        zip_discard(zip);
    }
    std::remove(scratch.c_str());
    return ok;
}

class XlsxWriter : public TableWriter {
  public:
    XlsxWriter(std::string path, std::string tmp_dir, XlsxOptions options)
        : path_(std::move(path)),
          tmp_path_(path_ + ".tmp"),
          tmp_dir_(std::move(tmp_dir)),
          options_(std::move(options)) {}

    ~XlsxWriter() override {
        if (workbook_ != nullptr) lxw_workbook_free(workbook_);
        if (!closed_) std::remove(tmp_path_.c_str());
    }
    XlsxWriter(const XlsxWriter&) = delete;
    XlsxWriter& operator=(const XlsxWriter&) = delete;

    Result<void> Open(const std::string& sheet_name) {
        lxw_workbook_options options{};
        options.constant_memory = LXW_TRUE;
        options.tmpdir = tmp_dir_.data();
        workbook_ = workbook_new_opt(tmp_path_.c_str(), &options);
        if (workbook_ == nullptr)
            return Fail("file.create", path_, "无法创建工作簿", "cannot create the workbook");
        lxw_doc_properties properties{};
        properties.created = kFixedCreated;
        workbook_set_properties(workbook_, &properties);
        if (const lxw_error valid = workbook_validate_sheet_name(workbook_, sheet_name.c_str());
            valid != LXW_NO_ERROR) {
            return Fail("xlsx.sheet_name", path_,
                        "工作表名称无效：“" + sheet_name + "”（" + lxw_strerror(valid) + "）",
                        "invalid sheet name \"" + sheet_name + "\" (" + lxw_strerror(valid) + ")");
        }
        sheet_ = workbook_add_worksheet(workbook_, sheet_name.c_str());
        if (sheet_ == nullptr) return Fail("file.create", path_, "无法创建工作表", "cannot create the sheet");
        bold_ = workbook_add_format(workbook_);
        format_set_bold(bold_);
        integer_ = workbook_add_format(workbook_);
        format_set_num_format(integer_, "0");
        decimal_ = workbook_add_format(workbook_);
        format_set_num_format(decimal_, "0.00");
        text_ = workbook_add_format(workbook_);
        format_set_num_format_index(text_, 49);  // the built-in "@"
        date_ = workbook_add_format(workbook_);
        format_set_num_format(date_, "yyyy-mm-dd");
        worksheet_freeze_panes(sheet_, 1, 0);
        return {};
    }

    Result<void> WriteRow(const std::vector<std::string>& cells) override {
        if (error_) return std::unexpected(*error_);
        if (closed_) return Fail("file.write", path_, "文件已关闭", "the file is already closed");
        if (rows_ >= kXlsxMaxRows) {
            return Failed(Error{
                .code = "xlsx.too_many_rows",
                .field = path_,
                .message_zh = "行数超过 xlsx 的上限 1048576 行，请改用 CSV 或分文件导出",
                .message_en = "more rows than the xlsx limit of 1,048,576; use CSV or split the export"});
        }
        if (cells.size() > kMaxColumns) {
            return Failed(Error{.code = "xlsx.too_many_columns",
                                .field = path_,
                                .message_zh = "列数超过 xlsx 的上限 16384 列",
                                .message_en = "more columns than the xlsx limit of 16,384"});
        }
        const auto row = static_cast<lxw_row_t>(rows_);
        for (size_t col = 0; col < cells.size(); ++col) {
            const std::string& text = cells[col];
            if (rows_ < kWidthSampleRows) {
                if (widths_.size() <= col) widths_.resize(col + 1, 0);
                widths_[col] = std::max(widths_[col], DisplayWidth(text));
            }
            if (text.empty()) continue;
            columns_ = std::max(columns_, col + 1);
            // Numbers and dates only where the caller says so: a number cell would turn an 18-digit
            // ID into 5.40425199001011E+17.
            const CellKind kind = rows_ > 0 && col < options_.kinds.size() ? options_.kinds[col] : CellKind::kText;
            lxw_error written = LXW_NO_ERROR;
            if (const auto number = kind == CellKind::kText ? std::nullopt : NumberOf(kind, text)) {
                decimals_ = decimals_ || kind == CellKind::kDecimal;
                lxw_format* format = kind == CellKind::kInteger ? integer_
                                     : kind == CellKind::kDecimal ? decimal_
                                                                  : date_;
                written = worksheet_write_number(sheet_, row, static_cast<lxw_col_t>(col), *number, format);
            } else {
                const char* value = text.c_str();
                if (internal::ProtectXstring(text, protected_)) value = protected_.c_str();
                written = worksheet_write_string(sheet_, row, static_cast<lxw_col_t>(col), value,
                                                 rows_ == 0 ? bold_ : nullptr);
            }
            if (written == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
                const std::string cell = ColumnName(col) + std::to_string(rows_ + 1);
                return Failed(Error{
                    .code = "xlsx.cell_too_long",
                    .field = path_,
                    .message_zh = "单元格 " + cell + " 超过 xlsx 的 32767 个字符上限",
                    .message_en = "cell " + cell + " is longer than the xlsx limit of 32,767 characters"});
            }
            if (written != LXW_NO_ERROR) {
                return Failed(Error{
                    .code = "file.write",
                    .field = path_,
                    .message_zh = std::string("写入工作表失败（") + lxw_strerror(written) + "）",
                    .message_en = std::string("writing the sheet failed (") + lxw_strerror(written) + ")"});
            }
        }
        ++rows_;
        return {};
    }

    Result<void> Close() override {
        if (error_) return std::unexpected(*error_);
        if (closed_) return {};
        for (size_t col = 0; col < widths_.size(); ++col) {
            const double width = std::clamp(static_cast<double>(widths_[col]) + 2, kMinWidth, kMaxWidth);
            const bool text = options_.text_format &&
                              (col >= options_.kinds.size() || options_.kinds[col] == CellKind::kText);
            worksheet_set_column(sheet_, static_cast<lxw_col_t>(col), static_cast<lxw_col_t>(col), width,
                                 text ? text_ : nullptr);
        }
        if (options_.autofilter && columns_ > 0)
            worksheet_autofilter(sheet_, 0, 0, static_cast<lxw_row_t>(std::max<int64_t>(rows_ - 1, 0)),
                                 static_cast<lxw_col_t>(columns_ - 1));
        const lxw_error closed = workbook_close(workbook_);
        workbook_ = nullptr;  // freed by workbook_close whatever the outcome
        if (closed != LXW_NO_ERROR) {
            return Failed(Error{
                .code = "file.write",
                .field = path_,
                .message_zh = std::string("写入 xlsx 文件失败（") + lxw_strerror(closed) + "）",
                .message_en = std::string("writing the xlsx file failed (") + lxw_strerror(closed) + ")"});
        }
        if (decimals_ && !ShortenNumbers(tmp_path_, tmp_path_ + ".sheet")) {
            return Failed(Error{.code = "file.write",
                                .field = path_,
                                .message_zh = "写入 xlsx 文件失败（数值）",
                                .message_en = "writing the xlsx file failed (numbers)"});
        }
        // Durable before it takes the final name, so a crash never leaves a short file there.
        const int fd = ::open(tmp_path_.c_str(), O_RDONLY | O_CLOEXEC);
        const bool synced = fd >= 0 && ::fsync(fd) == 0;
        if (fd >= 0) ::close(fd);
        if (!synced || std::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
            const std::string reason = std::strerror(errno);
            return Failed(Error{.code = "file.write",
                                .field = path_,
                                .message_zh = "写入文件失败（" + reason + "）",
                                .message_en = "writing the file failed (" + reason + ")"});
        }
        closed_ = true;
        return {};
    }

  private:
    std::unexpected<Error> Failed(Error error) {
        error_ = std::move(error);
        if (workbook_ != nullptr) {
            lxw_workbook_free(workbook_);
            workbook_ = nullptr;
        }
        std::remove(tmp_path_.c_str());
        return std::unexpected(*error_);
    }

    std::string path_;
    std::string tmp_path_;
    std::string tmp_dir_;
    lxw_workbook* workbook_ = nullptr;
    lxw_worksheet* sheet_ = nullptr;
    XlsxOptions options_;
    lxw_format* bold_ = nullptr;
    lxw_format* integer_ = nullptr;
    lxw_format* decimal_ = nullptr;
    lxw_format* date_ = nullptr;
    lxw_format* text_ = nullptr;
    int64_t rows_ = 0;
    size_t columns_ = 0;
    bool decimals_ = false;  // a decimal cell was written: its digits are shortened on Close  // the widest row's last non-empty cell
    std::vector<size_t> widths_;
    std::string protected_;
    std::optional<Error> error_;
    bool closed_ = false;
};

}  // namespace

Result<std::unique_ptr<TableWriter>> CreateXlsxWriter(const std::string& path, const std::string& sheet_name,
                                                      const XlsxOptions& options) {
    // libxlsxwriter only touches the output file in workbook_close; finding out now that it cannot
    // be created spares the caller a whole export.
    auto fd = internal::CreateTemporaryFor(path);
    if (!fd) return std::unexpected(fd.error());
    ::close(*fd);
    // Its row data is spooled to temporary files: next to the output, where the space is, rather
    // than a possibly small /tmp.
    std::string tmp_dir = std::filesystem::path(path).parent_path().string();
    if (tmp_dir.empty()) tmp_dir = ".";
    auto writer = std::make_unique<XlsxWriter>(path, std::move(tmp_dir), options);
    if (auto opened = writer->Open(sheet_name); !opened) return std::unexpected(opened.error());
    return writer;
}

}  // namespace jz::io

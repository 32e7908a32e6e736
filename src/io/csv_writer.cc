#include <fcntl.h>
#include <iconv.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "io/table.h"
#include "io/table_internal.h"

namespace jz::io {
namespace {

constexpr size_t kFlushSize = size_t{1} << 20;

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Surrounding blanks are quoted because many readers (and our own import) trim unquoted cells.
bool NeedsQuotes(std::string_view cell) {
    if (cell.empty()) return false;
    if (IsBlank(cell.front()) || IsBlank(cell.back())) return true;
    for (const char c : cell) {
        if (internal::kCsvSpecial[static_cast<unsigned char>(c)]) return true;
    }
    return false;
}

// "-12.5", "+86", "3e5": a number, which a spreadsheet reads as a number and never as a formula.
bool IsPlainNumber(std::string_view cell) {
    size_t i = 0;
    if (i < cell.size() && (cell[i] == '+' || cell[i] == '-')) ++i;
    size_t digits = 0;
    bool dot = false;
    for (; i < cell.size(); ++i) {
        const char c = cell[i];
        if (c >= '0' && c <= '9') {
            ++digits;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (digits == 0) return false;
    if (i < cell.size() && (cell[i] == 'e' || cell[i] == 'E')) {
        ++i;
        if (i < cell.size() && (cell[i] == '+' || cell[i] == '-')) ++i;
        const size_t exponent_start = i;
        while (i < cell.size() && cell[i] >= '0' && cell[i] <= '9') ++i;
        if (i == exponent_start) return false;
    }
    return i == cell.size();
}

Error WriteError(const std::string& path, int err) {
    const std::string reason = std::strerror(err);
    return Error{.code = "file.write",
                 .field = path,
                 .message_zh = "写入文件失败（" + reason + "）",
                 .message_en = "writing the file failed (" + reason + ")"};
}

class CsvWriter : public TableWriter {
  public:
    CsvWriter(std::string path, int fd, CsvEncoding encoding)
        : path_(std::move(path)), tmp_path_(path_ + ".tmp"), fd_(fd) {
        buffer_.reserve(kFlushSize + 64 * 1024);
        if (encoding == CsvEncoding::kUtf8Bom) buffer_.append("\xEF\xBB\xBF");
        if (encoding == CsvEncoding::kGb18030) cd_ = ::iconv_open("GB18030", "UTF-8");
    }
    ~CsvWriter() override {
        if (fd_ >= 0) {
            ::close(fd_);
            std::remove(tmp_path_.c_str());
        }
        if (cd_ != reinterpret_cast<iconv_t>(-1)) ::iconv_close(cd_);
    }
    bool converter_failed(CsvEncoding encoding) const {
        return encoding == CsvEncoding::kGb18030 && cd_ == reinterpret_cast<iconv_t>(-1);
    }
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;

    Result<void> WriteRow(const std::vector<std::string>& cells) override {
        if (error_) return std::unexpected(*error_);
        if (fd_ < 0) return ClosedError();
        for (size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) buffer_.push_back(',');
            std::string_view cell = cells[i];
            if (NeedsFormulaProtection(cell)) {
                protected_.assign("'");
                protected_.append(cell);
                cell = protected_;
            }
            if (!NeedsQuotes(cell)) {
                buffer_.append(cell);
                continue;
            }
            buffer_.push_back('"');
            size_t from = 0;
            for (size_t quote = cell.find('"'); quote != std::string_view::npos;
                 quote = cell.find('"', from)) {
                buffer_.append(cell.substr(from, quote + 1 - from));
                buffer_.push_back('"');
                from = quote + 1;
            }
            buffer_.append(cell.substr(from));
            buffer_.push_back('"');
        }
        buffer_.append("\r\n");
        if (buffer_.size() >= kFlushSize) return Flush();
        return {};
    }

    Result<void> Close() override {
        if (error_) return std::unexpected(*error_);
        if (closed_) return {};
        if (auto flushed = Flush(); !flushed) return flushed;
        // Durable before it takes the final name, so a crash never leaves a short file there.
        const bool ok = ::fsync(fd_) == 0;
        const int err = errno;
        const bool closed = ::close(fd_) == 0;
        fd_ = -1;
        if (!ok || !closed || std::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
            const int why = !ok ? err : errno;
            std::remove(tmp_path_.c_str());
            error_ = WriteError(path_, why);
            return std::unexpected(*error_);
        }
        closed_ = true;
        return {};
    }

  private:
    // GB18030: the buffer (whole rows of UTF-8) converted; every character has a GB18030 form.
    Result<void> Convert() {
        converted_.resize(buffer_.size() * 2 + 16);
        char* in = buffer_.data();
        size_t in_left = buffer_.size();
        char* out = converted_.data();
        size_t out_left = converted_.size();
        while (in_left > 0) {
            if (::iconv(cd_, &in, &in_left, &out, &out_left) == static_cast<size_t>(-1)) {
                const std::string reason = std::strerror(errno);
                error_ = Error{.code = "file.encoding",
                               .field = path_,
                               .message_zh = "无法转换为GB18030（" + reason + "）",
                               .message_en = "cannot convert to GB18030 (" + reason + ")"};
                ::close(fd_);
                fd_ = -1;
                std::remove(tmp_path_.c_str());
                return std::unexpected(*error_);
            }
        }
        converted_.resize(converted_.size() - out_left);
        buffer_.swap(converted_);
        return {};
    }

    Result<void> Flush() {
        if (cd_ != reinterpret_cast<iconv_t>(-1) && !buffer_.empty())
            if (auto r = Convert(); !r) return r;
        size_t done = 0;
        while (done < buffer_.size()) {
            const ssize_t wrote = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
            if (wrote < 0) {
                if (errno == EINTR) continue;
                error_ = WriteError(path_, errno);
                ::close(fd_);
                fd_ = -1;
                std::remove(tmp_path_.c_str());
                return std::unexpected(*error_);
            }
            done += static_cast<size_t>(wrote);
        }
        buffer_.clear();
        return {};
    }

    Result<void> ClosedError() const {
        return Fail("file.write", path_, "文件已关闭", "the file is already closed");
    }

    std::string path_;
    std::string tmp_path_;
    int fd_;
    std::string buffer_;
    std::string protected_;
    std::string converted_;
    iconv_t cd_ = reinterpret_cast<iconv_t>(-1);
    std::optional<Error> error_;
    bool closed_ = false;
};

}  // namespace

bool NeedsFormulaProtection(std::string_view cell) {
    // A cell that already starts with apostrophes before a formula is protected once more, so that
    // UnprotectFormula gives back exactly what was written.
    const size_t quotes = cell.find_first_not_of('\'');
    if (quotes == std::string_view::npos) return false;
    cell.remove_prefix(quotes);
    switch (cell.front()) {
        case '=':
        case '+':
        case '-':
        case '@':
        case '\t':
        case '\r':
            return !IsPlainNumber(cell);
        default:
            return false;
    }
}

std::string_view UnprotectFormula(std::string_view cell) {
    if (cell.size() >= 2 && cell.front() == '\'' && NeedsFormulaProtection(cell.substr(1)))
        return cell.substr(1);
    return cell;
}

Result<std::unique_ptr<TableWriter>> CreateCsvWriter(const std::string& path) {
    return CreateCsvWriter(path, CsvEncoding::kUtf8Bom);
}

Result<std::unique_ptr<TableWriter>> CreateCsvWriter(const std::string& path, CsvEncoding encoding) {
    auto fd = internal::CreateTemporaryFor(path);
    if (!fd) return std::unexpected(fd.error());
    auto writer = std::make_unique<CsvWriter>(path, *fd, encoding);
    if (writer->converter_failed(encoding))
        return Fail("file.encoding", path, "本系统不支持GB18030编码转换", "GB18030 conversion is not available");
    return writer;
}

}  // namespace jz::io

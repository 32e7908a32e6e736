// CSV reading: bytes → (encoding detection, validation or GB18030 decoding) → UTF-8 spans → RFC 4180
// records. Each stage works on whole chunks so that the per-byte work is a table lookup or memchr.
#include <fcntl.h>
#include <iconv.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "io/table.h"
#include "io/table_internal.h"

namespace jz::io {
namespace {

constexpr size_t kChunkSize = size_t{1} << 20;
// Room before a chunk for the bytes of a character cut by the previous chunk's end.
constexpr size_t kCarryRoom = 8;

class ByteInput {
  public:
    virtual ~ByteInput() = default;
    // Reads up to `size` bytes; 0 at the end.
    virtual Result<size_t> Read(char* dst, size_t size) = 0;
};

class FdInput : public ByteInput {
  public:
    explicit FdInput(int fd) : fd_(fd) { ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL); }
    ~FdInput() override { ::close(fd_); }
    FdInput(const FdInput&) = delete;
    FdInput& operator=(const FdInput&) = delete;

    Result<size_t> Read(char* dst, size_t size) override {
        while (true) {
            const ssize_t got = ::read(fd_, dst, size);
            if (got >= 0) return static_cast<size_t>(got);
            if (errno == EINTR) continue;
            const std::string reason = std::strerror(errno);
            return Fail("file.read", "", "读取文件失败（" + reason + "）",
                        "reading the file failed (" + reason + ")");
        }
    }

  private:
    int fd_;
};

class MemoryInput : public ByteInput {
  public:
    explicit MemoryInput(std::string_view text) : text_(text) {}
    Result<size_t> Read(char* dst, size_t size) override {
        const size_t n = std::min(size, text_.size());
        std::memcpy(dst, text_.data(), n);
        text_.remove_prefix(n);
        return n;
    }

  private:
    std::string_view text_;
};

enum class Encoding { kUtf8, kUtf8Bom, kGb18030, kGb18030Bom };

// GB18030 encodes U+FEFF as these four bytes; some tools start GB18030 files with it.
constexpr std::string_view kGb18030Bom = "\x84\x31\x95\x33";

// A sample that is not valid UTF-8 is GB18030 unless it is overwhelmingly UTF-8 with a few stray
// bytes: more than four valid multi-byte UTF-8 characters for each invalid byte. GB18030 Chinese
// text read as UTF-8 gives about one invalid byte per character and few valid sequences (a
// two-byte GBK character is valid UTF-8 by chance about once in twelve).
bool MostlyUtf8(std::string_view sample) {
    size_t multibyte = 0;
    size_t invalid = 0;
    while (!sample.empty()) {
        bool incomplete;
        const size_t valid = internal::ValidUtf8Prefix(sample, &incomplete);
        for (size_t i = 0; i < valid; ++i) multibyte += (static_cast<unsigned char>(sample[i]) >= 0xC0) ? 1 : 0;
        if (valid == sample.size() || incomplete) break;
        ++invalid;
        sample.remove_prefix(valid + 1);
    }
    return multibyte > 4 * invalid;
}

std::string HexByte(unsigned char byte) {
    constexpr char kHex[] = "0123456789ABCDEF";
    return std::string("0x") + kHex[byte >> 4] + kHex[byte & 0xF];
}

// Turns raw bytes into spans of valid UTF-8. A span ends before any invalid byte sequence; the call
// after it fails, so the parser can name the record in which the bad bytes sit.
class Decoder {
  public:
    Decoder(std::unique_ptr<ByteInput> input, size_t chunk_size)
        : input_(std::move(input)), chunk_size_(chunk_size), raw_(new char[chunk_size + kCarryRoom]) {}
    ~Decoder() {
        if (cd_ != reinterpret_cast<iconv_t>(-1)) ::iconv_close(cd_);
    }
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;

    // Reads the first chunk and detects the encoding from it.
    Result<void> Start() {
        while (len_ < chunk_size_ && !eof_) {
            auto got = input_->Read(raw_.get() + len_, chunk_size_ - len_);
            if (!got) return std::unexpected(got.error());
            if (*got == 0) eof_ = true;
            len_ += *got;
        }
        const std::string_view head(raw_.get(), len_);
        if (head.starts_with("\xEF\xBB\xBF")) {
            encoding_ = Encoding::kUtf8Bom;
            pos_ = 3;
            return {};
        }
        if (head.starts_with(kGb18030Bom)) {
            encoding_ = Encoding::kGb18030Bom;
            pos_ = kGb18030Bom.size();
            return OpenIconv();
        }
        if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) {
            return Fail("csv.encoding", "", "不支持 UTF-16 编码的文件，请另存为 CSV（UTF-8 或 GB18030）",
                        "UTF-16 files are not supported; save as CSV (UTF-8 or GB18030)");
        }
        bool incomplete;
        const size_t valid = internal::ValidUtf8Prefix(head, &incomplete);
        // A character cut by the end of the sample is fine unless the file itself ends there. A
        // sample that filled the chunk has not seen the end yet: look past it (into the carry room)
        // to know, or a text of exactly one chunk (every ParseCsvText of 64 bytes or more) ending in
        // a GB18030 character that looks like the start of a UTF-8 sequence was refused as bad
        // UTF-8 instead of being read as GB18030 (found by fuzz_csv).
        if (incomplete && !eof_) {
            auto got = input_->Read(raw_.get() + len_, kCarryRoom);
            if (!got) return std::unexpected(got.error());
            if (*got == 0) eof_ = true;
            len_ += *got;
        }
        if (valid == head.size() || (incomplete && !eof_) || MostlyUtf8(head)) {
            // In the last case the reader stops at the record with the stray byte and names it.
            encoding_ = Encoding::kUtf8;
            return {};
        }
        encoding_ = Encoding::kGb18030;
        return OpenIconv();
    }

    Result<void> OpenIconv() {
        cd_ = ::iconv_open("UTF-8", "GB18030");
        if (cd_ == reinterpret_cast<iconv_t>(-1)) {
            return Fail("csv.encoding", "", "系统不支持 GB18030 解码", "GB18030 decoding is not available");
        }
        out_capacity_ = chunk_size_ * 2 + 16;
        out_.reset(new char[out_capacity_]);
        return {};
    }

    Encoding encoding() const { return encoding_; }

    // The next span; empty at the end of the input.
    Result<std::string_view> Next() {
        if (error_) return std::unexpected(*error_);
        return encoding_ == Encoding::kGb18030 || encoding_ == Encoding::kGb18030Bom ? NextGb18030() : NextUtf8();
    }

  private:
    Result<std::string_view> NextUtf8() {
        while (true) {
            const size_t avail = len_ - pos_;
            if (avail > 0) {
                bool incomplete;
                const size_t valid = internal::ValidUtf8Prefix({raw_.get() + pos_, avail}, &incomplete);
                if (valid > 0) {
                    const std::string_view out(raw_.get() + pos_, valid);
                    pos_ += valid;
                    return out;
                }
                if (!incomplete || eof_) return SetError("UTF-8", static_cast<unsigned char>(raw_[pos_]));
            } else if (eof_) {
                return std::string_view();
            }
            if (auto more = ReadMore(); !more) return std::unexpected(more.error());
        }
    }

    Result<std::string_view> NextGb18030() {
        while (true) {
            if (pos_ < len_) {
                char* in = raw_.get() + pos_;
                size_t in_left = len_ - pos_;
                char* out = out_.get();
                size_t out_left = out_capacity_;
                const size_t r = ::iconv(cd_, &in, &in_left, &out, &out_left);
                const int err = errno;
                pos_ = static_cast<size_t>(in - raw_.get());
                const std::string_view produced(out_.get(), static_cast<size_t>(out - out_.get()));
                if (r == static_cast<size_t>(-1)) {
                    // EINVAL: a character cut by the chunk end, completed by the next read.
                    const bool bad =
                        err == EILSEQ || (err == EINVAL && eof_) || (err != EINVAL && err != E2BIG);
                    if (bad) {
                        auto failed = SetError("GB18030", static_cast<unsigned char>(raw_[pos_]));
                        if (!produced.empty()) return produced;
                        return failed;
                    }
                }
                if (!produced.empty()) return produced;
            } else if (eof_) {
                return std::string_view();
            }
            if (auto more = ReadMore(); !more) return std::unexpected(more.error());
        }
    }

    // Keeps the unconsumed tail (a cut character) and appends the next chunk after it.
    Result<void> ReadMore() {
        const size_t tail = len_ - pos_;
        std::memmove(raw_.get(), raw_.get() + pos_, tail);
        pos_ = 0;
        len_ = tail;
        auto got = input_->Read(raw_.get() + len_, chunk_size_ + kCarryRoom - len_);
        if (!got) return std::unexpected(got.error());
        if (*got == 0) eof_ = true;
        len_ += *got;
        return {};
    }

    // Names the first bad byte. A file without a BOM that is not valid UTF-8 was taken for GB18030;
    // failing that too, it is neither, and the message says so.
    std::unexpected<Error> SetError(std::string_view encoding, unsigned char byte) {
        const std::string name(encoding);
        const std::string hex = HexByte(byte);
        if (encoding_ == Encoding::kGb18030) {
            error_ =
                Error{.code = "csv.encoding",
                      .field = "",
                      .message_zh = "含有既不符合 UTF-8 也不符合 GB18030 编码的字节(" + hex +
                                    ");请另存为 UTF-8 或 GB18030 编码的 CSV",
                      .message_en =
                          "contains a byte (" + hex +
                          ") that is valid neither as UTF-8 nor as GB18030; save the file as CSV in UTF-8 "
                          "or GB18030"};
        } else {
            error_ = Error{.code = "csv.encoding",
                           .field = "",
                           .message_zh = "含有不符合 " + name + " 编码的字节(" + hex + ")",
                           .message_en = "contains a byte (" + hex + ") that is not valid " + name};
        }
        return std::unexpected(*error_);
    }

    std::unique_ptr<ByteInput> input_;
    size_t chunk_size_;
    std::unique_ptr<char[]> raw_;
    size_t pos_ = 0;
    size_t len_ = 0;
    bool eof_ = false;
    Encoding encoding_ = Encoding::kUtf8;
    iconv_t cd_ = reinterpret_cast<iconv_t>(-1);
    std::unique_ptr<char[]> out_;
    size_t out_capacity_ = 0;
    std::optional<Error> error_;
};

// The first of , " CR LF in [p, end), or end.
inline const char* FindSpecial(const char* p, const char* end) {
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n');
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                                          _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
        const int mask = _mm_movemask_epi8(hits);
        if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
        p += 16;
    }
#endif
    while (p != end && !internal::kCsvSpecial[static_cast<unsigned char>(*p)]) ++p;
    return p;
}

class CsvReader : public TableReader {
  public:
    CsvReader(std::unique_ptr<ByteInput> input, std::string name, size_t chunk_size,
              const TableOptions& options)
        : decoder_(std::move(input), chunk_size),
          name_(std::move(name)),
          limits_(options.limits),
          cancel_(options.cancel),
          max_cell_(static_cast<size_t>(std::max<int64_t>(limits_.max_cell_bytes, 1))),
          max_columns_(static_cast<size_t>(std::max<int64_t>(limits_.max_columns, 1))),
          max_record_(static_cast<size_t>(std::max<int64_t>(limits_.max_record_bytes, 1))) {}

    Result<void> Start() {
        if (auto started = decoder_.Start(); !started) return std::unexpected(WithField(started.error(), 1));
        return {};
    }

    Result<bool> Next(std::vector<Cell>& row) override {
        enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };
        State state = State::kFieldStart;
        size_t col = 0;
        bool started = false;
        // Bytes of this record consumed before `p` moved into the current span.
        size_t record_bytes = 0;
        Cell* cell = StartField(row, col);
        // Locals rather than members in the loop: appends write through char pointers, which would
        // otherwise force the compiler to reload and store the members around every append.
        const char* p = p_;
        const char* end = end_;
        const char* from = p;  // where this record starts in the current span
        while (true) {
            if (p == end) {
                record_bytes += static_cast<size_t>(end - from);
                if (record_bytes > max_record_) return RecordTooLong();
                auto span = decoder_.Next();
                if (!span) {
                    p_ = end_ = nullptr;
                    return std::unexpected(WithField(span.error(), record_ + 1));
                }
                p = span->data();
                end = p + span->size();
                from = p;
                if (p == end) {
                    p_ = end_ = p;
                    if (!started) return false;
                    if (state == State::kQuoted) {
                        return Fail("csv.unterminated_quote", Where(record_ + 1),
                                    "引号未闭合：文件在带引号的字段中结束",
                                    "unterminated quote: the file ends inside a quoted field");
                    }
                    return FinishRecord(row, col, cell);
                }
            }
            if (skip_lf_) {
                // The record before ended with CR; an LF right after belongs to the same line end.
                skip_lf_ = false;
                if (*p == '\n') {
                    ++p;
                    continue;
                }
            }
            started = true;
            switch (state) {
                case State::kFieldStart:
                    if (*p == '"') {
                        ++p;
                        state = State::kQuoted;
                    } else {
                        state = State::kUnquoted;
                    }
                    break;
                case State::kUnquoted: {
                    const char* stop = FindSpecial(p, end);
                    Append(*cell, p, stop);
                    p = stop;
                    if (p == end) break;
                    const char c = *p++;
                    if (c == ',') {
                        if (static_cast<size_t>(p - from) + record_bytes > max_record_)
                            return RecordTooLong();
                        if (auto r = CheckOverflow(col, *cell); !r) return std::unexpected(r.error());
                        cell = StartField(row, ++col);
                        state = State::kFieldStart;
                    } else if (c == '"') {
                        // A quote inside an unquoted field is kept literally, as Excel does.
                        internal::AppendBounded(*cell, "\"", max_cell_);
                    } else {
                        skip_lf_ = c == '\r';
                        if (static_cast<size_t>(p - from) + record_bytes > max_record_)
                            return RecordTooLong();
                        p_ = p;
                        end_ = end;
                        return FinishRecord(row, col, cell);
                    }
                    break;
                }
                case State::kQuoted: {
                    const void* q = std::memchr(p, '"', static_cast<size_t>(end - p));
                    if (q == nullptr) {
                        Append(*cell, p, end);
                        p = end;
                    } else {
                        const char* quote = static_cast<const char*>(q);
                        Append(*cell, p, quote);
                        p = quote + 1;
                        state = State::kQuoteInQuoted;
                    }
                    break;
                }
                case State::kQuoteInQuoted:
                    if (*p == '"') {
                        internal::AppendBounded(*cell, "\"", max_cell_);
                        ++p;
                        state = State::kQuoted;
                    } else {
                        // The closing quote; text after it up to the separator is kept (lenient).
                        state = State::kUnquoted;
                    }
                    break;
            }
        }
    }

    int64_t row_number() const override { return record_; }

    std::string_view encoding() const override {
        switch (decoder_.encoding()) {
            case Encoding::kUtf8:
                return "UTF-8";
            case Encoding::kUtf8Bom:
                return "UTF-8 (BOM)";
            case Encoding::kGb18030:
                return "GB18030";
            case Encoding::kGb18030Bom:
                return "GB18030 (BOM)";
        }
        return "UTF-8";
    }

  private:
    // Cells past max_columns go to one scratch cell: kept only to see whether they hold a value.
    Cell* StartField(std::vector<Cell>& row, size_t col) {
        Cell* cell = nullptr;
        if (col >= max_columns_)
            cell = &overflow_;
        else if (col == row.size())
            return &row.emplace_back();
        else
            cell = &row[col];
        cell->text.clear();
        cell->numeric = false;
        cell->cut = false;
        return cell;
    }

    void Append(Cell& cell, const char* from, const char* to) const {
        internal::AppendBounded(cell, std::string_view(from, static_cast<size_t>(to - from)), max_cell_);
    }

    // A value in a column beyond max_columns.
    Result<void> CheckOverflow(size_t col, const Cell& cell) const {
        if (col < max_columns_ || cell.text.empty()) return {};
        const std::string column = std::to_string(col + 1);
        const std::string limit = std::to_string(max_columns_);
        return Fail("import.too_many_columns", Where(record_ + 1),
                    "第 " + std::to_string(record_ + 1) + " 行第 " + column + " 列有值，超出了最多 " + limit +
                        " 列的限制",
                    "row " + std::to_string(record_ + 1) + " has a value in column " + column +
                        ", beyond the limit of " + limit + " columns");
    }

    std::unexpected<Error> RecordTooLong() {
        p_ = end_ = nullptr;
        const std::string limit = std::to_string(max_record_);
        return Fail("csv.record_too_long", Where(record_ + 1),
                    "第 " + std::to_string(record_ + 1) + " 行超过 " + limit +
                        " 字节的长度限制（文件不是正常的登记表）",
                    "row " + std::to_string(record_ + 1) + " is longer than the limit of " + limit +
                        " bytes (the file is not a normal registry)");
    }

    Result<bool> FinishRecord(std::vector<Cell>& row, size_t col, const Cell* cell) {
        if (auto r = CheckOverflow(col, *cell); !r) return std::unexpected(r.error());
        row.resize(std::min(col + 1, max_columns_));
        ++record_;
        if (record_ - 1 > limits_.max_rows) {
            const std::string limit = std::to_string(limits_.max_rows);
            return Fail("import.too_many_rows", Where(record_), "文件超过 " + limit + " 个数据行的限制",
                        "the file has more than the limit of " + limit + " data rows");
        }
        if ((record_ & 1023) == 0)
            if (auto r = cancel_.Check(Where(record_)); !r) return std::unexpected(r.error());
        return true;
    }

    std::string Where(int64_t record) const { return name_ + ":" + std::to_string(record); }

    Error WithField(Error error, int64_t record) const {
        error.field = Where(record);
        return error;
    }

    Decoder decoder_;
    std::string name_;
    ImportLimits limits_;
    Cancellation cancel_;
    size_t max_cell_;
    size_t max_columns_;
    size_t max_record_;
    Cell overflow_;
    const char* p_ = nullptr;
    const char* end_ = nullptr;
    bool skip_lf_ = false;
    int64_t record_ = 0;
};

Result<std::unique_ptr<TableReader>> MakeCsvReader(std::unique_ptr<ByteInput> input, std::string name,
                                                   size_t chunk_size, const TableOptions& options) {
    auto reader = std::make_unique<CsvReader>(std::move(input), std::move(name), chunk_size, options);
    if (auto started = reader->Start(); !started) return std::unexpected(started.error());
    return reader;
}

}  // namespace

namespace internal {

Result<std::unique_ptr<TableReader>> OpenCsv(int fd, std::string name, const TableOptions& options) {
    return MakeCsvReader(std::make_unique<FdInput>(fd), std::move(name), kChunkSize, options);
}

}  // namespace internal

Result<std::vector<std::vector<std::string>>> ParseCsvText(std::string_view text) {
    const size_t chunk = std::min(kChunkSize, std::max<size_t>(text.size(), 64));
    // The text is in memory already: only the row and column bounds of an ordinary table apply.
    TableOptions options;
    options.limits.max_rows = INT64_MAX;
    options.limits.max_columns = 16384;
    // Bounds in decoded bytes: GB18030 text grows when it becomes UTF-8 (two bytes become up to
    // three), so the text's own size is not a bound (found by fuzz_csv: a GB18030 line of 11 bytes
    // was refused as too long here and read from a file).
    const int64_t decoded_bound = 2 * static_cast<int64_t>(text.size()) + 16;
    options.limits.max_cell_bytes = decoded_bound;
    options.limits.max_record_bytes = decoded_bound;
    auto reader = MakeCsvReader(std::make_unique<MemoryInput>(text), "text", chunk, options);
    if (!reader) return std::unexpected(reader.error());
    std::vector<std::vector<std::string>> rows;
    std::vector<Cell> row;
    while (true) {
        auto more = (*reader)->Next(row);
        if (!more) return std::unexpected(more.error());
        if (!*more) break;
        auto& out = rows.emplace_back();
        out.reserve(row.size());
        for (auto& cell : row) out.push_back(std::move(cell.text));
    }
    return rows;
}

}  // namespace jz::io

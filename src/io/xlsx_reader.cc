// .xlsx reading. The workbook's small parts are read whole with pugixml; the shared strings and the
// sheet can be hundreds of megabytes, so they go through expat in chunks, and the sheet parser is
// suspended after each row so that only one row is held at a time. Every part is inflated through
// PartInput, which counts the bytes that actually come out against the limits (a zip's directory
// can state any size), so a zip bomb is refused after a few megabytes, not after gigabytes.
#include <expat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "io/table.h"
#include "io/table_internal.h"

namespace jz::io {
namespace {

constexpr int kXmlChunk = 256 * 1024;
constexpr size_t kMaxColumns = 16384;      // XFD, Excel's last column
constexpr int64_t kMaxSheetRow = 1048576;  // Excel's last row
constexpr std::string_view kOfficeDocumentType = "/officeDocument";
constexpr std::string_view kWorksheetType = "/worksheet";
constexpr std::string_view kSharedStringsType = "/sharedStrings";

// Parts may use a namespace prefix ("x:row"); only the local name matters here.
std::string_view LocalName(const char* name) {
    const char* colon = std::strrchr(name, ':');
    return colon != nullptr ? colon + 1 : name;
}

Error FormatError(std::string field, const std::string& zh, const std::string& en) {
    return Error{.code = "xlsx.format",
                 .field = std::move(field),
                 .message_zh = "不是有效的 xlsx 文件：" + zh,
                 .message_en = "not a valid xlsx file: " + en};
}

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

std::string ExpatMessage(XML_Parser parser) {
    return std::to_string(XML_GetCurrentLineNumber(parser)) + ": " +
           XML_ErrorString(XML_GetErrorCode(parser));
}

// "AB" for column 27 (0-based index 27 → "AB").
std::string ColumnLetters(size_t col) {
    std::string letters;
    for (size_t n = col + 1; n > 0; n = (n - 1) / 26)
        letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
    return letters;
}

std::string MiB(int64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

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
    ~PartInput() {
        if (inflating_) inflateEnd(&stream_);
    }
    PartInput(const PartInput&) = delete;
    PartInput& operator=(const PartInput&) = delete;

    Result<void> Open(zip_t* zip, zip_int64_t index) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(zip, static_cast<zip_uint64_t>(index), 0, &st) != 0)
            return std::unexpected(Failure(zip_strerror(zip)));
        if ((st.valid & ZIP_STAT_COMP_SIZE) != 0) compressed_ = static_cast<int64_t>(st.comp_size);
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && st.encryption_method != ZIP_EM_NONE)
            return std::unexpected(Failure("已加密 (encrypted)"));
        const bool deflated = (st.valid & ZIP_STAT_COMP_METHOD) != 0 && st.comp_method == ZIP_CM_DEFLATE &&
                              (st.valid & ZIP_STAT_CRC) != 0;
        file_.reset(zip_fopen_index(zip, static_cast<zip_uint64_t>(index), deflated ? ZIP_FL_COMPRESSED : 0));
        if (!file_) return std::unexpected(Failure(zip_strerror(zip)));
        if (deflated) {
            if (inflateInit2(&stream_, -MAX_WBITS) != Z_OK) return std::unexpected(Failure("zlib"));
            inflating_ = true;
            expected_crc_ = st.crc;
            in_.reset(new unsigned char[kRawChunk]);
        }
        return {};
    }

    // Up to `size` bytes; 0 at the end of the part.
    Result<size_t> Read(char* dst, size_t size) {
        if (auto r = budget_.cancel.Check(budget_.name); !r) return std::unexpected(r.error());
        zip_int64_t got = 0;
        if (inflating_) {
            auto inflated = Inflate(dst, size);
            if (!inflated) return std::unexpected(inflated.error());
            got = static_cast<zip_int64_t>(*inflated);
        } else {
            got = zip_fread(file_.get(), dst, size);
            if (got < 0) return std::unexpected(Failure(zip_file_strerror(file_.get())));
            consumed_ = compressed_;
        }
        inflated_ += got;
        budget_.inflated += got;
        const ImportLimits& limits = budget_.limits;
        if (inflated_ > max_bytes_)
            return Fail("xlsx.too_large", budget_.name,
                        "文件中的 " + part_ + " 解压后超过 " + MiB(max_bytes_) + " 的限制",
                        part_ + " inflates to more than the limit of " + MiB(max_bytes_));
        if (budget_.inflated > limits.max_unzipped_bytes)
            return Fail("xlsx.too_large", budget_.name,
                        "文件解压后超过 " + MiB(limits.max_unzipped_bytes) + " 的限制",
                        "the file inflates to more than the limit of " + MiB(limits.max_unzipped_bytes));
        if (inflated_ > limits.ratio_floor_bytes &&
            inflated_ / std::max<int64_t>(consumed_, 1) > limits.max_compression_ratio)
            return Fail("xlsx.compression_ratio", budget_.name,
                        "文件中的 " + part_ + " 压缩比超过 " + std::to_string(limits.max_compression_ratio) +
                            ":1，疑似压缩炸弹，已拒绝",
                        part_ + " inflates more than " + std::to_string(limits.max_compression_ratio) +
                            " times its compressed size; refused as a likely zip bomb");
        return static_cast<size_t>(got);
    }

  private:
    static constexpr size_t kRawChunk = 16 * 1024;

    Result<size_t> Inflate(char* dst, size_t size) {
        if (ended_) return size_t{0};
        stream_.next_out = reinterpret_cast<Bytef*>(dst);
        stream_.avail_out = static_cast<uInt>(std::min<size_t>(size, UINT32_MAX));
        const uInt room = stream_.avail_out;
        while (stream_.avail_out == room) {
            if (stream_.avail_in == 0 && !input_ended_) {
                const zip_int64_t got = zip_fread(file_.get(), in_.get(), kRawChunk);
                if (got < 0) return std::unexpected(Failure(zip_file_strerror(file_.get())));
                input_ended_ = got == 0;
                consumed_ += got;
                stream_.next_in = in_.get();
                stream_.avail_in = static_cast<uInt>(got);
            }
            const int status = inflate(&stream_, Z_NO_FLUSH);
            if (status == Z_STREAM_END) {
                ended_ = true;
                break;
            }
            if (status != Z_OK && status != Z_BUF_ERROR)
                return std::unexpected(Failure("数据损坏 (corrupt data)"));
            if (status == Z_BUF_ERROR && input_ended_)
                return std::unexpected(Failure("数据不完整 (truncated data)"));
        }
        const size_t produced = room - stream_.avail_out;
        crc_ = crc32(crc_, reinterpret_cast<const Bytef*>(dst), static_cast<uInt>(produced));
        if (ended_ && crc_ != expected_crc_) return std::unexpected(Failure("CRC 校验错误 (CRC error)"));
        return produced;
    }

    Error Failure(const std::string& why) const {
        return FormatError(budget_.name, part_ + "：" + why, part_ + ": " + why);
    }

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

std::optional<zip_int64_t> LocatePart(zip_t* zip, const std::string& part) {
    const zip_int64_t index = zip_name_locate(zip, part.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return std::nullopt;
    return index;
}

// The whole of a small part (at most limits.max_small_part_bytes); nullopt when the package has no
// such part.
Result<std::optional<std::string>> ReadPart(zip_t* zip, const std::string& part, Budget& budget) {
    const auto index = LocatePart(zip, part);
    if (!index) return std::optional<std::string>();
    PartInput input(budget, part, budget.limits.max_small_part_bytes);
    if (auto opened = input.Open(zip, *index); !opened) return std::unexpected(opened.error());
    std::string text;
    char buffer[64 * 1024];
    while (true) {
        auto got = input.Read(buffer, sizeof(buffer));
        if (!got) return std::unexpected(got.error());
        if (*got == 0) break;
        text.append(buffer, *got);
    }
    return std::optional<std::string>(std::move(text));
}

// "xl/worksheets/sheet1.xml" → "xl/worksheets/".
std::string_view DirectoryOf(std::string_view part) {
    const size_t slash = part.rfind('/');
    return slash == std::string_view::npos ? std::string_view() : part.substr(0, slash + 1);
}

// A relationship target, relative to the source part's directory unless it starts with '/'.
std::string ResolveTarget(std::string_view base_dir, std::string_view target) {
    std::string joined =
        target.starts_with('/') ? std::string(target.substr(1)) : std::string(base_dir) + std::string(target);
    std::vector<std::string_view> parts;
    std::string_view rest(joined);
    while (!rest.empty()) {
        const size_t slash = rest.find('/');
        const std::string_view segment = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        if (segment.empty() || segment == ".") continue;
        if (segment == "..") {
            if (!parts.empty()) parts.pop_back();
            continue;
        }
        parts.push_back(segment);
    }
    std::string out;
    for (const auto& segment : parts) {
        if (!out.empty()) out += '/';
        out += segment;
    }
    return out;
}

// Parses a small part (relationships, workbook) into `doc`; the sheets themselves are streamed.
Result<void> LoadXml(pugi::xml_document& doc, const std::string& xml, const std::string& part,
                     const std::string& name) {
    const auto parsed = doc.load_buffer(xml.data(), xml.size());
    if (!parsed)
        return std::unexpected(
            FormatError(name, part + "：" + parsed.description(), part + ": " + parsed.description()));
    return {};
}

struct Relationship {
    std::string id;
    std::string type;
    std::string target;
};

Result<std::vector<Relationship>> ParseRelationships(const std::string& xml, const std::string& part,
                                                     const std::string& name) {
    pugi::xml_document doc;
    if (auto r = LoadXml(doc, xml, part, name); !r) return std::unexpected(r.error());
    std::vector<Relationship> out;
    for (const auto& node : doc.document_element().children()) {
        if (LocalName(node.name()) != "Relationship") continue;
        out.push_back(
            {node.attribute("Id").value(), node.attribute("Type").value(), node.attribute("Target").value()});
    }
    return out;
}

struct SheetEntry {
    std::string name;
    std::string rel_id;
};

Result<std::vector<SheetEntry>> ParseWorkbookSheets(const std::string& xml, const std::string& part,
                                                    const std::string& name) {
    pugi::xml_document doc;
    if (auto r = LoadXml(doc, xml, part, name); !r) return std::unexpected(r.error());
    std::vector<SheetEntry> out;
    for (const auto& group : doc.document_element().children()) {
        if (LocalName(group.name()) != "sheets") continue;
        for (const auto& sheet : group.children()) {
            if (LocalName(sheet.name()) != "sheet") continue;
            SheetEntry entry{sheet.attribute("name").value(), ""};
            // The relationship id is "r:id" under whatever prefix the relationships namespace got.
            for (const auto& attribute : sheet.attributes()) {
                const std::string_view attr_name = attribute.name();
                if (attr_name.find(':') != std::string_view::npos && LocalName(attribute.name()) == "id") {
                    entry.rel_id = attribute.value();
                }
            }
            out.push_back(std::move(entry));
        }
    }
    return out;
}

// <workbookPr date1904="1"/>: date serials count from 1904-01-01 (Excel for Mac, LibreOffice's option).
bool UsesDate1904(const std::string& xml) {
    pugi::xml_document doc;
    if (!doc.load_buffer(xml.data(), xml.size())) return false;
    for (const auto& node : doc.document_element().children()) {
        if (LocalName(node.name()) != "workbookPr") continue;
        const std::string_view v = node.attribute("date1904").value();
        return v == "1" || v == "true";
    }
    return false;
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        return lower(x) == lower(y);
    });
}

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

class SharedStringsLoader {
  public:
    SharedStringsLoader(SharedStrings* out, size_t max_cell) : out_(out), max_cell_(max_cell) {}

    Result<void> Load(zip_t* zip, zip_int64_t index, const std::string& part, Budget& budget) {
        const std::string& name = budget.name;
        PartInput file(budget, part, budget.limits.max_shared_strings_bytes);
        if (auto opened = file.Open(zip, index); !opened) return std::unexpected(opened.error());
        ParserPtr parser(XML_ParserCreate(nullptr));
        if (!parser) return std::unexpected(FormatError(name, "内存不足", "out of memory"));
        parser_ = parser.get();
        XML_SetUserData(parser.get(), this);
        XML_SetElementHandler(parser.get(), OnStart, OnEnd);
        XML_SetCharacterDataHandler(parser.get(), OnText);
        XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
        while (true) {
            void* buffer = XML_GetBuffer(parser.get(), kXmlChunk);
            if (buffer == nullptr) return std::unexpected(FormatError(name, "内存不足", "out of memory"));
            auto got = file.Read(static_cast<char*>(buffer), kXmlChunk);
            if (!got) return std::unexpected(got.error());
            if (XML_ParseBuffer(parser.get(), static_cast<int>(*got), *got == 0) != XML_STATUS_OK) {
                const std::string why = doctype_ ? "DOCTYPE" : ExpatMessage(parser.get());
                return std::unexpected(FormatError(name, part + "：" + why, part + ": " + why));
            }
            if (*got == 0) break;
        }
        return {};
    }

  private:
    static void XMLCALL OnStart(void* user_data, const XML_Char* name, const XML_Char**) {
        auto* self = static_cast<SharedStringsLoader*>(user_data);
        const std::string_view local = LocalName(name);
        if (local == "si") {
            self->in_si_ = true;
            self->start_ = self->out_->pool.size();
        } else if (local == "t") {
            self->in_t_ = true;
        } else if (local == "rPh") {
            ++self->phonetic_depth_;
        }
    }

    static void XMLCALL OnEnd(void* user_data, const XML_Char* name) {
        auto* self = static_cast<SharedStringsLoader*>(user_data);
        const std::string_view local = LocalName(name);
        if (local == "si") {
            internal::DecodeXstring(self->out_->pool, self->start_);
            if (self->si_cut_) self->out_->cut.push_back(self->out_->size());
            self->out_->starts.push_back(self->out_->pool.size());
            self->in_si_ = false;
            self->si_cut_ = false;
        } else if (local == "t") {
            self->in_t_ = false;
        } else if (local == "rPh") {
            --self->phonetic_depth_;
        }
    }

    static void XMLCALL OnText(void* user_data, const XML_Char* text, int len) {
        auto* self = static_cast<SharedStringsLoader*>(user_data);
        if (self->in_si_ && self->in_t_ && self->phonetic_depth_ == 0 && !self->si_cut_) {
            // Escapes (_xHHHH_) only shrink when decoded, so cutting the raw text at the limit keeps
            // at least max_cell_ bytes' worth.
            std::string& pool = self->out_->pool;
            const size_t held = pool.size() - self->start_;
            const size_t room = self->max_cell_ - std::min(self->max_cell_, held);
            if (static_cast<size_t>(len) <= room) {
                pool.append(text, static_cast<size_t>(len));
            } else {
                pool.append(text, internal::Utf8Cut(std::string_view(text, static_cast<size_t>(len)), room));
                self->si_cut_ = true;
            }
        }
    }

    // A DOCTYPE has no place in an OOXML part; refusing it keeps entity expansion out of reach.
    static void XMLCALL OnDoctype(void* user_data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        auto* self = static_cast<SharedStringsLoader*>(user_data);
        self->doctype_ = true;
        XML_StopParser(self->parser_, XML_FALSE);
    }

    SharedStrings* out_;
    size_t max_cell_;
    bool si_cut_ = false;
    XML_Parser parser_ = nullptr;
    bool doctype_ = false;
    bool in_si_ = false;
    bool in_t_ = false;
    int phonetic_depth_ = 0;
    size_t start_ = 0;
};

enum class CellType { kNumber, kShared, kInline, kString, kBool, kError, kOther };

CellType ParseCellType(std::string_view t) {
    if (t.empty() || t == "n") return CellType::kNumber;
    if (t == "s") return CellType::kShared;
    if (t == "inlineStr") return CellType::kInline;
    if (t == "str") return CellType::kString;
    if (t == "b") return CellType::kBool;
    if (t == "e") return CellType::kError;
    return CellType::kOther;  // "d" (ISO date) and anything newer: the text as written
}

// "C7" → column 2 (0-based); nullopt when the reference has no column letters.
std::optional<size_t> ColumnOfReference(const char* ref) {
    size_t col = 0;
    size_t letters = 0;
    for (; *ref != '\0'; ++ref) {
        char c = *ref;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') break;
        col = col * 26 + static_cast<size_t>(c - 'A' + 1);
        if (col > kMaxColumns) return kMaxColumns;  // rejected by the caller
        ++letters;
    }
    if (letters == 0) return std::nullopt;
    return col - 1;
}

class XlsxReader : public TableReader {
  public:
    XlsxReader(std::string name, ZipPtr zip, SharedStrings strings, Budget budget, std::string sheet_name)
        : name_(std::move(name)),
          zip_(std::move(zip)),
          strings_(std::move(strings)),
          budget_(std::move(budget)),
          sheet_name_(std::move(sheet_name)),
          max_cell_(static_cast<size_t>(std::max<int64_t>(budget_.limits.max_cell_bytes, 1))),
          max_columns_(static_cast<size_t>(std::clamp<int64_t>(budget_.limits.max_columns, 1, kMaxColumns))) {
    }
    XlsxReader(const XlsxReader&) = delete;
    XlsxReader& operator=(const XlsxReader&) = delete;

    Result<void> OpenSheet(zip_int64_t index, const std::string& part) {
        file_ = std::make_unique<PartInput>(budget_, part, budget_.limits.max_sheet_bytes);
        if (auto opened = file_->Open(zip_.get(), index); !opened) return std::unexpected(opened.error());
        parser_.reset(XML_ParserCreate(nullptr));
        if (!parser_) return std::unexpected(FormatError(name_, "内存不足", "out of memory"));
        XML_SetUserData(parser_.get(), this);
        XML_SetElementHandler(parser_.get(), OnStart, OnEnd);
        XML_SetCharacterDataHandler(parser_.get(), OnText);
        XML_SetStartDoctypeDeclHandler(parser_.get(), OnDoctype);
        part_ = part;
        return {};
    }

    Result<bool> Next(std::vector<Cell>& row) override {
        if (!row_ready_) {
            auto more = Advance();
            if (!more) return std::unexpected(more.error());
            if (!*more) return false;
        }
        // Rows the sheet leaves out are skipped: the numbering stays Excel's without producing them.
        returned_ = std::max(ready_row_, returned_ + 1);
        row.swap(cells_);
        row_ready_ = false;
        if (++rows_read_ - 1 > budget_.limits.max_rows) {
            const std::string limit = std::to_string(budget_.limits.max_rows);
            return Fail("import.too_many_rows", name_ + ":" + std::to_string(returned_),
                        "工作表“" + sheet_name_ + "”超过 " + limit + " 个数据行的限制",
                        "sheet \"" + sheet_name_ + "\" has more than the limit of " + limit + " data rows");
        }
        if ((rows_read_ & 1023) == 0)
            if (auto r = budget_.cancel.Check(name_ + ":" + std::to_string(returned_)); !r)
                return std::unexpected(r.error());
        return true;
    }

    int64_t row_number() const override { return returned_; }
    std::string_view encoding() const override { return "xlsx"; }
    bool date1904() const override { return date1904_; }
    std::string_view sheet() const override { return sheet_; }
    std::vector<std::string> sheets() const override { return sheets_; }

    void SetWorkbookFacts(bool date1904, std::string sheet, std::vector<std::string> sheets) {
        date1904_ = date1904;
        sheet_ = std::move(sheet);
        sheets_ = std::move(sheets);
    }

  private:
    // Parses until a whole row is held in cells_; false at the end of the sheet.
    Result<bool> Advance() {
        while (!row_ready_) {
            XML_Status status;
            if (suspended_) {
                status = XML_ResumeParser(parser_.get());
            } else if (finished_) {
                return false;
            } else {
                void* buffer = XML_GetBuffer(parser_.get(), kXmlChunk);
                if (buffer == nullptr)
                    return std::unexpected(FormatError(Where(), "内存不足", "out of memory"));
                auto got = file_->Read(static_cast<char*>(buffer), kXmlChunk);
                if (!got) {
                    finished_ = true;
                    Error e = got.error();
                    e.field = Where();
                    return std::unexpected(std::move(e));
                }
                finished_ = *got == 0;
                status = XML_ParseBuffer(parser_.get(), static_cast<int>(*got), finished_);
            }
            if (status == XML_STATUS_ERROR) {
                finished_ = true;
                suspended_ = false;
                if (error_) return std::unexpected(*error_);
                const std::string why = ExpatMessage(parser_.get());
                return std::unexpected(FormatError(Where(), part_ + "：" + why, part_ + ": " + why));
            }
            suspended_ = status == XML_STATUS_SUSPENDED;
        }
        return true;
    }

    std::string Where() const {
        const int64_t row = in_row_ ? ready_row_ : std::max(ready_row_, returned_) + 1;
        return name_ + ":" + std::to_string(row);
    }

    void Abort(Error error) {
        if (!error_) error_ = std::move(error);
        XML_StopParser(parser_.get(), XML_FALSE);
    }

    // Makes cells_[0, width) part of the current row, clearing what an earlier row left there.
    void Widen(size_t width) {
        if (width <= row_width_) return;
        if (cells_.size() < width) cells_.resize(width);
        for (size_t i = row_width_; i < width; ++i) {
            cells_[i].text.clear();
            cells_[i].numeric = false;
            cells_[i].cut = false;
        }
        row_width_ = width;
    }

    void StartRow(const XML_Char** attributes) {
        int64_t number = last_row_ + 1;
        for (auto a = attributes; *a != nullptr; a += 2) {
            if (std::strcmp(a[0], "r") == 0) {
                int64_t value = 0;
                const char* end = a[1] + std::strlen(a[1]);
                const auto parsed = std::from_chars(a[1], end, value);
                if (parsed.ec == std::errc::result_out_of_range) value = INT64_MAX;
                if ((parsed.ec == std::errc() || parsed.ec == std::errc::result_out_of_range) && value > 0)
                    number = value;
            }
        }
        if (number > kMaxSheetRow) {
            // Refused before anything is made of it: a row numbered 9×10^18 costs nothing.
            const std::string shown = number == INT64_MAX ? "≥ 9223372036854775807" : std::to_string(number);
            in_row_ = true;
            ready_row_ = returned_ + 1;
            Abort(Error{.code = "xlsx.row_out_of_range",
                        .field = name_ + ":" + shown,
                        .message_zh =
                            "工作表“" + sheet_name_ + "”的第 " + shown + " 行超出了 .xlsx 的最大行号 1048576",
                        .message_en = "sheet \"" + sheet_name_ + "\": row " + shown +
                                      " is beyond the last row of an .xlsx sheet (1048576)"});
            return;
        }
        in_row_ = true;
        ready_row_ = number;
        last_row_ = number;
        row_width_ = 0;
        next_col_ = 0;
    }

    void StartCell(const XML_Char** attributes) {
        in_cell_ = true;
        cell_col_ = next_col_;
        cell_type_ = CellType::kNumber;
        for (auto a = attributes; *a != nullptr; a += 2) {
            if (std::strcmp(a[0], "r") == 0) {
                if (auto col = ColumnOfReference(a[1])) cell_col_ = *col;
            } else if (std::strcmp(a[0], "t") == 0) {
                cell_type_ = ParseCellType(a[1]);
            }
        }
        next_col_ = cell_col_ + 1;
        value_.clear();
        value_cut_ = false;
    }

    void EndCell() {
        in_cell_ = false;
        if (cell_col_ >= kMaxColumns) {
            Abort(FormatError(Where(), "单元格超出最后一列 XFD", "a cell lies beyond the last column XFD"));
            return;
        }
        // Empty cells (formatting only) do not widen the row, so rows carry no trailing empties.
        if (value_.empty()) return;
        if (cell_col_ >= max_columns_) {
            const std::string ref = ColumnLetters(cell_col_) + std::to_string(ready_row_);
            const std::string limit = std::to_string(max_columns_);
            Abort(Error{.code = "import.too_many_columns",
                        .field = Where(),
                        .message_zh = "工作表“" + sheet_name_ + "”的单元格 " + ref + " 有值，超出了最多 " +
                                      limit + " 列的限制",
                        .message_en = "sheet \"" + sheet_name_ + "\": cell " + ref +
                                      " has a value beyond the limit of " + limit + " columns"});
            return;
        }
        bool cut = value_cut_;
        bool numeric = false;
        switch (cell_type_) {
            case CellType::kNumber:
                numeric = true;
                break;
            case CellType::kShared: {
                size_t index = 0;
                const auto parsed = std::from_chars(value_.data(), value_.data() + value_.size(), index);
                if (parsed.ec != std::errc() || index >= strings_.size()) {
                    Abort(FormatError(Where(), "共享字符串编号无效：" + value_,
                                      "invalid shared string index: " + value_));
                    return;
                }
                value_.assign(strings_.at(index));
                cut = strings_.was_cut(index);
                break;
            }
            case CellType::kBool:
                if (value_ == "1") value_ = "TRUE";
                if (value_ == "0") value_ = "FALSE";
                break;
            case CellType::kInline:
            case CellType::kString:
            case CellType::kError:
            case CellType::kOther:
                internal::DecodeXstring(value_);
                break;
        }
        if (value_.empty()) return;  // e.g. an inline string with no text
        Widen(cell_col_ + 1);
        Cell& cell = cells_[cell_col_];
        cell.text.swap(value_);
        cell.numeric = numeric;
        cell.cut = cut;
    }

    void EndRow() {
        in_row_ = false;
        cells_.resize(row_width_);
        row_ready_ = true;
        XML_StopParser(parser_.get(), XML_TRUE);
    }

    static void XMLCALL OnStart(void* user_data, const XML_Char* name, const XML_Char** attributes) {
        auto* self = static_cast<XlsxReader*>(user_data);
        const std::string_view local = LocalName(name);
        if (self->in_cell_) {
            if (local == "v") {
                self->in_v_ = true;
            } else if (local == "is") {
                self->in_is_ = true;
            } else if (local == "t") {
                self->in_t_ = true;
            } else if (local == "rPh") {
                ++self->phonetic_depth_;
            }
        } else if (self->in_row_) {
            if (local == "c") self->StartCell(attributes);
        } else if (self->in_sheet_data_) {
            if (local == "row") self->StartRow(attributes);
        } else if (local == "sheetData") {
            self->in_sheet_data_ = true;
        }
    }

    static void XMLCALL OnEnd(void* user_data, const XML_Char* name) {
        auto* self = static_cast<XlsxReader*>(user_data);
        const std::string_view local = LocalName(name);
        if (self->in_cell_) {
            if (local == "v") {
                self->in_v_ = false;
            } else if (local == "is") {
                self->in_is_ = false;
            } else if (local == "t") {
                self->in_t_ = false;
            } else if (local == "rPh") {
                --self->phonetic_depth_;
            } else if (local == "c") {
                self->EndCell();
            }
        } else if (self->in_row_) {
            if (local == "row") self->EndRow();
        } else if (local == "sheetData") {
            self->in_sheet_data_ = false;
        }
    }

    static void XMLCALL OnText(void* user_data, const XML_Char* text, int len) {
        auto* self = static_cast<XlsxReader*>(user_data);
        if (self->value_cut_) return;
        if (self->in_v_ || (self->in_is_ && self->in_t_ && self->phonetic_depth_ == 0)) {
            // Held up to max_cell_ bytes; the rest of a longer value is only counted by PartInput.
            const size_t room = self->max_cell_ - std::min(self->max_cell_, self->value_.size());
            if (static_cast<size_t>(len) <= room) {
                self->value_.append(text, static_cast<size_t>(len));
            } else {
                self->value_.append(
                    text, internal::Utf8Cut(std::string_view(text, static_cast<size_t>(len)), room));
                self->value_cut_ = true;
            }
        }
    }

    static void XMLCALL OnDoctype(void* user_data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        auto* self = static_cast<XlsxReader*>(user_data);
        self->Abort(FormatError(self->Where(), "工作表含有 DOCTYPE", "the sheet has a DOCTYPE"));
    }

    std::string name_;
    std::string part_;
    bool date1904_ = false;
    std::string sheet_;
    std::vector<std::string> sheets_;
    ZipPtr zip_;
    SharedStrings strings_;
    Budget budget_;
    std::string sheet_name_;
    size_t max_cell_;
    size_t max_columns_;
    int64_t rows_read_ = 0;
    std::unique_ptr<PartInput> file_;
    ParserPtr parser_;
    bool suspended_ = false;
    bool finished_ = false;
    std::optional<Error> error_;

    // Parse state.
    bool in_sheet_data_ = false;
    bool in_row_ = false;
    bool in_cell_ = false;
    bool in_v_ = false;
    bool in_is_ = false;
    bool in_t_ = false;
    int phonetic_depth_ = 0;
    int64_t last_row_ = 0;
    size_t next_col_ = 0;
    size_t cell_col_ = 0;
    CellType cell_type_ = CellType::kNumber;
    std::string value_;
    bool value_cut_ = false;

    // The row parsed and not yet returned.
    std::vector<Cell> cells_;
    size_t row_width_ = 0;
    bool row_ready_ = false;
    int64_t ready_row_ = 0;
    int64_t returned_ = 0;
};

}  // namespace

namespace internal {

Result<std::unique_ptr<TableReader>> OpenXlsx(int fd, std::string name, const TableOptions& options) {
    const std::string_view sheet = options.sheet;
    Budget budget{options.limits, options.cancel, name, 0};
    int zip_code = 0;
    ZipPtr zip(zip_fdopen(fd, 0, &zip_code));
    if (!zip) {
        ::close(fd);
        zip_error_t error;
        zip_error_init_with_code(&error, zip_code);
        const std::string why = zip_error_strerror(&error);
        zip_error_fini(&error);
        return Fail("xlsx.format", name, "不是有效的 xlsx 文件：zip 结构损坏（" + why + "）",
                    "not a valid xlsx file: broken zip (" + why + ")");
    }

    // The package's root relationships say where the workbook is; nearly always xl/workbook.xml.
    std::string workbook_part = "xl/workbook.xml";
    auto root_rels = ReadPart(zip.get(), "_rels/.rels", budget);
    if (!root_rels) return std::unexpected(root_rels.error());
    if (*root_rels) {
        auto rels = ParseRelationships(**root_rels, "_rels/.rels", name);
        if (!rels) return std::unexpected(rels.error());
        for (const auto& rel : *rels) {
            if (rel.type.ends_with(kOfficeDocumentType)) workbook_part = ResolveTarget("", rel.target);
        }
    }
    auto workbook = ReadPart(zip.get(), workbook_part, budget);
    if (!workbook) return std::unexpected(workbook.error());
    if (!*workbook && LocatePart(zip.get(), "content.xml") && LocatePart(zip.get(), "mimetype")) {
        return Fail("xlsx.format", name,
                    "这是 OpenDocument 表格(.ods,LibreOffice 的默认格式),不是 .xlsx;请另存为 .xlsx(或 CSV)后再导入",
                    "this is an OpenDocument spreadsheet (.ods, LibreOffice's default), not .xlsx; save it as "
                    ".xlsx (or CSV) and import that");
    }
    if (!*workbook) {
        return Fail("xlsx.format", name, "不是有效的 xlsx 文件：缺少 " + workbook_part,
                    "not a valid xlsx file: " + workbook_part + " is missing");
    }
    auto sheets = ParseWorkbookSheets(**workbook, workbook_part, name);
    if (!sheets) return std::unexpected(sheets.error());
    if (sheets->empty()) {
        return Fail("xlsx.format", name, "不是有效的 xlsx 文件：工作簿中没有工作表",
                    "not a valid xlsx file: the workbook has no sheets");
    }

    const std::string_view workbook_dir = DirectoryOf(workbook_part);
    const std::string rels_part =
        std::string(workbook_dir) + "_rels/" + workbook_part.substr(workbook_dir.size()) + ".rels";
    auto rels_text = ReadPart(zip.get(), rels_part, budget);
    if (!rels_text) return std::unexpected(rels_text.error());
    if (!*rels_text) {
        return Fail("xlsx.format", name, "不是有效的 xlsx 文件：缺少 " + rels_part,
                    "not a valid xlsx file: " + rels_part + " is missing");
    }
    auto rels = ParseRelationships(**rels_text, rels_part, name);
    if (!rels) return std::unexpected(rels.error());

    const SheetEntry* chosen = nullptr;
    if (sheet.empty()) {
        chosen = &sheets->front();
    } else {
        for (const auto& entry : *sheets) {
            if (entry.name == sheet) chosen = &entry;
        }
        // Excel treats sheet names case-insensitively.
        for (const auto& entry : *sheets) {
            if (chosen == nullptr && EqualsIgnoreAsciiCase(entry.name, sheet)) chosen = &entry;
        }
    }
    if (chosen == nullptr) {
        std::string names;
        for (const auto& entry : *sheets) {
            if (!names.empty()) names += ", ";
            names += entry.name;
        }
        const std::string wanted(sheet);
        return Fail("xlsx.sheet", name, "没有名为“" + wanted + "”的工作表（现有：" + names + "）",
                    "no sheet named \"" + wanted + "\" (the workbook has: " + names + ")");
    }
    std::string sheet_part;
    for (const auto& rel : *rels) {
        if (rel.id == chosen->rel_id && rel.type.ends_with(kWorksheetType)) {
            sheet_part = ResolveTarget(workbook_dir, rel.target);
        }
    }
    const auto sheet_index = sheet_part.empty() ? std::nullopt : LocatePart(zip.get(), sheet_part);
    if (!sheet_index) {
        return Fail("xlsx.format", name, "不是有效的 xlsx 文件：找不到工作表“" + chosen->name + "”的内容",
                    "not a valid xlsx file: the part of sheet \"" + chosen->name + "\" is missing");
    }

    SharedStrings strings;
    std::string strings_part;
    for (const auto& rel : *rels) {
        if (rel.type.ends_with(kSharedStringsType)) strings_part = ResolveTarget(workbook_dir, rel.target);
    }
    if (strings_part.empty()) strings_part = std::string(workbook_dir) + "sharedStrings.xml";
    if (const auto strings_index = LocatePart(zip.get(), strings_part)) {
        SharedStringsLoader loader(&strings,
                                   static_cast<size_t>(std::max<int64_t>(options.limits.max_cell_bytes, 1)));
        if (auto loaded = loader.Load(zip.get(), *strings_index, strings_part, budget); !loaded) {
            return std::unexpected(loaded.error());
        }
    }

    std::vector<std::string> sheet_names;
    for (const auto& entry : *sheets) sheet_names.push_back(entry.name);
    const bool date1904 = UsesDate1904(**workbook);
    auto reader = std::make_unique<XlsxReader>(std::move(name), std::move(zip), std::move(strings),
                                               std::move(budget), chosen->name);
    reader->SetWorkbookFacts(date1904, chosen->name, std::move(sheet_names));
    if (auto opened = reader->OpenSheet(*sheet_index, sheet_part); !opened)
        return std::unexpected(opened.error());
    return reader;
}

}  // namespace internal
}  // namespace jz::io

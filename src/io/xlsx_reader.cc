// .xlsx reading. The workbook's small parts are read whole with pugixml; the shared strings and the
// sheet can be hundreds of megabytes, so they go through expat in chunks, and the sheet parser is
// suspended after each row so that only one row is held at a time.
#include <expat.h>
#include <unistd.h>
#include <zip.h>

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
constexpr size_t kMaxColumns = 16384;  // XFD, Excel's last column
constexpr std::string_view kOfficeDocumentType = "/officeDocument";
constexpr std::string_view kWorksheetType = "/worksheet";
constexpr std::string_view kSharedStringsType = "/sharedStrings";

// Parts may use a namespace prefix ("x:row"); only the local name matters here.
std::string_view LocalName(const char* name) {
    const char* colon = std::strrchr(name, ':');
    return colon != nullptr ? colon + 1 : name;
}

Error FormatError(std::string field, const std::string& zh, const std::string& en) {
    return Error{"xlsx.format", std::move(field), "不是有效的 xlsx 文件：" + zh,
                 "not a valid xlsx file: " + en};
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

std::optional<zip_int64_t> LocatePart(zip_t* zip, const std::string& part) {
    const zip_int64_t index = zip_name_locate(zip, part.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return std::nullopt;
    return index;
}

// The whole of a small part; nullopt when the package has no such part.
Result<std::optional<std::string>> ReadPart(zip_t* zip, const std::string& part, const std::string& name) {
    const auto index = LocatePart(zip, part);
    if (!index) return std::optional<std::string>();
    ZipFilePtr file(zip_fopen_index(zip, static_cast<zip_uint64_t>(*index), 0));
    if (!file)
        return std::unexpected(
            FormatError(name, part + "：" + zip_strerror(zip), part + ": " + zip_strerror(zip)));
    std::string text;
    char buffer[64 * 1024];
    while (true) {
        const zip_int64_t got = zip_fread(file.get(), buffer, sizeof(buffer));
        if (got < 0) {
            const std::string why = zip_file_strerror(file.get());
            return std::unexpected(FormatError(name, part + "：" + why, part + ": " + why));
        }
        if (got == 0) break;
        text.append(buffer, static_cast<size_t>(got));
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

// All strings of sharedStrings.xml, back to back in one buffer.
struct SharedStrings {
    std::string pool;
    std::vector<size_t> starts{0};  // string i is pool[starts[i], starts[i + 1])

    size_t size() const { return starts.size() - 1; }
    std::string_view at(size_t i) const {
        return std::string_view(pool).substr(starts[i], starts[i + 1] - starts[i]);
    }
};

class SharedStringsLoader {
  public:
    explicit SharedStringsLoader(SharedStrings* out) : out_(out) {}

    Result<void> Load(zip_t* zip, zip_int64_t index, const std::string& part, const std::string& name) {
        ZipFilePtr file(zip_fopen_index(zip, static_cast<zip_uint64_t>(index), 0));
        if (!file)
            return std::unexpected(
                FormatError(name, part + "：" + zip_strerror(zip), part + ": " + zip_strerror(zip)));
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
            const zip_int64_t got = zip_fread(file.get(), buffer, kXmlChunk);
            if (got < 0) {
                const std::string why = zip_file_strerror(file.get());
                return std::unexpected(FormatError(name, part + "：" + why, part + ": " + why));
            }
            if (XML_ParseBuffer(parser.get(), static_cast<int>(got), got == 0) != XML_STATUS_OK) {
                const std::string why = doctype_ ? "DOCTYPE" : ExpatMessage(parser.get());
                return std::unexpected(FormatError(name, part + "：" + why, part + ": " + why));
            }
            if (got == 0) break;
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
            self->out_->starts.push_back(self->out_->pool.size());
            self->in_si_ = false;
        } else if (local == "t") {
            self->in_t_ = false;
        } else if (local == "rPh") {
            --self->phonetic_depth_;
        }
    }

    static void XMLCALL OnText(void* user_data, const XML_Char* text, int len) {
        auto* self = static_cast<SharedStringsLoader*>(user_data);
        if (self->in_si_ && self->in_t_ && self->phonetic_depth_ == 0) {
            self->out_->pool.append(text, static_cast<size_t>(len));
        }
    }

    // A DOCTYPE has no place in an OOXML part; refusing it keeps entity expansion out of reach.
    static void XMLCALL OnDoctype(void* user_data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        auto* self = static_cast<SharedStringsLoader*>(user_data);
        self->doctype_ = true;
        XML_StopParser(self->parser_, XML_FALSE);
    }

    SharedStrings* out_;
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
    XlsxReader(std::string name, ZipPtr zip, SharedStrings strings)
        : name_(std::move(name)), zip_(std::move(zip)), strings_(std::move(strings)) {}

    Result<void> OpenSheet(zip_int64_t index, const std::string& part) {
        file_.reset(zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0));
        if (!file_) {
            return std::unexpected(FormatError(name_, part + "：" + zip_strerror(zip_.get()),
                                               part + ": " + zip_strerror(zip_.get())));
        }
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
        if (ready_row_ > returned_ + 1) {
            // A row the sheet leaves out: given as empty so that numbering stays Excel's.
            ++returned_;
            row.clear();
            return true;
        }
        returned_ = std::max(ready_row_, returned_ + 1);
        row.swap(cells_);
        row_ready_ = false;
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
                const zip_int64_t got = zip_fread(file_.get(), buffer, kXmlChunk);
                if (got < 0) {
                    const std::string why = zip_file_strerror(file_.get());
                    return std::unexpected(FormatError(Where(), part_ + "：" + why, part_ + ": " + why));
                }
                finished_ = got == 0;
                status = XML_ParseBuffer(parser_.get(), static_cast<int>(got), finished_);
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
        error_ = std::move(error);
        XML_StopParser(parser_.get(), XML_FALSE);
    }

    // Makes cells_[0, width) part of the current row, clearing what an earlier row left there.
    void Widen(size_t width) {
        if (width <= row_width_) return;
        if (cells_.size() < width) cells_.resize(width);
        for (size_t i = row_width_; i < width; ++i) {
            cells_[i].text.clear();
            cells_[i].numeric = false;
        }
        row_width_ = width;
    }

    void StartRow(const XML_Char** attributes) {
        int64_t number = last_row_ + 1;
        for (auto a = attributes; *a != nullptr; a += 2) {
            if (std::strcmp(a[0], "r") == 0) {
                int64_t value = 0;
                const char* end = a[1] + std::strlen(a[1]);
                if (std::from_chars(a[1], end, value).ec == std::errc() && value > 0) number = value;
            }
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
    }

    void EndCell() {
        in_cell_ = false;
        if (cell_col_ >= kMaxColumns) {
            Abort(FormatError(Where(), "单元格超出最后一列 XFD", "a cell lies beyond the last column XFD"));
            return;
        }
        // Empty cells (formatting only) do not widen the row, so rows carry no trailing empties.
        if (value_.empty()) return;
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
        if (self->in_v_ || (self->in_is_ && self->in_t_ && self->phonetic_depth_ == 0)) {
            self->value_.append(text, static_cast<size_t>(len));
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
    ZipFilePtr file_;
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

    // The row parsed and not yet returned.
    std::vector<Cell> cells_;
    size_t row_width_ = 0;
    bool row_ready_ = false;
    int64_t ready_row_ = 0;
    int64_t returned_ = 0;
};

}  // namespace

namespace internal {

Result<std::unique_ptr<TableReader>> OpenXlsx(int fd, std::string name, std::string_view sheet) {
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
    auto root_rels = ReadPart(zip.get(), "_rels/.rels", name);
    if (!root_rels) return std::unexpected(root_rels.error());
    if (*root_rels) {
        auto rels = ParseRelationships(**root_rels, "_rels/.rels", name);
        if (!rels) return std::unexpected(rels.error());
        for (const auto& rel : *rels) {
            if (rel.type.ends_with(kOfficeDocumentType)) workbook_part = ResolveTarget("", rel.target);
        }
    }
    auto workbook = ReadPart(zip.get(), workbook_part, name);
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
    auto rels_text = ReadPart(zip.get(), rels_part, name);
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
        SharedStringsLoader loader(&strings);
        if (auto loaded = loader.Load(zip.get(), *strings_index, strings_part, name); !loaded) {
            return std::unexpected(loaded.error());
        }
    }

    std::vector<std::string> sheet_names;
    for (const auto& entry : *sheets) sheet_names.push_back(entry.name);
    const bool date1904 = UsesDate1904(**workbook);
    std::string chosen_name = chosen->name;
    auto reader = std::make_unique<XlsxReader>(std::move(name), std::move(zip), std::move(strings));
    reader->SetWorkbookFacts(date1904, std::move(chosen_name), std::move(sheet_names));
    if (auto opened = reader->OpenSheet(*sheet_index, sheet_part); !opened)
        return std::unexpected(opened.error());
    return reader;
}

}  // namespace internal
}  // namespace jz::io

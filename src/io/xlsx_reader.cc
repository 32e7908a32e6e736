// .xlsx reading. The workbook's small parts are read whole with pugixml; the shared strings and the
// sheet can be hundreds of megabytes, so they go through expat in chunks, and the sheet parser is
// suspended after each row so that only one row is held at a time. Every part is inflated through
// PartInput, which counts the bytes that actually come out against the limits (a zip's directory
// can state any size), so a zip bomb is refused after a few megabytes, not after gigabytes.
//
// This file holds the sheet streaming (XlsxReader) and the opening of a workbook (OpenXlsx); the
// package and its limits are in xlsx_package.cc, the shared strings in xlsx_shared_strings.cc.
#include <expat.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "io/table.h"
#include "io/table_internal.h"
#include "io/xlsx_package.h"

namespace jz::io {
namespace {

using xlsx::Budget;
using xlsx::DirectoryOf;
using xlsx::ExpatMessage;
using xlsx::FormatError;
using xlsx::kMaxColumns;
using xlsx::kMaxSheetRow;
using xlsx::kOfficeDocumentType;
using xlsx::kSharedStringsType;
using xlsx::kWorksheetType;
using xlsx::kXmlChunk;
using xlsx::LocalName;
using xlsx::LocatePart;
using xlsx::ParseRelationships;
using xlsx::ParserPtr;
using xlsx::ParseWorkbookSheets;
using xlsx::PartInput;
using xlsx::ReadPart;
using xlsx::ResolveTarget;
using xlsx::SharedStrings;
using xlsx::SheetEntry;
using xlsx::UsesDate1904;
using xlsx::ZipPtr;

// "AB" for column 27 (0-based index 27 → "AB").
std::string ColumnLetters(size_t col) {
    std::string letters;
    for (size_t n = col + 1; n > 0; n = (n - 1) / 26)
        letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
    return letters;
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        return lower(x) == lower(y);
    });
}

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
            Abort(Error{.code = "xlsx.row_out_of_range", .field = name_ + ":" + shown, .message_zh = "工作表“" + sheet_name_ + "”的第 " + shown + " 行超出了 .xlsx 的最大行号 1048576", .message_en = "sheet \"" + sheet_name_ + "\": row " + shown +
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
            Abort(Error{.code = "import.too_many_columns", .field = Where(), .message_zh = "工作表“" + sheet_name_ + "”的单元格 " + ref + " 有值，超出了最多 " + limit + " 列的限制", .message_en = "sheet \"" + sheet_name_ + "\": cell " + ref + " has a value beyond the limit of " + limit +
                    " columns"});
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
        if (auto loaded = xlsx::LoadSharedStrings(
                zip.get(), *strings_index, strings_part, budget,
                static_cast<size_t>(std::max<int64_t>(options.limits.max_cell_bytes, 1)), strings);
            !loaded) {
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

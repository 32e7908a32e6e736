#include "io/document_xlsx.h"

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
#include <set>
#include <string_view>
#include <vector>

#include "io/table_internal.h"

namespace jz::io {
namespace {

// 2017-01-01T00:00:00Z: a fixed creation time keeps the bytes reproducible.
constexpr time_t kFixedCreated = 1483228800;
constexpr long kSerialOf1970 = 25569;
constexpr long kFirstSerialPastLeapBug = 61;
constexpr double kMinWidth = 8;
constexpr double kMaxWidth = 60;
constexpr size_t kMaxSheetChars = 31;

std::unexpected<Error> WriteError(const std::string& path, const std::string& why) {
    return std::unexpected(Error{.code = "file.write",
                                 .field = path,
                                 .message_zh = "写入 xlsx 文件失败（" + why + "）",
                                 .message_en = "writing the xlsx file failed (" + why + ")"});
}

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

// UTF-8 characters of `text` (each a byte range).
std::vector<std::string> Characters(std::string_view text) {
    std::vector<std::string> out;
    for (size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        n = std::min(n, text.size() - i);
        out.emplace_back(text.substr(i, n));
        i += n;
    }
    return out;
}

std::string Lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// A valid, unique sheet name from a section title: []:*?/\ replaced by "_", no leading or trailing
// apostrophe, at most 31 characters; a repeated name gets " (2)", " (3)", ... within the 31.
std::string SheetName(const std::string& title, std::set<std::string>& used) {
    std::vector<std::string> chars = Characters(title);
    for (std::string& ch : chars)
        if (ch.size() == 1 && std::string_view("[]:*?/\\").find(ch[0]) != std::string_view::npos) ch = "_";
    if (!chars.empty() && chars.front() == "'") chars.front() = "_";
    if (!chars.empty() && chars.back() == "'") chars.back() = "_";
    if (chars.empty()) chars = {"S", "h", "e", "e", "t"};
    for (int n = 1;; ++n) {
        const std::string suffix = n == 1 ? "" : " (" + std::to_string(n) + ")";
        const size_t keep = std::min(chars.size(), kMaxSheetChars - suffix.size());
        std::string name;
        for (size_t i = 0; i < keep; ++i) name += chars[i];
        if (!name.empty() && name.back() == '\'') name.back() = '_';
        name += suffix;
        if (used.insert(Lower(name)).second) return name;
    }
}

// "12.3456" from 123456 with 4 decimals (the sign before the integer part).
std::string Decimal(int64_t value, int decimals) {
    const bool negative = value < 0;
    const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
    uint64_t scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    std::string fraction = std::to_string(magnitude % scale);
    fraction.insert(0, static_cast<size_t>(decimals) - fraction.size(), '0');
    return (negative ? "-" : "") + std::to_string(magnitude / scale) + "." + fraction;
}

double ParseDouble(const std::string& text) {
    double v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
}

// libxlsxwriter prints numbers with "%.16G" (91.9 as "91.90000000000001"): every sheet's <v> values
// are rewritten as their shortest form of up to 15 significant digits that reads back as the same
// double, so the file holds the decimal the document holds.
std::string ShortenValues(const std::string& xml) {
    std::string out;
    out.reserve(xml.size());
    size_t done = 0;
    for (;;) {
        const size_t v = xml.find("<v>", done);
        const size_t end = v == std::string::npos ? v : xml.find("</v>", v + 3);
        if (end == std::string::npos) break;
        out.append(xml, done, v + 3 - done);
        const std::string text = xml.substr(v + 3, end - v - 3);
        double value = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        char buffer[40];
        bool replaced = false;
        if (ec == std::errc() && p == text.data() + text.size()) {
            auto [e2, ec2] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 15);
            double again = 0;
            if (ec2 == std::errc() && std::from_chars(buffer, e2, again).ec == std::errc() && again == value) {
                out.append(buffer, e2);
                replaced = true;
            }
        }
        if (!replaced) out += text;
        done = end;
    }
    out.append(xml, done, std::string::npos);
    return out;
}

bool ShortenAllSheets(const std::string& path) {
    int error = 0;
    zip_t* zip = zip_open(path.c_str(), 0, &error);
    if (zip == nullptr) return false;
    std::vector<std::pair<std::string, zip_stat_t>> sheets;
    const zip_int64_t entries = zip_get_num_entries(zip, 0);
    for (zip_int64_t i = 0; i < entries; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(zip, static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
        const std::string name = st.name;
        if (name.rfind("xl/worksheets/sheet", 0) == 0 && name.ends_with(".xml")) sheets.emplace_back(name, st);
    }
    std::vector<std::string> buffers;  // kept alive until zip_close (zip_source_buffer does not copy)
    buffers.reserve(sheets.size());
    bool ok = true;
    for (const auto& [name, st] : sheets) {
        zip_file_t* in = zip_fopen_index(zip, st.index, 0);
        if (in == nullptr) {
            ok = false;
            break;
        }
        std::string xml(st.size, '\0');
        const zip_int64_t n = zip_fread(in, xml.data(), st.size);
        zip_fclose(in);
        if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) {
            ok = false;
            break;
        }
        buffers.push_back(ShortenValues(xml));
        zip_source_t* source = zip_source_buffer(zip, buffers.back().data(), buffers.back().size(), 0);
        if (source == nullptr || zip_delete(zip, st.index) != 0) {
            if (source != nullptr) zip_source_free(source);
            ok = false;
            break;
        }
        const zip_int64_t added = zip_file_add(zip, name.c_str(), source, 0);
        if (added < 0) {
            zip_source_free(source);
            ok = false;
            break;
        }
        ok = zip_set_file_compression(zip, static_cast<zip_uint64_t>(added), ZIP_CM_DEFLATE, 6) == 0 &&
             zip_file_set_mtime(zip, static_cast<zip_uint64_t>(added), st.mtime, 0) == 0;
        if (!ok) break;
    }
    if (ok) return zip_close(zip) == 0;
    zip_discard(zip);
    return false;
}

struct Formats {
    lxw_format* bold = nullptr;
    lxw_format* integer = nullptr;
    lxw_format* integer_bold = nullptr;
    lxw_format* yuan = nullptr;
    lxw_format* yuan_bold = nullptr;
    lxw_format* percent = nullptr;
    lxw_format* percent_bold = nullptr;
    lxw_format* date = nullptr;
    lxw_format* date_bold = nullptr;
};

lxw_format* NumberFormat(lxw_workbook* book, const char* pattern, bool bold) {
    lxw_format* f = workbook_add_format(book);
    format_set_num_format(f, pattern);
    if (bold) format_set_bold(f);
    return f;
}

class Book {
  public:
    Book(const std::string& path, const std::string& tmp) : path_(path) {
        lxw_workbook_options options{};
        book_ = workbook_new_opt(tmp.c_str(), &options);
        if (book_ == nullptr) return;
        lxw_doc_properties properties{};
        properties.created = kFixedCreated;
        workbook_set_properties(book_, &properties);
        f_.bold = workbook_add_format(book_);
        format_set_bold(f_.bold);
        f_.integer = NumberFormat(book_, "0", false);
        f_.integer_bold = NumberFormat(book_, "0", true);
        f_.yuan = NumberFormat(book_, "0.00", false);
        f_.yuan_bold = NumberFormat(book_, "0.00", true);
        f_.percent = NumberFormat(book_, "0.00%", false);
        f_.percent_bold = NumberFormat(book_, "0.00%", true);
        f_.date = NumberFormat(book_, "yyyy-mm-dd", false);
        f_.date_bold = NumberFormat(book_, "yyyy-mm-dd", true);
    }
    ~Book() {
        if (book_ != nullptr) lxw_workbook_free(book_);
    }
    Book(const Book&) = delete;
    Book& operator=(const Book&) = delete;

    bool ok() const { return book_ != nullptr; }
    lxw_workbook* get() { return book_; }
    const Formats& formats() const { return f_; }
    lxw_workbook* release() {
        lxw_workbook* b = book_;
        book_ = nullptr;
        return b;
    }
    bool decimals = false;

  private:
    std::string path_;
    lxw_workbook* book_ = nullptr;
    Formats f_;
};

class SheetWriter {
  public:
    SheetWriter(lxw_worksheet* sheet, const Formats& f) : sheet_(sheet), f_(f) {}

    lxw_error Text(lxw_row_t row, size_t col, const std::string& text, bool bold) {
        Measure(col, text);
        if (text.empty()) return LXW_NO_ERROR;
        const char* value = text.c_str();
        if (internal::ProtectXstring(text, protected_)) value = protected_.c_str();
        return worksheet_write_string(sheet_, row, static_cast<lxw_col_t>(col), value, bold ? f_.bold : nullptr);
    }

    lxw_error Cell(lxw_row_t row, size_t col, const DocValue& value, DocCellType type, bool bold, bool& decimals) {
        if (std::holds_alternative<std::monostate>(value)) {
            if (bold) return worksheet_write_blank(sheet_, row, static_cast<lxw_col_t>(col), f_.bold);
            return LXW_NO_ERROR;
        }
        if (const auto* text = std::get_if<std::string>(&value)) {
            if (type == DocCellType::kDate && text->size() == 10) {
                if (const auto d = Date::Parse(*text)) {
                    const long serial = d->DaysSinceEpoch() + kSerialOf1970;
                    if (serial >= kFirstSerialPastLeapBug) {
                        Measure(col, *text);
                        return worksheet_write_number(sheet_, row, static_cast<lxw_col_t>(col),
                                                      static_cast<double>(serial), bold ? f_.date_bold : f_.date);
                    }
                }
            }
            return Text(row, col, *text, bold);
        }
        const int64_t number = std::get<int64_t>(value);
        std::string decimal;
        lxw_format* format = nullptr;
        switch (type) {
            case DocCellType::kFen:
                decimal = Decimal(number, 2);
                format = bold ? f_.yuan_bold : f_.yuan;
                decimals = true;
                break;
            case DocCellType::kPercent:
                decimal = Decimal(number, 4);
                format = bold ? f_.percent_bold : f_.percent;
                decimals = true;
                break;
            default:
                // A count beyond 2^53 has no exact double: it stays text.
                if (number > (int64_t{1} << 53) || number < -(int64_t{1} << 53))
                    return Text(row, col, std::to_string(number), bold);
                decimal = std::to_string(number);
                format = bold ? f_.integer_bold : f_.integer;
                break;
        }
        Measure(col, FormatDocValue(value, type));
        return worksheet_write_number(sheet_, row, static_cast<lxw_col_t>(col), ParseDouble(decimal), format);
    }

    void Widths() {
        for (size_t col = 0; col < widths_.size(); ++col) {
            const double width = std::clamp(static_cast<double>(widths_[col]) + 2, kMinWidth, kMaxWidth);
            worksheet_set_column(sheet_, static_cast<lxw_col_t>(col), static_cast<lxw_col_t>(col), width, nullptr);
        }
    }

    // Widths from the table only (the title and facts in column A may run over).
    bool measuring = false;

  private:
    void Measure(size_t col, const std::string& text) {
        if (!measuring) return;
        if (widths_.size() <= col) widths_.resize(col + 1, 0);
        widths_[col] = std::max(widths_[col], DisplayWidth(text));
    }

    lxw_worksheet* sheet_;
    const Formats& f_;
    std::vector<size_t> widths_;
    std::string protected_;
};

}  // namespace

Result<void> WriteDocumentXlsx(const Document& doc, const std::string& path) {
    auto fd = internal::CreateTemporaryFor(path);
    if (!fd) return std::unexpected(fd.error());
    ::close(*fd);
    const std::string tmp = path + ".tmp";
    struct Cleanup {
        std::string file;
        bool keep = false;
        ~Cleanup() {
            if (!keep) std::remove(file.c_str());
        }
    } cleanup{tmp};

    Book book(path, tmp);
    if (!book.ok())
        return std::unexpected(Error{.code = "file.create",
                                     .field = path,
                                     .message_zh = "无法创建工作簿",
                                     .message_en = "cannot create the workbook"});
    std::set<std::string> used;
    std::vector<DocSection> fallback;
    const std::vector<DocSection>* sections = &doc.sections;
    if (sections->empty()) {
        // A workbook needs a sheet: a document without sections still shows its title and facts.
        fallback.push_back(DocSection{.id = "document", .title_zh = doc.title_zh.empty() ? "报告" : doc.title_zh});
        sections = &fallback;
    }
    for (const DocSection& section : *sections) {
        const std::string name = SheetName(section.title_zh, used);
        lxw_worksheet* sheet = workbook_add_worksheet(book.get(), name.c_str());
        if (sheet == nullptr) return WriteError(path, "sheet " + name);
        SheetWriter w(sheet, book.formats());
        lxw_row_t row = 0;
        lxw_error err = LXW_NO_ERROR;
        auto check = [&](lxw_error e) {
            if (err == LXW_NO_ERROR) err = e;
        };
        check(w.Text(row++, 0, doc.title_zh, true));
        if (!doc.title_en.empty()) check(w.Text(row++, 0, doc.title_en, false));
        check(w.Text(row, 0, section.title_zh, true));
        check(w.Text(row++, 1, section.title_en, false));
        for (const DocFact& fact : doc.facts) {
            check(w.Text(row, 0, fact.label_zh, false));
            check(w.Text(row++, 1, fact.value, false));
        }
        std::string note_zh = section.note_zh, note_en = section.note_en;
        if (section.rows.empty() && note_zh.empty()) {
            note_zh = "本期无数据";
            note_en = "no data for this period";
        }
        if (!note_zh.empty() || !note_en.empty()) {
            check(w.Text(row, 0, note_zh, false));
            check(w.Text(row++, 1, note_en, false));
        }
        ++row;  // a blank row before the table
        if (!section.columns.empty()) {
            w.measuring = true;
            for (size_t c = 0; c < section.columns.size(); ++c) check(w.Text(row, c, section.columns[c].title_zh, true));
            worksheet_freeze_panes(sheet, row + 1, 0);
            ++row;
            for (const DocRow& r : section.rows) {
                for (size_t c = 0; c < r.cells.size() && c < section.columns.size(); ++c)
                    check(w.Cell(row, c, r.cells[c], section.columns[c].type, r.total, book.decimals));
                ++row;
            }
        }
        if (err != LXW_NO_ERROR) return WriteError(path, lxw_strerror(err));
        w.Widths();
    }
    const lxw_error closed = workbook_close(book.release());
    if (closed != LXW_NO_ERROR) return WriteError(path, lxw_strerror(closed));
    if (book.decimals && !ShortenAllSheets(tmp)) return WriteError(path, "numbers");
    const int f = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    const bool synced = f >= 0 && ::fsync(f) == 0;
    if (f >= 0) ::close(f);
    if (!synced || std::rename(tmp.c_str(), path.c_str()) != 0) return WriteError(path, std::strerror(errno));
    cleanup.keep = true;
    return {};
}

}  // namespace jz::io

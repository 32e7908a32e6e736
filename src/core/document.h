// A printed document as plain values: a title, key facts, and sections of typed tables with an
// optional chart. The periodic reports (周专报、月报告、季小结、年总结), the village register (村有册)
// and the township book (乡有簿) are built as a Document by the services; io renders one Document
// as .xlsx (one sheet per section) and as PDF, the API returns it as JSON (service DocumentJson) and
// the workbench shows it. Numbers are exact integers (money in fen, shares in hundredths of a
// percent), never floating point. Pure values, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/date.h"

namespace jz {

// How a column's cells are typed and shown.
enum class DocCellType {
    kText,     // a string ("拉木乡", a household code: identifiers stay text)
    kInteger,  // a count or a year (int64)
    kFen,      // money in fen (int64), shown in yuan with two decimals ("1234.50")
    kPercent,  // hundredths of a percent (int64: 9150 is 91.50%)
    kDate,     // a string "YYYY-MM-DD"
};
std::string_view DocCellTypeName(DocCellType type);  // text / integer / fen / percent / date
std::optional<DocCellType> ParseDocCellType(std::string_view name);

struct DocColumn {
    std::string id;  // stable within its section ("exited_persons"): compare and JSON key on it
    std::string title_zh;
    std::string title_en;
    DocCellType type = DocCellType::kText;
    bool operator==(const DocColumn&) const = default;
};

// An empty cell, text (kText, kDate), or a number (kInteger, kFen, kPercent).
using DocValue = std::variant<std::monostate, std::string, int64_t>;

struct DocRow {
    std::vector<DocValue> cells;  // one per column, in column order
    bool total = false;           // a total or subtotal row (printed bold)
    bool operator==(const DocRow&) const = default;
};

// A chart drawn from the section's own rows: one category per row (the label column), one series
// per value column. Total rows are left out of a chart.
struct DocChart {
    enum class Kind { kBar, kLine };
    Kind kind = Kind::kBar;
    int label_column = 0;
    std::vector<int> value_columns;
    bool operator==(const DocChart&) const = default;
};
std::string_view DocChartKindName(DocChart::Kind kind);  // bar / line

struct DocSection {
    std::string id;  // stable ("task", "exits", "funds_by_source"); the .xlsx sheet is named title_zh
    std::string title_zh;
    std::string title_en;
    std::vector<DocColumn> columns;
    std::vector<DocRow> rows;
    std::optional<DocChart> chart;
    // Shown under the title: e.g. that a part of the system has no data yet for this period
    // ("资金台账本期无记录").
    std::string note_zh;
    std::string note_en;
    bool operator==(const DocSection&) const = default;
};

// A key fact shown under the document's title (单位, 期间, 截至日期, ...).
struct DocFact {
    std::string label_zh;
    std::string label_en;
    std::string value;
    bool operator==(const DocFact&) const = default;
};

struct Document {
    std::string kind;  // weekly / monthly / quarterly / annual / village_register / township_book
    std::string title_zh;
    std::string title_en;
    std::string unit_code;  // org-unit code, or a battle id for a battle office's report
    std::string unit_name;
    std::string period;  // "2017-W27", "2017-07", "2017-Q3", "2017"; empty when none
    Date from;           // first day covered
    Date to;             // last day covered
    Date as_of;          // figures as they stood at the end of this day
    std::vector<DocFact> facts;
    std::vector<DocSection> sections;
    std::vector<std::string> signatures;  // labels of signature lines printed at the end (填报人, 审核人)
    bool operator==(const Document&) const = default;

    const DocSection* section(std::string_view id) const;
};

// "1234.50" from 123450 fen; "-0.05" from -5.
std::string FormatFen(int64_t fen);
// "91.50%" from 9150.
std::string FormatPercent(int64_t hundredths);
// A cell as printed (empty string for an empty cell).
std::string FormatDocValue(const DocValue& value, DocCellType type);
// Hundredths of a percent of part in whole, rounded half up; 0 when whole is 0.
int64_t PercentOf(int64_t part, int64_t whole);

}  // namespace jz

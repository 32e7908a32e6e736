// The ledger's exchange files (issue 14, 一户一本台账): the assistance-items layout (one row per
// item) and the income layout (one row per household and year), imported with the registry
// import's acceptance rules and exported in the same layouts (docs/import-format.md, "The
// assistance-items layout" and "The income layout").
//
// Reading goes through table.h (CSV in UTF-8 or GB18030, with or without BOM, or .xlsx; the
// limits of limits.h), rejected rows through error_file.h. Every row is checked on its own
// (core ValidateItem / ValidateIncome) and against the registry (the household exists, is not
// deregistered, lies in the importer's scope; an item's members are its members), and the whole
// import is one transaction. Re-importing a file changes nothing: an item is matched by its code,
// else by its natural key (NaturalKeyOf), an income record by household and year, and rows equal to
// what is stored are neither written nor logged.
//
// Contract: the functions are stateless; one import or export uses the Store passed in from one
// thread (store/store.h), inside its own transaction (imports) or outside any (exports).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/plan.h"
#include "io/importer.h"
#include "io/table.h"
#include "store/store.h"

namespace jz::io {

// One column of a ledger layout: its Chinese and English header (both accepted, English
// case-insensitive; "(元)" / "（元）" after a header may be left out), other accepted spellings, whether
// a file must have it, and how an .xlsx export stores it.
struct LedgerColumn {
    std::string_view zh;
    std::string_view en;  // the field name errors carry (the API's JSON name)
    bool required = false;
    CellKind kind = CellKind::kText;
    std::span<const std::string_view> aliases = {};
};

// In the layout's order (the order exports write).
std::span<const LedgerColumn> AssistanceColumns();
std::span<const LedgerColumn> IncomeColumns();

struct LedgerImportSummary {
    int64_t import_id = 0;
    std::string layout;  // "assistance" or "income"
    std::string encoding;
    struct {
        int64_t read = 0, inserted = 0, updated = 0, unchanged = 0, rejected = 0;
    } rows;
    // The first ImportSummary::kMaxListedIssues of each; the error file has every rejected row.
    std::vector<Error> warnings;
    std::vector<Error> errors;
    int64_t warnings_omitted = 0;
    int64_t errors_omitted = 0;
    std::string errors_file;  // written when some row was rejected, else empty

    // {"import_id", "layout", "encoding", "rows": {...}, "warnings": [...], "errors": [...],
    // "errors_file"} as the CLI prints it and the import record keeps it.
    std::string ToJson() const;
};

// Imports assistance items. Errors (the file is unusable, nothing imported) as ImportRegistry's:
// file.open, the csv/xlsx format errors, import.missing_columns, import.duplicate_column,
// import.empty, the limits' errors, import.timeout, import.cancelled. Rejected rows (reasons per
// field, each with the row): the cell errors (<field>.format, <field>.unknown, <field>.numeric_cell,
// import.cell_too_long), ValidateItem's and ValidateItemMembers' problems, household.not_found
// (absent, or outside `options.scope`), household.deregistered (its items are read-only: a row equal
// to the stored item is unchanged, any other is refused), assistance.deleted (the code names a
// deleted item), item_code.other_household (the code belongs to another household's item),
// import.duplicate_row (the same item twice in the file: every such row is refused).
Result<LedgerImportSummary> ImportAssistance(Store& store, const Plan& plan, const ImportOptions& options);

// Imports income records (one per household and year). persons empty: the household's members now.
// 人均纯收入 is accepted only without parts, or equal to the per-head figure computed from them
// (income.per_head_mismatch naming net_income_per_head otherwise; when equal it is not stored, it
// is computed). Other rejections as ImportAssistance's, with ValidateIncome's problems.
Result<LedgerImportSummary> ImportIncome(Store& store, const Plan& plan, const ImportOptions& options);

enum class LedgerFormat {
    kCsv,       // UTF-8 with BOM (as the registry export)
    kCsvNoBom,  // UTF-8 without BOM
    kGb18030,   // CSV in GB18030 (Chinese Excel's own)
    kXlsx,      // amounts as number cells (0.00), dates as date cells, years and persons as integers
};
// "csv", "csv-nobom", "gb18030", "xlsx"; empty: from the path's extension (.xlsx, else csv).
Result<LedgerFormat> LedgerFormatOf(std::string_view name, std::string_view path);

struct AssistanceExportOptions {
    std::string path;
    LedgerFormat format = LedgerFormat::kCsv;
    std::string division_prefix;  // items of households under this org unit; empty: all
    std::optional<int> measure;
    std::optional<Date> from;  // items active during [from, to] (AssistanceItem::ActiveDuring)
    std::optional<Date> to;
};

struct IncomeExportOptions {
    std::string path;
    LedgerFormat format = LedgerFormat::kCsv;
    std::string division_prefix;
    std::optional<int> year;
    std::optional<int> from_year;
    std::optional<int> to_year;
};

// Writes the items (deleted ones left out), ordered by item code; returns how many. Atomic: a failed
// export leaves no file behind. Re-imported, the file changes nothing.
Result<int64_t> ExportAssistance(Store& store, const Plan& plan, const AssistanceExportOptions& options);
// Writes the income records ordered by household and year, 人均纯收入 computed; returns how many.
Result<int64_t> ExportIncome(Store& store, const IncomeExportOptions& options);

}  // namespace jz::io

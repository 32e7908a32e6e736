// Export of the registry in the exchange layout, deterministically ordered (division code, then
// household code; head first, then members in their stored order), so export → import into an empty
// database → export gives the same bytes.
#pragma once

#include <functional>
#include <string>

#include "core/layout.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "io/table.h"
#include "store/store.h"

namespace jz::io {

enum class ExportFormat { kCsv, kXlsx };

struct ExportOptions {
    std::string path;
    ExportFormat format = ExportFormat::kCsv;
    std::string division_prefix;  // only households under this org unit; empty: all
    bool mask_personal = false;   // a viewer's export: ID numbers to the address code, birth dates to the year, phones masked
    // Only the households this accepts (in addition to the division); empty: all.
    std::function<bool(const Household&)> include;
    // .xlsx only: when given, the township's and the village's names stand in two columns beside
    // 行政区划代码 (kTownshipNameHeader, kVillageNameHeader; the importer ignores them).
    const OrgTree* tree = nullptr;
};

// The columns an .xlsx export adds for people to read; an import ignores them without a warning.
inline constexpr std::string_view kTownshipNameHeader = "乡镇名称";
inline constexpr std::string_view kVillageNameHeader = "村名称";

// How an .xlsx export stores each column of the layout: identifiers and codes as text, years and
// months as integers, yuan and m² as decimals, the birth date as a date.
CellKind XlsxKindOf(jz::Column column);

// An empty file in the import layout for an office to fill in: the header row (the layout's Chinese
// headers, in order) and nothing else (imported unchanged: import.empty, no data rows). An .xlsx template
// has the header bold, frozen and filtered, and its text columns formatted as text (an ID number
// typed there keeps its 18 digits).
Result<void> WriteImportTemplate(const std::string& path, ExportFormat format);

struct ExportSummary {
    int64_t households = 0;
    int64_t persons = 0;
};

// Writes the file (atomically: a failed export leaves no file behind).
Result<ExportSummary> ExportRegistry(Store& store, const Plan& plan, const ExportOptions& options);

}  // namespace jz::io

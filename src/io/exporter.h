// Export of the registry in the exchange layout, deterministically ordered (division code, then
// household code; head first, then members in their stored order), so export → import into an empty
// database → export gives the same bytes.
#pragma once

#include <functional>
#include <string>

#include "core/plan.h"
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
};

struct ExportSummary {
    int64_t households = 0;
    int64_t persons = 0;
};

// Writes the file (atomically: a failed export leaves no file behind).
Result<ExportSummary> ExportRegistry(Store& store, const Plan& plan, const ExportOptions& options);

}  // namespace jz::io

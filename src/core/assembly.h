// Acceptance of the exchange layout (import-format.md), by household: the rows of one household are
// checked cell by cell and against each other, and either become one Household or are rejected
// with every reason. Used by the importer and, for single households, by the API.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/household.h"
#include "core/layout.h"
#include "core/org_unit.h"
#include "core/plan.h"

namespace jz {

// One row of the file, its cells placed by column (empty where the file has no such column).
struct RawRow {
    int64_t row_number = 0;  // as the user sees it (header is row 1)
    LayoutRow cells;
    uint64_t numeric_mask = 0;  // bit i set: cell of Column i was a numeric .xlsx cell

    bool numeric(Column c) const { return (numeric_mask >> static_cast<int>(c)) & 1U; }
};

// Each error and warning is a jz::Error with `row` and `household_code` set; its field is the
// English column name (id_number), or "household" for whole-household reasons.
struct Assembly {
    std::optional<Household> household;  // set when accepted
    std::vector<Error> errors;           // non-empty when rejected
    std::vector<Error> warnings;         // accepted with a remark (15-digit ID upgraded, ...)
};

struct AssemblyContext {
    const Plan& plan;
    const OrgTree& tree;
    // The workbook counts date serials from 1904-01-01 (Excel for Mac, LibreOffice's option; the
    // workbook's <workbookPr date1904="1"/>), not from Excel's 1900-01-01.
    bool date1904 = false;
};

// 一人多户: why a member whose ID number is already registered in another household is refused
// (Chinese, English). The importer and the API both say it.
std::pair<std::string, std::string> InOtherHouseholdReason(const std::string& id_number,
                                                           const std::string& other_household_code);

// Checks the rows of one household (all rows share one household_code) and builds it. Members come
// head first, then in row order. Never throws on user input.
Assembly AssembleHousehold(std::span<const RawRow> rows, const AssemblyContext& context);

// The household as rows of the layout, one per member, household fields repeated on each row,
// values printed as the code tables' Chinese names and the plan's measure names.
void FormatHousehold(const Household& household, const Plan& plan, std::vector<LayoutRow>& out);

}  // namespace jz

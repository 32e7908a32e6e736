// The demo county's funds (issue 16): one project per fund reference the generated assistance items
// carry ("FP<year>-<measure 2 digits>"), applied and taken through the library's steps with their
// notices, an allocation of special poverty funds per year received, budgeted to its projects and
// paid out within each project's stage cap. Called by `jingzhun demo` after the ledger is written.
#pragma once

#include <cstdint>

#include "cli/app.h"
#include "core/date.h"
#include "store/store.h"

namespace jz::cli {

struct FundsCounts {
    int64_t projects = 0;
    int64_t allocations = 0;
    int64_t entries = 0;
};

// Projects of the year of `as_of` are left started (paid 40%), earlier ones closed (paid in full).
Result<FundsCounts> WriteDemoFunds(Session& session, const Date& as_of, const ChangeContext& change);

}  // namespace jz::cli

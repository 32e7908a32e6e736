// The demo county's ledger (一户一本台账): the generator's items, income and cover for the
// households of the database, written through the Store in one transaction (each row in the change
// log as the Store writes it). Called by `jingzhun demo` after the registry is imported.
#pragma once

#include <cstdint>

#include "cli/app.h"
#include "core/date.h"
#include "store/store.h"

namespace jz::cli {

struct LedgerCounts {
    int64_t items = 0;
    int64_t unsigned_items = 0;
    int64_t income = 0;
    int64_t coverage = 0;
};

// The ledger of every household of the session's registry as of `as_of` (LedgerMaker with the
// whole registry prepared, so the plan's counts are exact), written in one transaction.
Result<LedgerCounts> WriteDemoLedger(Session& session, const Date& as_of, uint64_t seed, const ChangeContext& change);

}  // namespace jz::cli

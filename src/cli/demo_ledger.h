// The demo county's ledger (一户一本台账): the generator's items, income and cover for the
// households of the database, written through the Store in one transaction (each row in the change
// log as the Store writes it). Called by `jingzhun demo` after the registry is imported; and
// `jingzhun generate --ledger`, which writes a generated registry's ledger in the exchange layouts.
#pragma once

#include <cstdint>
#include <string>

#include "cli/app.h"
#include "core/date.h"
#include "generator/generator.h"
#include "io/assistance_exchange.h"
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

// The ledger of the registry `options` generates (the same households as `generate` writes), as
// of options.as_of with the same seed, in the exchange layouts: the items to `items_path` and the
// income to `income_path` (io::ExportAssistance / ExportIncome, through a temporary database beside
// `items_path` that is removed afterwards). Match mode prepares the whole registry (the plan's
// exact counts); spread mode streams it. The cover has no exchange layout and is not written.
Result<LedgerCounts> WriteGeneratedLedger(const LoadedPlan& loaded, const GeneratorOptions& options,
                                          const std::string& items_path, const std::string& income_path,
                                          io::LedgerFormat format);

}  // namespace jz::cli

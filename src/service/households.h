// Household edits as one operation each, in its own transaction and logged in the change log: a
// household created or replaced after it was accepted by the importer's rules
// (household_input.h). The API's POST and PUT /api/households call these; imports write through
// the importer (io/importer.h), dynamic management through dynamic.h.
//
// Stateless functions over the Store passed in (one Store per thread: store/store.h).
#pragma once

#include <cstdint>

#include "core/household.h"
#include "store/store.h"

namespace jz::service {

// Adds the household. Error "household.exists" (field household_code) when the code is taken.
Result<void> CreateHousehold(Store& store, const Household& household, const ChangeContext& change);

// Replaces `before` (as read, with its version) by `after`; returns the version now stored —
// before's own when nothing changed (nothing is written then). Error "store.conflict" when someone
// changed the household since `before` was read.
Result<int64_t> UpdateHousehold(Store& store, const HouseholdRecord& before, const Household& after,
                                const ChangeContext& change);

}  // namespace jz::service

// Household edits (households.h).
#include "service/households.h"

namespace jz::service {

Result<void> CreateHousehold(Store& store, const Household& household, const ChangeContext& change) {
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto id = store.InsertHousehold(household, change);
    if (!id) {
        if (id.error().code == "store.duplicate")
            return Fail("household.exists", "household_code", "户编号已存在: " + household.household_code,
                        "a household with this code exists: " + household.household_code);
        return std::unexpected(id.error());
    }
    return tx->Commit();
}

Result<int64_t> UpdateHousehold(Store& store, const HouseholdRecord& before, const Household& after,
                                const ChangeContext& change) {
    if (after == before.household) return before.version;
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    if (auto r = store.UpdateHousehold(before, after, change); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return before.version + 1;
}

}  // namespace jz::service

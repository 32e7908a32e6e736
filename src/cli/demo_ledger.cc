#include "cli/demo_ledger.h"

#include <string>
#include <unordered_map>
#include <vector>

#include "generator/generator.h"

namespace jz::cli {

Result<LedgerCounts> WriteDemoLedger(Session& session, const Date& as_of, uint64_t seed,
                                     const ChangeContext& change) {
    Store& store = *session.store;
    std::vector<Household> households;
    if (auto r = store.ScanHouseholds(HouseholdFilter{}, [&](const Household& h) {
            households.push_back(h);
            return true;
        });
        !r)
        return std::unexpected(r.error());
    const Ledger ledger = GenerateLedger(session.plan, households, LedgerOptions{.seed = seed, .as_of = as_of});
    std::unordered_map<std::string, std::string> village;
    for (const Household& h : households) village[h.household_code] = h.division_code;

    LedgerCounts counts;
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    for (const AssistanceItem& item : ledger.items) {
        AssistanceRecord record{.version = 1, .division_code = village.at(item.household_code), .item = item};
        if (auto r = store.InsertAssistance(record, change); !r) return std::unexpected(r.error());
        ++counts.items;
        if (!item.signed_off()) ++counts.unsigned_items;
    }
    for (const IncomeRecord& income : ledger.income) {
        if (auto r = store.PutIncome(income, village.at(income.household_code), 0, change); !r)
            return std::unexpected(r.error());
        ++counts.income;
    }
    for (const PersonCoverage& cover : ledger.coverage) {
        if (auto r = store.PutCoverage(cover, village.at(cover.household_code), change); !r)
            return std::unexpected(r.error());
        ++counts.coverage;
    }
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return counts;
}

}  // namespace jz::cli

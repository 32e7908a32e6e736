// The demo county's asset-income shares (cli/demo_shares.h).
#include "cli/demo_shares.h"

#include <algorithm>
#include <map>
#include <vector>

#include "core/codes.h"
#include "service/shares.h"

namespace jz::cli {

Result<int64_t> WriteDemoShares(Session& session, const Date& as_of, const ChangeContext& change) {
    // Poor households per village.
    std::map<std::string, int64_t> poor;
    HouseholdFilter filter;
    filter.facts_only = true;
    filter.any_order = true;
    auto scanned = session.store->ScanHouseholds(filter, [&](const Household& h) {
        if (ShareStatusOfRegistry(h.status) == ShareStatus::kPoor) ++poor[h.division_code];
        return true;
    });
    if (!scanned) return std::unexpected(scanned.error());
    std::vector<std::pair<std::string, int64_t>> villages(poor.begin(), poor.end());
    std::ranges::sort(villages, [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    struct Made {
        AssetKind kind;
        Fen value;
        int64_t shares;
        const char* owner;
        AssetOwner owner_kind;
    };
    const Made made[] = {{AssetKind::kPhotovoltaic, 120'000'000, 1200, "村集体", AssetOwner::kVillageCollective},
                         {AssetKind::kGreenhouse, 36'000'000, 360, "种植合作社", AssetOwner::kCooperative},
                         {AssetKind::kBreedingStation, 48'000'000, 480, "养殖合作社", AssetOwner::kCooperative}};
    int64_t added = 0;
    for (size_t i = 0; i < std::size(made) && i < villages.size(); ++i) {
        Asset a = AssetWithPlanDefaults(Asset{}, session.plan.shares);
        a.id = "A-" + std::to_string(as_of.year) + "-" + std::to_string(i + 1);
        a.project_id = "FP" + std::to_string(as_of.year) + "-01";
        a.kind = made[i].kind;
        a.value = made[i].value;
        a.owner = made[i].owner_kind;
        a.owner_name = made[i].owner;
        a.division_code = villages[i].first;
        a.total_shares = made[i].shares;
        if (i == 0) a.cap_per_share = 150'00;  // 150 yuan a share a year
        auto held = service::AddAsset(*session.store, session.plan, a, as_of.year, as_of, change);
        if (!held) return std::unexpected(held.error());
        ++added;
    }
    return added;
}

}  // namespace jz::cli

// Properties of asset-income shares (issue 16's acceptance):
// - Any sequence of exits, fallbacks (exited → poor again), new identifications, deaths and
//   deregistrations, with reallocations at each year's adjustment (and at once on a death or a
//   deregistration), keeps each asset's total shares constant and leaves no share with a household
//   that is not poor (or not of the asset's village); the village collective holds shares only
//   while its village has no poor household.
// - Quantification gives exactly the total; dividends add up exactly to the distributed amount,
//   the income's parts to the income, never below the floor, never above the cap per share (unless
//   the floor itself is above it).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/shares.h"

namespace jz {
namespace {

const std::vector<std::string>& Villages() {
    static const std::vector<std::string> v{"540425100201", "540425100202", "540425101203"};
    return v;
}

struct Model {
    std::map<std::string, ShareHousehold> households;
    int next = 0;

    void Add(bool is_new) {
        ShareHousehold h;
        h.household_code = "H" + std::to_string(1000 + next++);
        h.division_code = Villages()[*rc::gen::inRange<size_t>(0, Villages().size())];
        h.persons = *rc::gen::inRange(1, 8);
        h.has_labour = *rc::gen::arbitrary<bool>();
        h.newly_identified = is_new;
        households[h.household_code] = h;
    }
    ShareFacts Facts(bool drop_gone) const {
        std::vector<ShareHousehold> v;
        for (const auto& [code, h] : households) {
            // A deregistered household may be gone from the registry altogether.
            if (drop_gone && h.status == ShareStatus::kDeregistered) continue;
            v.push_back(h);
        }
        return ShareFacts(std::move(v));
    }
};

void CheckInvariant(const Asset& asset, const Holdings& holdings, const Model& m) {
    int64_t sum = 0;
    bool village_has_poor = false;
    for (const auto& [code, h] : m.households)
        if (h.status == ShareStatus::kPoor && h.division_code == asset.division_code) village_has_poor = true;
    for (const auto& [holder, shares] : holdings) {
        RC_ASSERT(shares > 0);
        sum += shares;
        if (IsVillageHolder(holder)) {
            RC_ASSERT(holder == VillageHolder(asset.division_code));
            RC_ASSERT(!village_has_poor);
            continue;
        }
        auto it = m.households.find(holder);
        RC_ASSERT(it != m.households.end());
        RC_ASSERT(it->second.status == ShareStatus::kPoor);
        RC_ASSERT(it->second.division_code == asset.division_code);
    }
    RC_ASSERT(sum == asset.total_shares);
}

RC_GTEST_PROP(SharesProperty, TotalsConstantAndOnlyPoorHoldThroughAnyHistory, ()) {
    Model m;
    const int initial = *rc::gen::inRange(0, 25);
    for (int i = 0; i < initial; ++i) m.Add(false);
    const ShareBasis basis = *rc::gen::element(ShareBasis::kHousehold, ShareBasis::kPerson);
    const ReallocationMode mode = *rc::gen::element(ReallocationMode::kNewFirst, ReallocationMode::kEven);

    std::vector<Asset> assets;
    std::vector<Holdings> holdings;
    const int n_assets = *rc::gen::inRange(1, 5);
    {
        const ShareFacts facts = m.Facts(false);
        for (int i = 0; i < n_assets; ++i) {
            Asset a;
            a.id = "A" + std::to_string(i);
            a.kind = AssetKind::kPhotovoltaic;
            a.value = *rc::gen::inRange<Fen>(0, 100'000'000);
            a.owner_name = "村集体";
            a.division_code = Villages()[*rc::gen::inRange<size_t>(0, Villages().size())];
            a.total_shares = *rc::gen::inRange<int64_t>(1, 500);
            auto q = Quantify(a, facts, basis);
            RC_ASSERT(q.has_value());
            CheckInvariant(a, *q, m);
            assets.push_back(a);
            holdings.push_back(*q);
        }
    }
    auto reallocate_all = [&](int year, bool drop_gone) {
        const ShareFacts facts = m.Facts(drop_gone);
        for (size_t i = 0; i < assets.size(); ++i) {
            auto r = Reallocate(assets[i], holdings[i], facts, year, mode);
            RC_ASSERT(r.has_value());
            int64_t moved = 0;
            for (const ShareMove& mv : r->moves) {
                RC_ASSERT(mv.shares > 0);
                RC_ASSERT(mv.from != mv.to);
                moved += mv.shares;
            }
            RC_ASSERT(moved <= assets[i].total_shares);
            holdings[i] = std::move(r->holdings);
            CheckInvariant(assets[i], holdings[i], m);
        }
    };

    const int years = *rc::gen::inRange(1, 6);
    for (int year = 2017; year < 2017 + years; ++year) {
        for (auto& [code, h] : m.households) h.newly_identified = false;
        const int events = *rc::gen::inRange(0, 20);
        for (int e = 0; e < events; ++e) {
            const int what = *rc::gen::inRange(0, 5);
            if (what == 0) {
                m.Add(true);
                continue;
            }
            if (m.households.empty()) continue;
            auto it = m.households.begin();
            std::advance(it, *rc::gen::inRange<size_t>(0, m.households.size()));
            ShareHousehold& h = it->second;
            if (what == 1 && h.status == ShareStatus::kPoor) h.status = ShareStatus::kExited;
            if (what == 2 && h.status == ShareStatus::kExited) h.status = ShareStatus::kPoor;  // fallback
            if ((what == 3 || what == 4) &&
                (h.status == ShareStatus::kPoor || h.status == ShareStatus::kExited)) {
                h.status = what == 3 ? ShareStatus::kDied : ShareStatus::kDeregistered;
                // Death and deregistration move the shares at once.
                if (*rc::gen::arbitrary<bool>()) reallocate_all(year, *rc::gen::arbitrary<bool>());
            }
        }
        reallocate_all(year, *rc::gen::arbitrary<bool>());  // the year's adjustment
    }
}

RC_GTEST_PROP(SharesProperty, QuantifyGivesExactlyTheTotalToPoorOfTheVillage, ()) {
    Model m;
    const int n = *rc::gen::inRange(0, 40);
    for (int i = 0; i < n; ++i) m.Add(*rc::gen::arbitrary<bool>());
    for (auto& [code, h] : m.households)
        if (*rc::gen::inRange(0, 4) == 0) h.status = ShareStatus::kExited;
    Asset a;
    a.id = "A";
    a.owner_name = "合作社";
    a.division_code = Villages()[0];
    a.total_shares = *rc::gen::inRange<int64_t>(1, 1'000'000'000'000);
    const ShareFacts facts = m.Facts(false);
    const auto q = Quantify(a, facts, *rc::gen::element(ShareBasis::kHousehold, ShareBasis::kPerson));
    RC_ASSERT(q.has_value());
    CheckInvariant(a, *q, m);
}

RC_GTEST_PROP(SharesProperty, DividendsAddUpExactly, ()) {
    Asset a;
    a.id = "A";
    a.owner_name = "合作社";
    a.division_code = Villages()[0];
    a.value = *rc::gen::inRange<Fen>(0, 10'000'000'000);
    a.floor_rate_bp = *rc::gen::inRange(0, 10001);
    a.poor_permille = *rc::gen::inRange(0, 1001);
    a.village_permille = *rc::gen::inRange(0, 1001 - a.poor_permille);
    a.cooperative_permille = 1000 - a.poor_permille - a.village_permille;
    if (*rc::gen::arbitrary<bool>()) a.cap_per_share = *rc::gen::inRange<Fen>(1, 10'000'000);
    Holdings h;
    const int holders = *rc::gen::inRange(1, 30);
    for (int i = 0; i < holders; ++i) h["H" + std::to_string(i)] = *rc::gen::inRange<int64_t>(1, 1'000'000);
    if (*rc::gen::arbitrary<bool>()) h[VillageHolder(a.division_code)] = *rc::gen::inRange<int64_t>(1, 1000);
    a.total_shares = 0;
    for (const auto& [k, v] : h) a.total_shares += v;
    const Fen income = *rc::gen::inRange<Fen>(0, 100'000'000'000);

    const auto d = Dividends(a, 2019, income, h);
    RC_ASSERT(d.has_value());
    RC_ASSERT(d->poor_part + d->village_part - d->over_cap + d->cooperative_part == income);
    Fen sum = 0;
    for (const DividendLine& line : d->lines) {
        RC_ASSERT(line.fen >= 0);
        sum += line.fen;
        if (a.cap_per_share && d->distributed > d->floor)
            RC_ASSERT(line.fen <= *a.cap_per_share * line.shares);
    }
    RC_ASSERT(sum == d->distributed);
    RC_ASSERT(d->distributed >= d->floor);
    RC_ASSERT(d->distributed <= std::max(d->floor, d->poor_part));
    RC_ASSERT(d->operator_shortfall == std::max<Fen>(0, d->floor - d->poor_part));
    RC_ASSERT(d->distributed + d->over_cap == std::max(d->floor, d->poor_part));
}

}  // namespace
}  // namespace jz

// Property: for any households and items, the measures-delivered figures the one-pass builder
// gives (items fed grouped by household, households in any order, the scan split into parts and
// merged) equal the obvious recount (CountDelivered).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/assistance.h"
#include "core/codes.h"
#include "core/test_support.h"

namespace jz {
namespace {

using testing_support::Chayu;

// Villages of two townships of the county, and one outside it.
const std::vector<std::string>& Villages() {
    static const std::vector<std::string> v{"540425100001", "540425100201", "540425100202",
                                            "540425101200", "540425101201", "540424100201"};
    return v;
}

Date RandomDay(int from_year, int to_year) {
    return Date{*rc::gen::inRange(from_year, to_year + 1), *rc::gen::inRange(1, 13), *rc::gen::inRange(1, 29)};
}

struct World {
    std::vector<HouseholdFacts> households;
    std::map<std::string, std::vector<ItemFacts>> items;  // by household code
    std::vector<ItemFacts> all_items;
};

World RandomWorld() {
    World w;
    const int n = *rc::gen::inRange(0, 25);
    std::vector<int> categories;
    for (const CodeEntry& e : codes::AssistanceCategory().entries) categories.push_back(e.code);
    for (int i = 0; i < n; ++i) {
        const std::string code = "H" + std::to_string(i);
        const std::string village = Villages()[*rc::gen::inRange<size_t>(0, Villages().size())];
        const int persons = *rc::gen::inRange(1, 7);
        // Some households the items name have no facts (left the registry, or another scan's).
        std::vector<int> planned;
        if (*rc::gen::inRange(0, 8) != 0) {
            HouseholdFacts f;
            f.household_code = code;
            f.division_code = village;
            f.persons = persons;
            if (*rc::gen::inRange(0, 4) != 0) f.main_measure = *rc::gen::inRange(1, 12);
            const int aux = *rc::gen::inRange(0, 3);
            for (int a = 0; a < aux; ++a) f.aux_measures.push_back(*rc::gen::inRange(1, 11));
            if (f.main_measure) planned.push_back(*f.main_measure);
            planned.insert(planned.end(), f.aux_measures.begin(), f.aux_measures.end());
            w.households.push_back(std::move(f));
        }
        const int items = *rc::gen::inRange(0, 7);
        for (int k = 0; k < items; ++k) {
            ItemFacts f;
            f.household_code = code;
            // Mostly the household's village; now and then another (it moved between writes).
            f.division_code = *rc::gen::inRange(0, 6) == 0 ? Villages()[*rc::gen::inRange<size_t>(0, Villages().size())]
                                                           : village;
            // Mostly a measure the household is planned for; 0 and 11 are not the plan's.
            f.measure = !planned.empty() && *rc::gen::inRange(0, 3) != 0
                            ? planned[*rc::gen::inRange<size_t>(0, planned.size())]
                            : *rc::gen::inRange(0, 12);
            // Education items mostly with the education measure, the rest anywhere.
            f.category = categories[*rc::gen::inRange<size_t>(0, categories.size())];
            if (codes::IsEducationCategory(f.category) && *rc::gen::inRange(0, 3) != 0) f.measure = 5;
            f.kind = *rc::gen::inRange(1, 7);
            if (f.measure == 8 && *rc::gen::inRange(0, 2) == 0) f.kind = codes::kKindJobPost;
            f.start_date = RandomDay(2015, 2019);
            if (*rc::gen::inRange(0, 2) == 0) {
                const Date end = RandomDay(2015, 2020);
                if (end >= f.start_date) f.end_date = end;
            }
            if (*rc::gen::inRange(0, 4) != 0) {
                const Date signed_on = RandomDay(2015, 2020);
                f.signed_on = signed_on >= f.start_date ? signed_on : f.start_date;
            }
            const int members = *rc::gen::inRange(0, 4);
            for (int m = 0; m < members; ++m) f.member_keys.push_back(static_cast<uint64_t>(*rc::gen::inRange(1, 9)));
            std::ranges::sort(f.member_keys);
            f.member_keys.erase(std::unique(f.member_keys.begin(), f.member_keys.end()), f.member_keys.end());
            f.household_persons = persons;
            f.amount = *rc::gen::inRange<int64_t>(0, 1'000'000);
            w.items[code].push_back(f);
            w.all_items.push_back(f);
        }
    }
    // The recount sees the items in any order.
    std::shuffle(w.all_items.begin(), w.all_items.end(), std::mt19937(*rc::gen::arbitrary<uint32_t>()));
    return w;
}

std::string RandomUnit() {
    switch (*rc::gen::inRange(0, 4)) {
        case 0:
        case 1:
            return "540425";
        case 2:
            return *rc::gen::element(std::string("540425100"), std::string("540425101"));
        default:
            return *rc::gen::element(std::string("540425100201"), std::string("540425101200"));
    }
}

RC_GTEST_PROP(DeliveredProperty, TheBuilderEqualsTheRecountWhateverTheOrderAndSplit, ()) {
    const auto& county = Chayu();
    const World w = RandomWorld();
    const std::string unit = RandomUnit();
    Date from = RandomDay(2015, 2019), to = RandomDay(2015, 2020);
    if (to < from) std::swap(from, to);
    const MeasuresDelivered expected =
        CountDelivered(county.plan, county.tree, unit, from, to, w.households, w.all_items);

    std::mt19937 rng(*rc::gen::arbitrary<uint32_t>());
    std::vector<std::string> order;
    for (const auto& [code, items] : w.items) order.push_back(code);
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<HouseholdFacts> households = w.households;
    std::shuffle(households.begin(), households.end(), rng);

    // One builder: households first or items first or interleaved; each household's items together.
    {
        DeliveredBuilder b(county.plan, county.tree, unit, from, to);
        const int mode = *rc::gen::inRange(0, 3);
        if (mode == 0)
            for (const auto& h : households) b.AddHousehold(h);
        for (size_t i = 0; i < order.size(); ++i) {
            std::vector<ItemFacts> items = w.items.at(order[i]);
            std::shuffle(items.begin(), items.end(), rng);
            for (const ItemFacts& f : items) b.AddItem(f);
            if (mode == 2 && i < households.size()) b.AddHousehold(households[i]);
        }
        if (mode == 1)
            for (const auto& h : households) b.AddHousehold(h);
        if (mode == 2)
            for (size_t i = order.size(); i < households.size(); ++i) b.AddHousehold(households[i]);
        RC_ASSERT(b.Finish() == expected);
    }

    // Split into parts (a parallel scan by household), merged in any order. A household's facts and
    // its items may land in different parts.
    {
        const int parts = *rc::gen::inRange(1, 5);
        std::vector<DeliveredBuilder> builders;
        for (int p = 0; p < parts; ++p) builders.emplace_back(county.plan, county.tree, unit, from, to);
        const bool together = *rc::gen::inRange(0, 2) == 0;
        std::map<std::string, int> part_of;
        for (const auto& code : order) part_of[code] = *rc::gen::inRange(0, parts);
        for (const auto& h : households) {
            auto it = part_of.find(h.household_code);
            const int p = together && it != part_of.end() ? it->second : *rc::gen::inRange(0, parts);
            builders[static_cast<size_t>(p)].AddHousehold(h);
        }
        for (const auto& code : order)
            for (const ItemFacts& f : w.items.at(code)) builders[static_cast<size_t>(part_of[code])].AddItem(f);
        std::vector<size_t> merge_order(builders.size());
        for (size_t i = 0; i < merge_order.size(); ++i) merge_order[i] = i;
        std::shuffle(merge_order.begin(), merge_order.end(), rng);
        DeliveredBuilder& into = builders[merge_order[0]];
        for (size_t i = 1; i < merge_order.size(); ++i) into.Merge(std::move(builders[merge_order[i]]));
        RC_ASSERT(into.Finish() == expected);
    }
}

// The recount's own invariants: reached ≤ items' households, of which planned ≤ both, stages and
// posts within beneficiaries' reach, the child units adding up to the unit when every item's
// division is its household's.
RC_GTEST_PROP(DeliveredProperty, FiguresAreConsistent, ()) {
    const auto& county = Chayu();
    const World w = RandomWorld();
    const Date from{2016, 1, 1}, to{2018, 12, 31};
    const MeasuresDelivered d = CountDelivered(county.plan, county.tree, "540425", from, to, w.households, w.all_items);
    RC_ASSERT(d.measures.size() == county.plan.measures.size());
    for (const MeasureDelivered& m : d.measures) {
        RC_ASSERT(m.reached_planned <= m.reached_households);
        RC_ASSERT(m.reached_planned <= m.planned_households);
        RC_ASSERT(m.planned_main <= m.planned_households);
        RC_ASSERT(m.unsigned_items <= m.items);
        RC_ASSERT(m.reached_households <= m.items - m.unsigned_items);
        for (const StageDelivered& s : m.stages) RC_ASSERT(s.persons <= m.beneficiaries);
        int64_t planned = 0;
        for (const TownshipDelivered& t : d.townships) planned += t.measures.at(m.number).planned_households;
        RC_ASSERT(planned == m.planned_households);
    }
}

}  // namespace
}  // namespace jz

// Match mode's setup: the plan's households and persons dealt to townships, years and villages;
// each targeted measure's households; the members its person targets reach; who has exited.
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "generator/generator_impl.h"

namespace jz::generator_detail {

Result<bool> GeneratorImpl::SetUpMatch(const Plan& plan, const OrgTree& tree, std::vector<Village> villages) {
    match_ = true;
    const int64_t households = plan.target_households;
    const int64_t persons = plan.target_persons;
    if (households < 1 || persons < households || persons > households * kMaxSize)
        return Fail("generator.plan", "target_households", "计划户数与人数无法匹配(每户1至10人)",
                    "the plan's households and persons cannot be matched (1 to 10 persons a household)");

    struct Cell {
        int township;
        int year;
        int persons;
    };
    std::vector<Cell> cells;
    std::vector<const PlanTownship*> townships;
    for (const PlanTownship& t : plan.townships) townships.push_back(&t);
    std::ranges::sort(townships, {}, &PlanTownship::code);
    int64_t sum = 0;
    for (size_t t = 0; t < townships.size(); ++t)
        for (auto [year, target] : townships[t]->exit_targets)
            if (target > 0) {
                cells.push_back({static_cast<int>(t), year, target});
                sum += target;
            }
    if (sum != persons)
        return Fail("generator.plan", "target_persons",
                    "各乡镇年度目标之和(" + std::to_string(sum) + ")与计划人数(" + std::to_string(persons) +
                        ")不一致",
                    "the townships' yearly targets add up to " + std::to_string(sum) + ", not the plan's " +
                        std::to_string(persons) + " persons");

    // Households per cell in proportion to its persons, then moved between cells until every cell
    // can hold its persons at 1..10 a household.
    std::vector<double> weights;
    for (const Cell& c : cells) weights.push_back(c.persons);
    std::vector<int> cell_households = Apportion(households, weights);
    auto low = [&](size_t i) { return (cells[i].persons + kMaxSize - 1) / kMaxSize; };
    for (bool moved = true; moved;) {
        moved = false;
        for (size_t i = 0; i < cells.size(); ++i) {
            const bool too_few = cell_households[i] < low(i);
            const bool too_many = cell_households[i] > cells[i].persons;
            if (!too_few && !too_many) continue;
            for (size_t j = 0; j < cells.size(); ++j) {
                if (j == i) continue;
                if (too_few && cell_households[j] > low(j)) {
                    --cell_households[j];
                    ++cell_households[i];
                    moved = true;
                    break;
                }
                if (too_many && cell_households[j] < cells[j].persons) {
                    ++cell_households[j];
                    --cell_households[i];
                    moved = true;
                    break;
                }
            }
        }
    }

    // Sizes per cell: an even split, then pairwise transfers of one person accepted with the
    // Metropolis rule for kSizeWeights, so the sizes follow a realistic spread while their sum
    // stays exactly the cell's persons.
    std::vector<std::vector<Spec>> by_township(townships.size());
    for (size_t c = 0; c < cells.size(); ++c) {
        const int n = cell_households[c];
        if (n == 0) continue;
        std::vector<int> sizes(n, cells[c].persons / n);
        for (int i = 0; i < cells[c].persons % n; ++i) ++sizes[i];
        for (int step = 0; step < 40 * n && n > 1; ++step) {
            const auto i = rng_.Below(n), j = rng_.Below(n);
            if (i == j || sizes[i] <= 1 || sizes[j] >= kMaxSize) continue;
            const double ratio = kSizeWeights[sizes[i] - 1] * kSizeWeights[sizes[j] + 1] /
                                 (kSizeWeights[sizes[i]] * kSizeWeights[sizes[j]]);
            if (ratio >= 1 || rng_.Chance(ratio)) {
                --sizes[i];
                ++sizes[j];
            }
        }
        for (int s : sizes) by_township[cells[c].township].push_back({-1, cells[c].year, s, 0});
    }

    // Villages: each township's households shuffled and dealt out to its villages, in shares of
    // random weight so villages differ in size.
    for (size_t t = 0; t < townships.size(); ++t) {
        std::vector<int> local;
        for (size_t v = 0; v < villages.size(); ++v)
            if (OrgTree::Within(villages[v].code, townships[t]->code) &&
                tree.Find(villages[v].code)->parent_code == townships[t]->code)
                local.push_back(static_cast<int>(v));
        if (local.empty())
            return Fail("generator.no_villages", townships[t]->code,
                        "乡镇 " + townships[t]->code + " 在计划年度没有可用的村",
                        "township " + townships[t]->code + " has no village valid in the plan's years");
        std::vector<Spec>& list = by_township[t];
        for (size_t i = list.size(); i > 1; --i) std::swap(list[i - 1], list[rng_.Below(i)]);
        std::vector<double> shares;
        for (size_t k = 0; k < local.size(); ++k) shares.push_back(rng_.Uniform(0.5, 1.5));
        const std::vector<int> counts = Apportion(static_cast<int64_t>(list.size()), shares);
        size_t next = 0;
        for (size_t k = 0; k < local.size(); ++k)
            for (int i = 0; i < counts[k]; ++i) list[next++].village = local[k];
    }
    villages_ = std::move(villages);
    for (auto& list : by_township) specs_.insert(specs_.end(), list.begin(), list.end());
    // Township lists are in township-code order and dealt in village-code order, so a stable sort
    // by village keeps each village's shuffled order while grouping the output by village code.
    std::ranges::stable_sort(specs_, [&](const Spec& a, const Spec& b) {
        return villages_[a.village].code < villages_[b.village].code;
    });
    village_counts_.assign(villages_.size(), 0);
    for (const Spec& s : specs_) ++village_counts_[s.village];

    // Targeted measures: exactly `target` households each, drawn at random; a measure that reaches
    // whole households also reaches exactly its persons, through the sizes of the households drawn.
    const int n = static_cast<int>(specs_.size());
    int64_t slots = 0;
    for (const MeasureInfo& m : measures_) {
        if (!m.targeted) continue;
        if (m.target > n)
            return Fail(
                "generator.plan", "measures." + std::to_string(m.number),
                "措施 " + std::to_string(m.number) + " 的目标户数超过计划户数",
                "measure " + std::to_string(m.number) + "'s household target exceeds the plan's households");
        std::optional<int64_t> reach;
        if (m.beneficiaries == Beneficiaries::kHousehold && m.target_persons) reach = *m.target_persons;
        for (int i : DrawHouseholds(m.target, reach)) specs_[i].measures |= Bit(m.number);
        slots += m.target;
    }
    // 社保兜底 without a household target goes with the 低保 and 五保 households. With a person
    // target, those households are chosen here, by size, so that their members add up to it;
    // without one, a household left without any other measure becomes 低保 when it is filled.
    floor_chosen_ = false;
    if (HasUntargeted(kMeasureSocialFloor)) {
        for (const MeasureInfo& m : measures_) {
            if (m.number != kMeasureSocialFloor || m.beneficiaries != Beneficiaries::kHousehold ||
                !m.target_persons || *m.target_persons <= 0)
                continue;
            const int64_t reach = std::min<int64_t>(*m.target_persons, persons);
            const int count = std::clamp(
                static_cast<int>(std::llround(static_cast<double>(reach) * static_cast<double>(n) / persons)),
                1, n);
            for (int i : DrawHouseholds(count, reach)) specs_[i].social_floor = true;
            floor_chosen_ = true;
        }
    } else if (slots < n) {
        return Fail("generator.plan", "measures", "措施目标户数之和不足以使每户都有帮扶措施",
                    "the measures' household targets are too few to give every household a measure");
    }
    if (floor_chosen_ || !HasUntargeted(kMeasureSocialFloor)) GiveEveryHouseholdAMeasure();

    // Members reached by the person-level measures, household by household. Able adults first:
    // a household's migrant workers are among them when it has both measures.
    SpreadReach(Beneficiaries::kAbleAdults, &Reach::able_adults);
    SpreadReach(Beneficiaries::kMigrantWorkers, &Reach::migrants);
    SpreadReach(Beneficiaries::kIll, &Reach::ill);
    PlanExits();

    // Households whose measures reach more than one member each are drawn first: a family that
    // cannot have as many passes the rest on to a household drawn after it.
    drawn_.resize(specs_.size());
    std::vector<size_t> draw_order;
    auto several = [](const Spec& s) {
        return s.reach.able_adults > 1 || s.reach.migrants > 1 || s.reach.ill > 1;
    };
    for (size_t i = 0; i < specs_.size(); ++i)
        if (several(specs_[i])) draw_order.push_back(i);
    for (size_t i = 0; i < specs_.size(); ++i)
        if (!several(specs_[i])) draw_order.push_back(i);
    Reach carried;
    for (size_t i : draw_order) DrawMatchedMembers(i, carried);
    MatchStudents();
    total_ = n;
    return true;
}

std::vector<int> GeneratorImpl::DrawHouseholds(int count, std::optional<int64_t> persons) {
    const int n = static_cast<int>(specs_.size());
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    for (int i = 0; i < count; ++i) std::swap(order[i], order[i + rng_.Below(n - i)]);
    if (!persons) {
        order.resize(count);
        return order;
    }
    // Then one drawn household at a time is swapped for one not drawn whose size differs by as
    // little as closes the gap (one person where possible, so the sizes drawn stay typical), until
    // the sizes add up to `persons` or no swap gets closer.
    std::array<std::vector<int>, kMaxSize + 1> in, out;
    int64_t sum = 0;
    for (int i = 0; i < n; ++i) {
        const int size = specs_[order[i]].size;
        (i < count ? in : out)[size].push_back(order[i]);
        if (i < count) sum += size;
    }
    auto take = [&](std::vector<int>& list) {
        const size_t k = rng_.Below(list.size());
        const int taken = list[k];
        list[k] = list.back();
        list.pop_back();
        return taken;
    };
    while (sum != *persons) {
        const int64_t gap = *persons - sum;
        const int sign = gap > 0 ? 1 : -1;
        const int max_step = static_cast<int>(std::min<int64_t>(gap * sign, kMaxSize - 1));
        bool moved = false;
        for (int step = 1; step <= max_step && !moved; ++step) {
            int feasible[kMaxSize + 1];
            int options = 0;
            for (int a = 1; a <= kMaxSize; ++a) {
                const int b = a + sign * step;
                if (b >= 1 && b <= kMaxSize && !in[a].empty() && !out[b].empty()) feasible[options++] = a;
            }
            if (options == 0) continue;
            const int a = feasible[rng_.Below(options)];
            const int b = a + sign * step;
            const int leaving = take(in[a]);
            const int joining = take(out[b]);
            out[a].push_back(leaving);
            in[b].push_back(joining);
            sum += sign * step;
            moved = true;
        }
        if (!moved) break;
    }
    std::vector<int> chosen;
    for (const std::vector<int>& list : in) chosen.insert(chosen.end(), list.begin(), list.end());
    return chosen;
}

void GeneratorImpl::GiveEveryHouseholdAMeasure() {
    // A household without any measure takes one from a household of the same size that has two or
    // more (a 低保/五保 household's 社保兜底 counting as one), so every measure keeps its household
    // count and the sum of its sizes. Only when no household of that size can give does one of
    // another size, which moves that measure's persons off by the difference.
    auto units = [&](const Spec& s) { return std::popcount(s.measures) + (s.social_floor ? 1 : 0); };
    std::array<std::vector<int>, kMaxSize + 1> same_size;
    std::vector<int> any_size;
    for (size_t i = 0; i < specs_.size(); ++i)
        if (units(specs_[i]) >= 2) {
            same_size[specs_[i].size].push_back(static_cast<int>(i));
            any_size.push_back(static_cast<int>(i));
        }
    auto give = [&](std::vector<int>& donors, Spec& receiver) {
        while (!donors.empty()) {
            const size_t k = rng_.Below(donors.size());
            Spec& donor = specs_[donors[k]];
            if (units(donor) < 2) {
                donors[k] = donors.back();
                donors.pop_back();
                continue;
            }
            // One of the donor's measures, chosen at random.
            int pick = static_cast<int>(rng_.Below(units(donor)));
            if (pick == std::popcount(donor.measures)) {
                donor.social_floor = false;
                receiver.social_floor = true;
                return true;
            }
            uint32_t bits = donor.measures;
            while (pick-- > 0) bits &= bits - 1;
            const uint32_t bit = bits & (0 - bits);
            donor.measures &= ~bit;
            receiver.measures |= bit;
            return true;
        }
        return false;
    };
    for (Spec& s : specs_)
        if (units(s) == 0 && !give(same_size[s.size], s)) give(any_size, s);
}

void GeneratorImpl::SpreadReach(Beneficiaries kind, int Reach::*field) {
    // One member in each household with the measure, and the rest of its person target one at a
    // time to households drawn at random that have room for another.
    const int number = MeasureOfKind(kind);
    if (number < 0) return;
    std::vector<int> holders;
    for (size_t i = 0; i < specs_.size(); ++i)
        if (specs_[i].measures & Bit(number)) {
            holders.push_back(static_cast<int>(i));
            specs_[i].reach.*field = 1;
        }
    int64_t extra =
        *reach_measure_[static_cast<size_t>(kind)]->target_persons - static_cast<int64_t>(holders.size());
    while (extra > 0 && !holders.empty()) {
        const size_t k = rng_.Below(holders.size());
        Spec& s = specs_[holders[k]];
        int room = std::min(s.size, kMaxReach);
        if (kind == Beneficiaries::kMigrantWorkers && s.reach.able_adults > 0)
            room = std::min(room, s.reach.able_adults);
        if (s.reach.*field >= room) {
            holders[k] = holders.back();
            holders.pop_back();
            continue;
        }
        ++(s.reach.*field);
        --extra;
    }
}

void GeneratorImpl::PlanExits() {
    // A household whose planned year has ended by the as-of date exited that year, but a few fell
    // back (返贫). Each of those is balanced by a household of the same township and size planned
    // for a year not yet ended (or two whose sizes add up to it) that exited early, in the fallen
    // back household's year: the persons exited through every ended year then still equal the
    // township's targets, and planned years, so planned exits, stay as they were. A township with
    // no such household left has no fallback.
    const Date& as_of = options_.as_of;
    const int last_ended = (as_of.month == 12 && as_of.day == 31) ? as_of.year : as_of.year - 1;
    for (Spec& s : specs_) {
        s.status = s.year <= last_ended ? codes::kStatusExited : codes::kStatusNotExited;
        s.exit_year.reset();
        if (s.year <= last_ended) s.exit_year = s.year;
    }
    auto township = [&](size_t i) {
        return std::string_view(villages_[specs_[i].village].code).substr(0, 9);
    };
    auto take = [&](std::vector<int>& list) {
        const size_t k = rng_.Below(list.size());
        const int taken = list[k];
        list[k] = list.back();
        list.pop_back();
        return taken;
    };
    // Specs are in village order, so each township's households are one run.
    for (size_t begin = 0, end = 0; begin < specs_.size(); begin = end) {
        while (end < specs_.size() && township(end) == township(begin)) ++end;
        std::array<std::vector<int>, kMaxSize + 1> later;  // by size
        for (size_t i = begin; i < end; ++i)
            if (specs_[i].year > last_ended) later[specs_[i].size].push_back(static_cast<int>(i));
        for (size_t i = begin; i < end; ++i) {
            Spec& s = specs_[i];
            if (s.year > last_ended || !rng_.Chance(kFallbackShare)) continue;
            int early[2];
            int count = 0;
            if (!later[s.size].empty()) {
                early[count++] = take(later[s.size]);
            } else {
                for (int a = 1; a <= s.size - a && count == 0; ++a) {
                    const int b = s.size - a;
                    if (a == b ? later[a].size() >= 2 : !later[a].empty() && !later[b].empty()) {
                        early[count++] = take(later[a]);
                        early[count++] = take(later[b]);
                    }
                }
            }
            if (count == 0) continue;
            s.status = codes::kStatusFallback;
            s.exit_year.reset();
            for (int k = 0; k < count; ++k) {
                specs_[early[k]].status = codes::kStatusExited;
                specs_[early[k]].exit_year = s.year;
            }
        }
    }
}

}  // namespace jz::generator_detail

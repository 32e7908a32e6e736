// Properties of pairing (issue 15's acceptance):
// - ProposeAssignment never exceeds a quota for the cadres it gives households to, never changes a
//   household that has a current pair (nor one that needs none), covers a household whenever some
//   active cadre still has room, gives the same proposal whatever the order of the cadres, and
//   equals the rules applied the obvious way (a scan of every cadre for every household).
// - A model of the pairing operations (set, end, assign — applied as values, the way the service
//   applies them to the store) keeps at most one current cadre per household and a complete
//   history: pairings do not overlap, and a pairing ended by a change of cadre is followed by the
//   next one the day after (or the same day, when it began that day).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/pairing.h"

namespace jz {
namespace {

const std::vector<std::string>& Villages() {
    static const std::vector<std::string> v{"540425100201", "540425100202", "540425101203", "540425200204",
                                            "540425201205", "540424100206"};
    return v;
}
const std::vector<std::string>& Townships() {
    static const std::vector<std::string> t{"540425100", "540425101", "540425200", "540425201", "540424100", ""};
    return t;
}

struct World {
    std::vector<std::string> codes, villages;
    std::vector<AssignHousehold> households;
    std::vector<AssignCadre> cadres;
};

World RandomWorld() {
    World w;
    const int n_cadres = *rc::gen::inRange(0, 12);
    std::set<int64_t> ids;
    while (static_cast<int>(ids.size()) < n_cadres) ids.insert(*rc::gen::inRange<int64_t>(1, 60));
    for (int64_t id : ids)
        w.cadres.push_back({id, Townships()[*rc::gen::inRange<size_t>(0, Townships().size())],
                            *rc::gen::inRange(0, 4), *rc::gen::inRange(0, 5) != 0});
    const int n = *rc::gen::inRange(0, 40);
    w.codes.reserve(n);
    w.villages.reserve(n);
    for (int i = 0; i < n; ++i) {
        w.codes.push_back("H" + std::to_string(*rc::gen::inRange(100, 999)) + "-" + std::to_string(i));
        w.villages.push_back(Villages()[*rc::gen::inRange<size_t>(0, Villages().size())]);
    }
    for (int i = 0; i < n; ++i) {
        AssignHousehold h{w.codes[i], w.villages[i], *rc::gen::inRange(0, 5) != 0, 0};
        // Some paired already: with a known cadre (even over its quota or inactive) or an unknown id.
        const int kind = *rc::gen::inRange(0, 6);
        if (kind == 0 && !w.cadres.empty())
            h.current_cadre = w.cadres[*rc::gen::inRange<size_t>(0, w.cadres.size())].id;
        else if (kind == 1)
            h.current_cadre = 1000 + i;
        w.households.push_back(h);
    }
    return w;
}

size_t CommonPrefix(std::string_view a, std::string_view b) {
    size_t k = 0;
    while (k < a.size() && k < b.size() && a[k] == b[k]) ++k;
    return k;
}

// The rules as the header states them, applied by scanning every cadre for every household.
AssignProposal Obvious(std::span<const AssignHousehold> hs, std::span<const AssignCadre> cadres) {
    AssignProposal out;
    std::map<int64_t, int64_t> load;
    for (const AssignHousehold& h : hs) {
        if (h.current_cadre) ++load[h.current_cadre];
        if (h.current_cadre && h.needs_cadre) ++out.kept;
    }
    std::vector<uint32_t> todo;
    for (uint32_t i = 0; i < hs.size(); ++i)
        if (hs[i].needs_cadre && !hs[i].current_cadre) todo.push_back(i);
    std::ranges::sort(todo, [&](uint32_t a, uint32_t b) {
        return std::pair(hs[a].household_code, a) < std::pair(hs[b].household_code, b);
    });
    const bool any_active = std::ranges::any_of(cadres, &AssignCadre::active);
    for (uint32_t i : todo) {
        const std::string_view town = hs[i].division_code.substr(0, 9);
        const AssignCadre* best = nullptr;
        size_t best_prefix = 0;
        for (const AssignCadre& c : cadres) {
            if (!c.active || load[c.id] >= c.quota) continue;
            const size_t prefix = c.township_code.empty() ? 6 : CommonPrefix(c.township_code, town);
            bool better = !best || prefix > best_prefix;
            if (best && prefix == best_prefix) {
                const int64_t x = load[c.id] * best->quota, y = load[best->id] * c.quota;
                better = x < y || (x == y && c.id < best->id);
            }
            if (better) {
                best = &c;
                best_prefix = prefix;
            }
        }
        if (!best) {
            out.uncovered.push_back({i, any_active ? "no_capacity" : "no_cadre"});
            continue;
        }
        out.pairs.push_back({i, best->id, best->township_code == town});
        ++load[best->id];
    }
    std::ranges::sort(out.pairs, {}, &ProposedPair::household);
    std::ranges::sort(out.uncovered, {}, &Uncovered::household);
    return out;
}

RC_GTEST_PROP(PairingProperty, AssignmentKeepsQuotasAndPairsAndCoversWhatItCan, ()) {
    const World w = RandomWorld();
    const AssignProposal p = ProposeAssignment(w.households, w.cadres);
    std::map<int64_t, int64_t> load;
    for (const AssignHousehold& h : w.households)
        if (h.current_cadre) ++load[h.current_cadre];
    std::set<uint32_t> seen;
    for (const ProposedPair& pair : p.pairs) {
        RC_ASSERT(pair.household < w.households.size());
        RC_ASSERT(seen.insert(pair.household).second);
        const AssignHousehold& h = w.households[pair.household];
        RC_ASSERT(h.needs_cadre);
        RC_ASSERT(h.current_cadre == 0);  // an existing pair is never changed
        const auto cadre = std::ranges::find(w.cadres, pair.cadre_id, &AssignCadre::id);
        RC_ASSERT(cadre != w.cadres.end());
        RC_ASSERT(cadre->active);
        ++load[pair.cadre_id];
    }
    for (const ProposedPair& pair : p.pairs) {
        const auto cadre = std::ranges::find(w.cadres, pair.cadre_id, &AssignCadre::id);
        RC_ASSERT(load[pair.cadre_id] <= cadre->quota);  // never over quota
    }
    for (const Uncovered& u : p.uncovered) {
        RC_ASSERT(seen.insert(u.household).second);
        RC_ASSERT(w.households[u.household].needs_cadre && w.households[u.household].current_cadre == 0);
        // Uncovered only when no active cadre had room left.
        for (const AssignCadre& c : w.cadres)
            if (c.active) RC_ASSERT(load[c.id] >= c.quota);
        RC_ASSERT(u.reason == (std::ranges::any_of(w.cadres, &AssignCadre::active) ? "no_capacity" : "no_cadre"));
    }
    int64_t needing_without = 0, kept = 0;
    for (const AssignHousehold& h : w.households) {
        if (h.needs_cadre && !h.current_cadre) ++needing_without;
        if (h.needs_cadre && h.current_cadre) ++kept;
    }
    RC_ASSERT(static_cast<int64_t>(p.pairs.size() + p.uncovered.size()) == needing_without);
    RC_ASSERT(p.kept == kept);
    RC_ASSERT(std::ranges::is_sorted(p.pairs, {}, &ProposedPair::household));
    RC_ASSERT(std::ranges::is_sorted(p.uncovered, {}, &Uncovered::household));
    RC_ASSERT(p == Obvious(w.households, w.cadres));
}

RC_GTEST_PROP(PairingProperty, AssignmentIgnoresTheOrderOfCadres, ()) {
    World w = RandomWorld();
    const AssignProposal first = ProposeAssignment(w.households, w.cadres);
    std::mt19937 shuffle(*rc::gen::arbitrary<uint32_t>());
    std::ranges::shuffle(w.cadres, shuffle);
    RC_ASSERT(ProposeAssignment(w.households, w.cadres) == first);
}

// --- The model of pairing operations -----------------------------------------------------------------

// Every household's pairings, as values; operations refuse what the service refuses (returning
// false) and otherwise apply the documented change.
struct Model {
    std::map<std::string, std::vector<Pairing>> history;  // per household, in the order made

    Pairing* Current(const std::string& h) {
        for (Pairing& p : history[h])
            if (p.current()) return &p;
        return nullptr;
    }
    const Pairing* Last(const std::string& h) {
        auto& v = history[h];
        return v.empty() ? nullptr : &v.back();
    }
    bool Set(const std::string& h, int64_t cadre, const Date& from) {
        Pairing* current = Current(h);
        if (current) {
            if (current->cadre_id == cadre || from < current->from) return false;  // same cadre; backdated
            current->to = current->from == from ? from : Date::FromDaysSinceEpoch(from.DaysSinceEpoch() - 1);
            current->end_reason = "replaced";
        } else if (const Pairing* last = Last(h); last && !(*last->to < from)) {
            return false;  // would overlap the ended pairing
        }
        history[h].push_back({0, h, "540425100201", cadre, from, std::nullopt, "set", ""});
        return true;
    }
    bool End(const std::string& h, const Date& to) {
        Pairing* current = Current(h);
        if (!current || to < current->from) return false;
        current->to = to;
        current->end_reason = "ended";
        return true;
    }
};

RC_GTEST_PROP(PairingProperty, OperationsKeepOneCurrentCadreAndACompleteHistory, ()) {
    Model model;
    const std::vector<std::string> households = {"H1", "H2", "H3", "H4"};
    std::vector<AssignCadre> cadres = {{1, "540425100", 2, true}, {2, "540425100", 1, true}, {3, "", 3, true}};
    long day = Date{2016, 1, 1}.DaysSinceEpoch();
    const int steps = *rc::gen::inRange(1, 40);
    for (int s = 0; s < steps; ++s) {
        day += *rc::gen::inRange(0, 20);  // several operations may fall on one day
        const Date on = Date::FromDaysSinceEpoch(day);
        const std::string& h = households[*rc::gen::inRange<size_t>(0, households.size())];
        switch (*rc::gen::inRange(0, 4)) {
            case 0:
            case 1:
                model.Set(h, *rc::gen::inRange<int64_t>(1, 4), on);
                break;
            case 2:
                model.End(h, Date::FromDaysSinceEpoch(day - *rc::gen::inRange(0, 3)));
                break;
            default: {
                // assign: the proposal for the households without a current cadre, applied.
                std::vector<AssignHousehold> in;
                for (const std::string& code : households) {
                    const Pairing* c = model.Current(code);
                    in.push_back({code, "540425100201", true, c ? c->cadre_id : 0});
                }
                const AssignProposal p = ProposeAssignment(in, cadres);
                for (const ProposedPair& pair : p.pairs) {
                    RC_ASSERT(model.Current(households[pair.household]) == nullptr);
                    model.Set(households[pair.household], pair.cadre_id, on);
                }
                break;
            }
        }
        // Invariants after every operation.
        for (const std::string& code : households) {
            const auto& v = model.history[code];
            RC_ASSERT(std::ranges::count_if(v, &Pairing::current) <= 1);
            for (size_t i = 0; i < v.size(); ++i) {
                if (v[i].to) RC_ASSERT(!(*v[i].to < v[i].from));
                if (i + 1 == v.size()) continue;
                RC_ASSERT(!v[i].current());  // only the latest may be current
                const Date to = *v[i].to;
                const Date next = v[i + 1].from;
                if (v[i].end_reason == "replaced") {
                    // No gap: the successor starts the next day, or the same day when this one
                    // began (and ended) that day.
                    const bool next_day = next.DaysSinceEpoch() == to.DaysSinceEpoch() + 1;
                    const bool same_day = v[i].from == to && next == to;
                    RC_ASSERT(next_day || same_day);
                } else {
                    RC_ASSERT(to < next);  // no overlap after an end
                }
            }
        }
    }
}

}  // namespace
}  // namespace jz

// The pairing data of a generated registry (GeneratePairing): consistent with the households'
// pairing_cadre names and the plan's 3/2/1 quotas, every not-exited household with one current
// cadre, no cadre over quota, a first secretary per village, valid records, a few findings' worth
// of oddities (not thousands), some overdue households, deterministic per seed.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/codes.h"
#include "core/pairing.h"
#include "generator/generator.h"
#include "generator/test_helpers.h"

namespace jz::generator_test {
namespace {

constexpr Date kAsOf{2017, 6, 30};

struct Demo {
    Plan plan;
    std::vector<Household> households;
    std::vector<GeneratedCadre> cadres;
    PairingData data;
};

Demo Make(uint64_t seed) {
    Demo d;
    d.plan = FilePlan();
    GeneratorOptions options = Match(seed, kAsOf);
    options.cadres = true;
    auto generator = Generator::Create(d.plan, ChayuTree(), options);
    EXPECT_TRUE(generator.has_value());
    Household h;
    while ((*generator)->Next(h)) d.households.push_back(h);
    const auto cadres = (*generator)->cadres();
    d.cadres.assign(cadres.begin(), cadres.end());
    d.data = GeneratePairing(d.plan, ChayuTree(), d.households, d.cadres, PairingOptions{.seed = seed, .as_of = kAsOf});
    return d;
}

const Demo& ChayuDemo() {
    static const Demo demo = Make(2016);
    return demo;
}

std::map<std::string, const Pairing*> CurrentByHousehold(const PairingData& data) {
    std::map<std::string, const Pairing*> current;
    for (const Pairing& p : data.pairings)
        if (p.current()) {
            EXPECT_FALSE(current.contains(p.household_code)) << p.household_code << " has two current cadres";
            current[p.household_code] = &p;
        }
    return current;
}

TEST(GeneratedPairing, IsDeterministicPerSeed) {
    const Demo& d = ChayuDemo();
    const Demo again = Make(2016);
    EXPECT_EQ(again.data.cadres, d.data.cadres);
    EXPECT_EQ(again.data.pairings, d.data.pairings);
    EXPECT_EQ(again.data.team_members, d.data.team_members);
    EXPECT_EQ(again.data.on_post, d.data.on_post);
    EXPECT_EQ(again.data.visits, d.data.visits);
    const Demo other = Make(7);
    EXPECT_NE(other.data.visits, d.data.visits);
}

TEST(GeneratedPairing, CadresAreTheHouseholdsNamesWithRanksByQuota) {
    const Demo& d = ChayuDemo();
    ASSERT_GT(d.cadres.size(), 400u);
    std::set<std::string> names;
    int64_t households = 0;
    std::map<std::string, int> quota_of_id;
    for (const PlanPairingQuota& q : d.plan.pairing_quotas) quota_of_id[q.id] = q.households;
    for (size_t i = 0; i < d.cadres.size(); ++i) {
        const GeneratedCadre& g = d.cadres[i];
        EXPECT_TRUE(names.insert(g.name).second) << "two cadres named " << g.name;
        EXPECT_EQ(g.quota, quota_of_id.at(g.quota_id));
        EXPECT_GE(g.households, 1);
        EXPECT_LE(g.households, g.quota) << g.name;
        households += g.households;
        const Cadre& c = d.data.cadres[i];  // the generator's cadres come first, in order
        EXPECT_EQ(c.name, g.name);
        const int expected = g.quota_id == "county" ? kRankCounty
                             : g.quota_id == "section_chief" ? kRankSectionChief
                                                             : kRankDeputyAndBelow;
        if (c.rank != kRankUnknown) {
            EXPECT_EQ(c.rank, expected) << c.name;
        }
        EXPECT_EQ(c.id, static_cast<int64_t>(i) + 1);
    }
    EXPECT_EQ(households, static_cast<int64_t>(d.households.size()));
    // Every rank is there, in the generator's split.
    std::map<int, int> by_rank;
    for (const Cadre& c : d.data.cadres) ++by_rank[c.rank];
    EXPECT_GT(by_rank[kRankCounty], 50);
    EXPECT_GT(by_rank[kRankSectionChief], 50);
    EXPECT_GT(by_rank[kRankDeputyAndBelow], 50);
    EXPECT_EQ(by_rank[kRankUnknown], 2);
}

TEST(GeneratedPairing, EveryHouseholdHasOneCurrentCadreNamedAsItsText) {
    const Demo& d = ChayuDemo();
    const auto current = CurrentByHousehold(d.data);
    for (const Household& h : d.households) {
        const auto it = current.find(h.household_code);
        ASSERT_NE(it, current.end()) << h.household_code << " has no current cadre";
        const Cadre& c = d.data.cadres[static_cast<size_t>(it->second->cadre_id - 1)];
        EXPECT_EQ(c.name, h.pairing_cadre);
        EXPECT_EQ(it->second->division_code, h.division_code);
        EXPECT_LE(it->second->from, kAsOf);
    }
    EXPECT_EQ(current.size(), d.households.size());
}

TEST(GeneratedPairing, NoCadreIsOverQuota) {
    const Demo& d = ChayuDemo();
    std::map<int64_t, int> load;
    for (const auto& [code, p] : CurrentByHousehold(d.data)) ++load[p->cadre_id];
    for (const auto& [id, n] : load) {
        const Cadre& c = d.data.cadres[static_cast<size_t>(id - 1)];
        EXPECT_LE(n, QuotaOf(d.plan, c.rank)) << c.name << " rank " << c.rank;
    }
}

TEST(GeneratedPairing, HistoryHasNoGapsOrOverlaps) {
    const Demo& d = ChayuDemo();
    std::map<std::string, std::vector<const Pairing*>> by_household;
    for (const Pairing& p : d.data.pairings) by_household[p.household_code].push_back(&p);
    int changed = 0;
    for (const auto& [code, list] : by_household) {
        for (size_t i = 0; i + 1 < list.size(); ++i) {
            ASSERT_TRUE(list[i]->to.has_value()) << code;
            EXPECT_EQ(list[i + 1]->from.DaysSinceEpoch(), list[i]->to->DaysSinceEpoch() + 1) << code;
            EXPECT_FALSE(list[i]->end_reason.empty());
            const Cadre& before = d.data.cadres[static_cast<size_t>(list[i]->cadre_id - 1)];
            ASSERT_TRUE(before.active_to.has_value());
            EXPECT_LE(*before.active_to, *list[i]->to);
        }
        EXPECT_TRUE(list.back()->current());
        changed += list.size() > 1 ? 1 : 0;
    }
    EXPECT_GT(changed, 0);
    EXPECT_LT(changed, static_cast<int>(d.households.size()) / 10);
}

TEST(GeneratedPairing, RecordsAreValid) {
    const Demo& d = ChayuDemo();
    std::set<std::string> ids;
    for (const Cadre& c : d.data.cadres) {
        EXPECT_TRUE(ValidateCadre(c, d.plan).empty()) << c.name;
        if (!c.id_number.empty()) {
            EXPECT_TRUE(ids.insert(c.id_number).second) << c.id_number;
        }
        EXPECT_EQ(c.division_code, c.township_code.empty() ? d.plan.county_code : c.township_code);
    }
    for (const TeamMember& m : d.data.team_members) EXPECT_TRUE(ValidateTeamMember(m).empty()) << m.village_code;
    for (const OnPostDays& o : d.data.on_post) EXPECT_TRUE(ValidateOnPostDays(o).empty());
    std::set<std::string> client_ids;
    for (const Visit& v : d.data.visits) {
        EXPECT_TRUE(ValidateVisit(v, kAsOf).empty()) << v.client_id;
        EXPECT_TRUE(client_ids.insert(v.client_id).second);
        EXPECT_EQ(v.photo, PhotoType::kNone);
    }
    for (const GeneratedPlace& p : d.data.places) {
        EXPECT_GE(p.place.lat_e6, 28'400'000);
        EXPECT_LE(p.place.lat_e6, 29'200'000);
        EXPECT_GE(p.place.lon_e6, 96'600'000);
        EXPECT_LE(p.place.lon_e6, 98'000'000);
    }
    EXPECT_EQ(d.data.places.size(), d.households.size());
}

TEST(GeneratedPairing, EveryVillageHasOneFirstSecretaryAndATeam) {
    const Demo& d = ChayuDemo();
    std::set<std::string> villages;
    for (const Household& h : d.households) villages.insert(h.division_code);
    std::map<std::string, int> secretaries, active;
    for (const TeamMember& m : d.data.team_members) {
        if (!m.ActiveOn(kAsOf)) continue;
        ++active[m.village_code];
        if (m.role == kRoleFirstSecretary) ++secretaries[m.village_code];
    }
    for (const std::string& v : villages) {
        EXPECT_EQ(secretaries[v], 1) << v;
        EXPECT_GE(active[v], 3) << v;
    }
}

TEST(GeneratedPairing, AFewFindingsNotThousands) {
    const Demo& d = ChayuDemo();
    // Days on post: a few months under 20.
    int short_months = 0;
    for (const OnPostDays& o : d.data.on_post) short_months += o.days < d.plan.pairing.on_post_min_days ? 1 : 0;
    EXPECT_GT(short_months, 0);
    EXPECT_LT(short_months, 40);
    // Visits far from the household's place: a few.
    int far = 0;
    for (const Visit& v : d.data.visits) far += v.far ? 1 : 0;
    EXPECT_GT(far, 0);
    EXPECT_LT(far, 60);
    // Cadres recorded in another township than their households', and one who left.
    std::map<std::string, std::string> township_of;
    int outside = 0, inactive = 0;
    for (const auto& [code, p] : CurrentByHousehold(d.data)) {
        const Cadre& c = d.data.cadres[static_cast<size_t>(p->cadre_id - 1)];
        if (!c.township_code.empty() && c.township_code != code.substr(0, 9)) ++outside;
        if (!c.ActiveOn(kAsOf)) ++inactive;
    }
    EXPECT_GE(outside, 2);
    EXPECT_LE(outside, 6);
    EXPECT_GE(inactive, 1);
    EXPECT_LE(inactive, 3);
}

TEST(GeneratedPairing, SomeHouseholdsAreOverdueOnTheAsOfDate) {
    const Demo& d = ChayuDemo();
    const auto current = CurrentByHousehold(d.data);
    std::map<std::string, Date> last;
    int visits = 0;
    for (const Visit& v : d.data.visits) {
        auto [it, fresh] = last.emplace(v.household_code, v.date);
        if (!fresh && it->second < v.date) it->second = v.date;
        ++visits;
    }
    std::vector<VisitState> states;
    for (const Household& h : d.households) {
        if (h.status == codes::kStatusExited) continue;
        const Pairing* p = current.at(h.household_code);
        VisitState s{.household_code = h.household_code,
                     .division_code = h.division_code,
                     .cadre_id = p->cadre_id,
                     .paired_from = p->from};
        if (auto it = last.find(h.household_code); it != last.end()) s.last_visit = it->second;
        states.push_back(s);
    }
    const auto overdue = OverdueVisits(states, kAsOf, VisitIntervalDays(d.plan));
    EXPECT_GT(overdue.size(), 5u);
    EXPECT_LT(overdue.size(), states.size() / 10);
    // About two a quarter: 2016-01 to 2017-06 is six quarters.
    EXPECT_GT(visits, static_cast<int>(d.households.size()) * 9);
    EXPECT_LT(visits, static_cast<int>(d.households.size()) * 18);
}

}  // namespace
}  // namespace jz::generator_test

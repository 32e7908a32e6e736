// The ledger of a generated registry: deterministic, consistent with the plan (reached households in
// proportion to the plan's days passed, the 373 ranger posts, education by stage), valid item by
// item, a few unsigned items and cover gaps, income whose parts give the registry's figure.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/assistance.h"
#include "core/codes.h"
#include "core/progress.h"
#include "generator/generator.h"
#include "generator/test_helpers.h"

namespace jz::generator_test {
namespace {

constexpr Date kAsOf{2017, 6, 30};

struct Demo {
    Plan plan;
    std::vector<Household> households;
    Ledger ledger;
};

const Demo& ChayuDemo() {
    static const Demo demo = [] {
        Demo d;
        d.plan = FilePlan();
        d.households = Generate(d.plan, ChayuTree(), Match(2016, kAsOf));
        d.ledger = GenerateLedger(d.plan, d.households, LedgerOptions{.seed = 2016, .as_of = kAsOf});
        return d;
    }();
    return demo;
}

double PlanShare(const Plan& plan, const Date& as_of) {
    const Date start{plan.start_year, 1, 1}, end{plan.end_year, 12, 31};
    return static_cast<double>(as_of.DaysSinceEpoch() - start.DaysSinceEpoch() + 1) /
           static_cast<double>(end.DaysSinceEpoch() - start.DaysSinceEpoch() + 1);
}

TEST(Ledger, IsDeterministic) {
    const Demo& d = ChayuDemo();
    const Ledger again = GenerateLedger(d.plan, d.households, LedgerOptions{.seed = 2016, .as_of = kAsOf});
    EXPECT_EQ(again.items, d.ledger.items);
    EXPECT_EQ(again.income, d.ledger.income);
    EXPECT_EQ(again.coverage, d.ledger.coverage);
    const Ledger other = GenerateLedger(d.plan, d.households, LedgerOptions{.seed = 7, .as_of = kAsOf});
    EXPECT_NE(other.items, d.ledger.items);
}

TEST(Ledger, EveryItemIsValidAndItsMembersBelongToTheHousehold) {
    const Demo& d = ChayuDemo();
    std::unordered_map<std::string, const Household*> by_code;
    for (const Household& h : d.households) by_code[h.household_code] = &h;
    std::set<std::string> codes;
    int bad = 0;
    for (const AssistanceItem& it : d.ledger.items) {
        EXPECT_TRUE(codes.insert(it.item_code).second) << it.item_code;
        auto errors = ValidateItem(it, d.plan);
        const Household* h = by_code.at(it.household_code);
        for (const Error& e : ValidateItemMembers(it, *h)) errors.push_back(e);
        EXPECT_LE(it.start_date, kAsOf) << it.item_code;
        if (it.signed_on) {
            EXPECT_LE(*it.signed_on, kAsOf) << it.item_code;
        }
        for (const Error& e : errors)
            if (++bad <= 10) ADD_FAILURE() << it.item_code << " " << e.field << ": " << e.message_en;
    }
    EXPECT_EQ(bad, 0);
    EXPECT_GT(d.ledger.items.size(), 1000u);
}

TEST(Ledger, HoldsThePlansRangerPostsOnTheDate) {
    const Demo& d = ChayuDemo();
    std::set<std::string> rangers;
    for (const AssistanceItem& it : d.ledger.items)
        if (it.measure == 8 && it.kind == codes::kKindJobPost && it.signed_off() && it.ActiveDuring(kAsOf, kAsOf)) {
            ASSERT_EQ(it.member_ids.size(), 1u);
            EXPECT_EQ(it.periodic_amount, 25000);
            EXPECT_EQ(it.period, codes::kPeriodMonthly);
            rangers.insert(it.member_ids[0]);
        }
    EXPECT_EQ(rangers.size(), 373u);
}

TEST(Ledger, ReachesPlannedHouseholdsInProportionToThePlanYearsPassed) {
    const Demo& d = ChayuDemo();
    const double share = PlanShare(d.plan, kAsOf);
    EXPECT_NEAR(share, 0.5, 0.01);
    std::map<int, std::set<std::string>> planned, reached;
    for (const Household& h : d.households)
        for (const PlanMeasure& m : d.plan.measures)
            if (h.HasMeasure(m.number)) planned[m.number].insert(h.household_code);
    for (const AssistanceItem& it : d.ledger.items) {
        if (it.measure == 8 && it.kind == codes::kKindJobPost) continue;  // the posts: all held
        if (planned[it.measure].contains(it.household_code)) reached[it.measure].insert(it.household_code);
    }
    for (const PlanMeasure& m : d.plan.measures) {
        if (m.number == 5) continue;  // by student, below
        const double expected = share * static_cast<double>(planned[m.number].size());
        EXPECT_NEAR(static_cast<double>(reached[m.number].size()), expected, 1.0 + expected * 0.005)
            << "measure " << m.number;
    }
    // Education: each stage's reached students are the share of the plan's stage target.
    std::map<std::string, std::set<std::string>> students;
    for (const AssistanceItem& it : d.ledger.items)
        if (auto stage = codes::EducationStageOf(it.category)) students[std::string(*stage)].insert(it.member_ids.at(0));
    const PlanMeasure* education = d.plan.FindMeasure(5);
    ASSERT_NE(education, nullptr);
    // Where the registry has fewer students of a stage than the plan, the share of those it has.
    std::map<std::string, int> in_school;
    for (const Household& h : d.households)
        for (const Person& p : h.members) {
            if (!p.schooling) continue;
            const int s = *p.schooling;
            if (s == codes::kSchoolingPreschool) ++in_school["kindergarten"];
            if (s == codes::kSchoolingPrimary) ++in_school["primary"];
            if (s >= codes::kSchoolingGrade7 && s <= codes::kSchoolingGrade9) ++in_school["junior"];
            if (s >= codes::kSchoolingSenior1 && s <= codes::kSchoolingSenior3) ++in_school["senior"];
            if (s >= codes::kSchoolingVocational1 && s <= codes::kSchoolingVocational3) ++in_school["vocational+"];
            if (s >= codes::kSchoolingHigherVocational1 && s <= codes::kSchoolingCollege) ++in_school["university+"];
        }
    std::map<std::string, int> target;
    for (const PlanMeasureStage& s : education->stages) target[s.id] = s.persons;
    std::map<std::string, int> available = in_school;
    available["vocational"] = std::min(in_school["vocational+"], target["vocational"]);
    available["two_after"] = in_school["vocational+"] - available["vocational"];
    available["university"] = std::min(in_school["university+"], target["university"]);
    available["postgraduate"] = in_school["university+"] - available["university"];
    for (const PlanMeasureStage& s : education->stages) {
        EXPECT_EQ(static_cast<double>(students[s.id].size()),
                  std::llround(share * std::min(s.persons, available[s.id])))
            << s.id;
        EXPECT_GE(available[s.id] * 10, s.persons * 6) << s.id;  // the registry has most of them
    }
}

TEST(Ledger, AFewItemsAreUnsignedNeverAPost) {
    const Demo& d = ChayuDemo();
    size_t unsigned_items = 0;
    for (const AssistanceItem& it : d.ledger.items) {
        if (it.signed_off()) {
            EXPECT_FALSE(it.signed_by.empty()) << it.item_code;
            continue;
        }
        ++unsigned_items;
        EXPECT_NE(it.kind, codes::kKindJobPost) << it.item_code;
    }
    const double share = static_cast<double>(unsigned_items) / static_cast<double>(d.ledger.items.size());
    EXPECT_GT(share, 0.01);
    EXPECT_LT(share, 0.04);
}

TEST(Ledger, PersonalItemsNameMembersOthersTheHousehold) {
    const Demo& d = ChayuDemo();
    for (const AssistanceItem& it : d.ledger.items) {
        const bool personal = codes::IsEducationCategory(it.category) || it.kind == codes::kKindJobPost ||
                              (it.category == codes::kCategoryHealth && it.notes == "医疗救助") ||
                              it.category == codes::kCategoryEmployment;
        const bool household = it.category == codes::kCategoryIndustry || it.category == codes::kCategoryRelocation ||
                               it.category == codes::kCategoryMicrocredit ||
                               it.category == codes::kCategorySocialSecurity;
        if (personal) {
            EXPECT_FALSE(it.member_ids.empty()) << it.item_code;
        }
        if (household) {
            EXPECT_TRUE(it.member_ids.empty()) << it.item_code;
        }
    }
}

TEST(Ledger, CoverHasAFewGapsOnlyInHouseholdsNotExited) {
    const Demo& d = ChayuDemo();
    std::map<std::string, const Household*> by_code;
    for (const Household& h : d.households) by_code[h.household_code] = &h;
    size_t medical_gaps = 0;
    std::set<std::string> households_with_gaps;
    for (const PersonCoverage& c : d.ledger.coverage) {
        ASSERT_TRUE(c.basic_medical_insurance.has_value());
        if (*c.basic_medical_insurance) continue;
        ++medical_gaps;
        EXPECT_FALSE(by_code.at(c.household_code)->exited()) << c.household_code;
        if (c.year == kAsOf.year) households_with_gaps.insert(c.household_code);
    }
    const double share = static_cast<double>(medical_gaps) / static_cast<double>(d.ledger.coverage.size());
    EXPECT_GT(share, 0.003);
    EXPECT_LT(share, 0.02);
    // The exit standard sees them: some households of the as-of year have a gap to name.
    EXPECT_GT(households_with_gaps.size(), 10u);
    for (const std::string& code : households_with_gaps) {
        std::vector<PersonCoverage> own;
        for (const PersonCoverage& c : d.ledger.coverage)
            if (c.household_code == code && c.year == kAsOf.year) own.push_back(c);
        EXPECT_GT(GapsOf(own, *by_code.at(code), kAsOf).medical_uninsured, 0) << code;
    }
}

TEST(Ledger, IncomePartsGiveTheRegistrysFigureAndIncludeThePolicyMoney) {
    const Demo& d = ChayuDemo();
    std::map<std::string, std::vector<AssistanceItem>> items;
    for (const AssistanceItem& it : d.ledger.items) items[it.household_code].push_back(it);
    std::map<std::string, const Household*> by_code;
    for (const Household& h : d.households) by_code[h.household_code] = &h;
    size_t matched = 0, last_year = 0;
    for (const IncomeRecord& r : d.ledger.income) {
        EXPECT_TRUE(ValidateIncome(r).empty()) << r.household_code << " " << r.year;
        EXPECT_GE(r.year, 2015);
        EXPECT_LE(r.year, 2016);
        IncomeContribution policy;
        for (const AssistanceItem& it : items[r.household_code]) {
            const IncomeContribution c = ContributionInYear(it, r.year);
            policy.transfer += c.transfer;
            policy.property += c.property;
        }
        EXPECT_GE(*r.transfer, policy.transfer) << r.household_code;
        EXPECT_GE(*r.property, policy.property) << r.household_code;
        if (r.year != 2016) continue;
        ++last_year;
        if (NetIncomePerHead(r) == by_code.at(r.household_code)->net_income_per_head)
            ++matched;
        else if (std::getenv("JZ_LEDGER_VERBOSE"))
            std::printf("%s: %lld vs %lld (transfer %lld, property %lld, persons %d)\n", r.household_code.c_str(),
                        static_cast<long long>(NetIncomePerHead(r).value_or(-1)),
                        static_cast<long long>(by_code.at(r.household_code)->net_income_per_head.value_or(-1)),
                        static_cast<long long>(*r.transfer), static_cast<long long>(*r.property), r.persons);
    }
    EXPECT_EQ(last_year, d.households.size());
    // Where the policy money alone does not pass the registry's figure, the parts give it exactly.
    EXPECT_GT(static_cast<double>(matched), 0.9 * static_cast<double>(last_year));
}

TEST(Ledger, DeliveredFiguresCountThePostsAndTheReachedHouseholds) {
    const Demo& d = ChayuDemo();
    std::vector<HouseholdFacts> facts;
    std::map<std::string, const Household*> by_code;
    for (const Household& h : d.households) {
        facts.push_back(FactsOf(h));
        by_code[h.household_code] = &h;
    }
    std::vector<ItemFacts> items;
    for (const AssistanceItem& it : d.ledger.items) {
        const Household& h = *by_code.at(it.household_code);
        items.push_back(ItemFactsOf(it, h.division_code, static_cast<int>(h.members.size())));
    }
    const MeasuresDelivered figures = CountDelivered(d.plan, ChayuTree(), d.plan.county_code, Date{2016, 1, 1},
                                                     kAsOf, facts, items);
    bool rangers = false;
    for (const MeasureDelivered& m : figures.measures) {
        EXPECT_LE(m.reached_planned, m.planned_households) << m.number;
        for (const OtherDelivered& o : m.others)
            if (o.id == "ecological_rangers") {
                EXPECT_EQ(o.held, 373);
                rangers = true;
            }
    }
    EXPECT_TRUE(rangers);
}

TEST(Ledger, StreamedLedgerOfALargeRegistryIsCloseAndValid) {
    const Plan plan = FilePlan();
    const auto households = Generate(plan, ChayuTree(), Spread(5, 3000));
    LedgerMaker maker(plan, LedgerOptions{.seed = 5, .as_of = kAsOf});
    Ledger ledger;
    std::map<std::string, const Household*> by_code;
    for (const Household& h : households) {
        maker.Add(h, ledger);
        by_code[h.household_code] = &h;
    }
    std::map<int, std::set<std::string>> planned, reached;
    for (const Household& h : households)
        for (const PlanMeasure& m : plan.measures)
            if (h.HasMeasure(m.number)) planned[m.number].insert(h.household_code);
    int bad = 0;
    for (const AssistanceItem& it : ledger.items) {
        auto errors = ValidateItem(it, plan);
        for (const Error& e : ValidateItemMembers(it, *by_code.at(it.household_code))) errors.push_back(e);
        for (const Error& e : errors)
            if (++bad <= 10) ADD_FAILURE() << it.item_code << " " << e.field << ": " << e.message_en;
        if (it.kind != codes::kKindJobPost && planned[it.measure].contains(it.household_code))
            reached[it.measure].insert(it.household_code);
    }
    EXPECT_EQ(bad, 0);
    const double share = PlanShare(plan, kAsOf);
    for (const auto& [measure, codes] : planned) {
        if (measure == 5 || codes.size() < 200) continue;
        const double ratio = static_cast<double>(reached[measure].size()) / static_cast<double>(codes.size());
        EXPECT_NEAR(ratio, share, 0.08) << "measure " << measure;
    }
}

}  // namespace
}  // namespace jz::generator_test
